"""The 20 regions of official statistics and the 2022 split.

Abai (10), Jetisu (33) and Ulytau (62) exist from 2022; before that their children
and offences are counted under East Kazakhstan (63), Almaty Region (19) and
Karaganda (35). National sums are continuous; a regional series that crosses the
split is not comparable for the three new regions nor for the three they left.
"""

import csv
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

SPLIT_YEAR = 2022
SPLIT_FROM = {"10": "63", "33": "19", "62": "35"}  # new region -> region it left
NATIONAL = "KZ"

_CSV = Path(__file__).resolve().parent.parent / "places" / "data" / "regions.csv"


@cache
def _rows() -> dict[str, dict[str, str]]:
    with _CSV.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row for row in csv.DictReader(f)}


def region_codes() -> list[str]:
    """All 20 codes in the order of official statistics (by code)."""
    return sorted(_rows())


def region_name(code: str) -> str:
    if code == NATIONAL:
        return {"kk": "Қазақстан", "en": "Kazakhstan"}.get(
            (get_language() or "ru")[:2], "Казахстан"
        )
    row = _rows()[code]
    lang = (get_language() or "ru")[:2]
    return row.get(f"name_{lang}") or row["name_ru"]


def existed_in(code: str, year: int) -> bool:
    """Whether official statistics report this region for this year."""
    return code not in SPLIT_FROM or year >= SPLIT_YEAR


def split_affected(code: str) -> bool:
    """A region whose borders changed in 2022: new, or one a new region left."""
    return code in SPLIT_FROM or code in SPLIT_FROM.values()


def comparable(code: str, year_from: int, year_to: int) -> bool:
    """Whether a regional series from year_from to year_to covers the same territory."""
    if code == NATIONAL or not split_affected(code):
        return True
    return (year_from >= SPLIT_YEAR) == (year_to >= SPLIT_YEAR)
