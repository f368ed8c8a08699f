"""Synthetic MICS datasets shared by the tests, generated once per session."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from qorgau.mics import compute_tables, generate_synthetic, load_survey
from qorgau.mics.readers import Survey

HOUSEHOLDS = 2000


@pytest.fixture(scope="session")
def mics6_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_synthetic(
        tmp_path_factory.mktemp("mics6"), HOUSEHOLDS, seed=7, single_cluster_stratum=True
    )


@pytest.fixture(scope="session")
def mics5_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_synthetic(tmp_path_factory.mktemp("mics5"), HOUSEHOLDS, seed=8, layout="mics5")


@pytest.fixture(scope="session")
def survey6(mics6_dir: Path) -> Survey:
    return load_survey(mics6_dir)


@pytest.fixture(scope="session")
def tables6(survey6: Survey) -> pd.DataFrame:
    return compute_tables(survey6)
