"""The synthetic generator: deterministic, sized, labelled with Kazakhstan's regions."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from mics_support import read

from qorgau.mics import generate_synthetic, survey_checksums

# The repository's copy of shared/domain/regions.csv (the places migration loads it too).
REGIONS_CSV = Path(__file__).resolve().parents[2] / "src/qorgau/places/data/regions.csv"


def test_same_seed_gives_identical_data(tmp_path: Path) -> None:
    # Bytes differ: SPSS files carry their creation time. The data must not.
    first, again, other = (
        generate_synthetic(tmp_path / name, 300, seed=seed)
        for name, seed in (("a", 3), ("b", 3), ("c", 4))
    )
    for file in ("hh", "wm", "ch", "fs"):
        pd.testing.assert_frame_equal(read(first, file)[0], read(again, file)[0])
    assert not read(first, "wm")[0].equals(read(other, "wm")[0])
    assert [f.rows for f in survey_checksums(first)] == [f.rows for f in survey_checksums(again)]


def test_households_and_design_are_as_requested(mics6_dir: Path) -> None:
    hh, _ = read(mics6_dir, "hh")
    assert len(hh) == 2000
    assert hh.groupby("stratum")["HH1"].nunique().min() == 1  # single_cluster_stratum=True
    assert (hh.groupby("HH1")["stratum"].nunique() == 1).all()  # clusters nested in strata
    assert (hh.loc[hh["HH46"] != 1, "hhweight"] == 0).all()


def test_region_labels_are_kazakhstans_regions_and_cities(mics6_dir: Path) -> None:
    _, labels = read(mics6_dir, "hh")
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        names = {row["name_en"] for row in csv.DictReader(fh)}
    assert set(labels["HH7"].values()) == names
