"""A small synthetic MICS6 survey (400 households), generated once per session."""

from pathlib import Path

import pytest

from qorgau.mics import generate_synthetic
from qorgau.surveys.models import Survey
from qorgau.surveys.services import survey_import

HOUSEHOLDS = 400


@pytest.fixture(scope="session")
def mics_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_synthetic(tmp_path_factory.mktemp("mics-source"), HOUSEHOLDS, seed=11)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path: Path) -> Path:
    """Each test stores its surveys in its own folder."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def imported(db, mics_dir: Path) -> Survey:
    return survey_import(
        actor=None, path=mics_dir, name="mics-test", title="MICS test survey"
    ).survey
