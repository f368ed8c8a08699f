"""Child protection indicators and disaggregations, defined as data.

An indicator names its source file(s) and weight, maps the canonical column
names its expressions use to the variables of each file, and gives a universe
(the domain: completed interview and age range) and a numerator. Adding an
indicator means adding a definition here, not code elsewhere.

Canonical columns used by every source: ``cluster`` (HH1), ``stratum``,
``area`` (HH6), ``region`` (HH7), ``wealth`` (windex5). ``completed``, ``age``,
``sex`` and ``education`` are mapped per file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .expressions import (
    AtLeast,
    Below,
    Between,
    Eq,
    In,
    KnownSum,
    Not,
    Predicate,
    Var,
    all_of,
    any_of,
    any_yes,
)

DESIGN_COLUMNS: Mapping[str, str] = {
    "cluster": "HH1",
    "stratum": "stratum",
    "area": "HH6",
    "region": "HH7",
    "wealth": "windex5",
}


@dataclass(frozen=True)
class Source:
    """One data file of an indicator: its weight and its column mapping."""

    file: str
    weight: str
    columns: Mapping[str, str] = field(default_factory=dict)

    def mapping(self) -> dict[str, str]:
        """Canonical name -> variable in this file, design columns included."""
        return {**DESIGN_COLUMNS, **self.columns}


@dataclass(frozen=True)
class AgeGroup:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Disaggregation:
    """A background characteristic of MICS tables.

    ``key`` is the stable machine name (used in the tidy table and translated by
    the web layer); categories take the value labels of the data file unless
    ``groups`` bins a numeric column (age groups).
    """

    key: str
    title: str
    column: str | None = None
    groups: tuple[AgeGroup, ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    sources: tuple[Source, ...]
    universe: Predicate
    numerator: Predicate
    disaggregations: tuple[Disaggregation, ...]

    def columns(self) -> frozenset[str]:
        """Canonical columns the expressions and disaggregations need."""
        used = self.universe.columns() | self.numerator.columns()
        return used | {d.column for d in self.disaggregations if d.column}


TOTAL = Disaggregation("total", "Total")
AREA = Disaggregation("area", "Area", "area")
REGION = Disaggregation("region", "Region", "region")
SEX = Disaggregation("sex", "Sex", "sex")
WEALTH = Disaggregation("wealth", "Wealth index quintile", "wealth")
MOTHER_EDUCATION = Disaggregation("mother_education", "Mother's education", "education")
EDUCATION = Disaggregation("education", "Education", "education")


def age_groups(*groups: tuple[int, int, str]) -> Disaggregation:
    return Disaggregation("age", "Age", "age", tuple(AgeGroup(*g) for g in groups))


def _items(prefix: str, letters: str) -> dict[str, str]:
    """Canonical item names (``CD2C``) mapped to a file's prefixed names (``UCD2C``)."""
    return {f"CD2{x}": f"{prefix}{x}" for x in letters}


# Discipline items: A, B, E non-violent; D, H psychological; C, F, G, I, J, K physical.
_VIOLENT = ("CD2C", "CD2D", "CD2F", "CD2G", "CD2H", "CD2I", "CD2J", "CD2K")
_NON_VIOLENT = ("CD2A", "CD2B", "CD2E")
_PSYCHOLOGICAL = ("CD2D", "CD2H")
_PHYSICAL = ("CD2C", "CD2F", "CD2G", "CD2I", "CD2J", "CD2K")
_SEVERE = ("CD2I", "CD2K")
_LETTERS = "ABCDEFGHIJK"

# Hours coded 97 and above (97 "no hours", 98 DK, 99 no response) are missing.
_HOURS_MISSING_FROM = 97


def _completed_in_ages(low: int, high: int) -> Predicate:
    return all_of(Eq("completed", 1), Between("age", low, high))


def _discipline(sources: tuple[Source, ...], disaggregations: tuple[Disaggregation, ...]):
    universe = _completed_in_ages(1, 14)
    violent = any_yes(*_VIOLENT)
    measures = (
        ("PR.2", "Children age 1-14 who experienced any violent discipline method", violent),
        (
            "PR.2.NV",
            "Children age 1-14 who experienced only non-violent discipline",
            all_of(any_yes(*_NON_VIOLENT), Not(violent)),
        ),
        ("PR.2.PSY", "Children age 1-14 who experienced psychological aggression",
         any_yes(*_PSYCHOLOGICAL)),
        ("PR.2.PHY", "Children age 1-14 who experienced any physical punishment",
         any_yes(*_PHYSICAL)),
        ("PR.2.SEV", "Children age 1-14 who experienced severe physical punishment",
         any_yes(*_SEVERE)),
    )  # fmt: skip
    return tuple(
        Indicator(code, title, sources, universe, numerator, disaggregations)
        for code, title, numerator in measures
    )


def _child_labour() -> tuple[Indicator, Indicator]:
    hours = Var("CL3", _HOURS_MISSING_FROM)
    economic = all_of(
        any_yes("CL1A", "CL1B", "CL1C", "CL1X"),
        any_of(
            all_of(Between("age", 5, 11), AtLeast(hours, 1)),
            all_of(Between("age", 12, 14), AtLeast(hours, 14)),
            all_of(Between("age", 15, 17), AtLeast(hours, 43)),
        ),
    )
    chore_hours = KnownSum(tuple(Var(v, _HOURS_MISSING_FROM) for v in ("CL8", "CL10", "CL13")))
    chores = all_of(Between("age", 5, 14), AtLeast(chore_hours, 21))
    hazardous = any_yes("CL4", "CL5", "CL6A", "CL6B", "CL6C", "CL6D", "CL6E", "CL6X")
    source = Source(
        "fs",
        "fsweight",
        {"completed": "FS17", "age": "CB3", "sex": "HL4", "education": "melevel"}
        | {v: v for v in ("CL1A", "CL1B", "CL1C", "CL1X", "CL3", "CL8", "CL10", "CL13")}
        | {v: v for v in ("CL4", "CL5", "CL6A", "CL6B", "CL6C", "CL6D", "CL6E", "CL6X")},
    )
    disaggregations = (
        TOTAL, SEX, AREA, REGION, age_groups((5, 11, "5-11"), (12, 14, "12-14"),
        (15, 17, "15-17")), MOTHER_EDUCATION, WEALTH,
    )  # fmt: skip
    universe = _completed_in_ages(5, 17)
    labour = any_of(economic, chores)
    return (
        Indicator("PR.3", "Children age 5-17 involved in child labour", (source,), universe,
                  labour, disaggregations),
        Indicator("PR.3.HAZ",
                  "Children age 5-17 involved in child labour, including hazardous conditions",
                  (source,), universe, any_of(labour, hazardous), disaggregations),
    )  # fmt: skip


def _women(completed: str, age: str) -> tuple[Indicator, ...]:
    source = Source(
        "wm",
        "wmweight",
        {"completed": completed, "age": age, "education": "welevel", "WAGEM": "WAGEM",
         "MA1": "MA1"} | {f"DV1{x}": f"DV1{x}" for x in "ABCDE"},
    )  # fmt: skip
    plain = (TOTAL, AREA, REGION, EDUCATION, WEALTH)
    married_before = "Women age 20-24 who were first married or in union before age {}"
    return (
        Indicator("PR.4a", married_before.format(15), (source,), _completed_in_ages(20, 24),
                  Below("WAGEM", 15), plain),
        Indicator("PR.4b", married_before.format(18), (source,), _completed_in_ages(20, 24),
                  Below("WAGEM", 18), plain),
        Indicator("PR.5", "Women age 15-19 currently married or in union", (source,),
                  _completed_in_ages(15, 19), In("MA1", (1, 2)),
                  (TOTAL, AREA, REGION, age_groups((15, 17, "15-17"), (18, 19, "18-19")),
                   EDUCATION, WEALTH)),
        Indicator("PR.15.W", "Women age 15-49 who justify wife-beating for any reason",
                  (source,), _completed_in_ages(15, 49),
                  any_yes(*(f"DV1{x}" for x in "ABCDE")), _ATTITUDE_DISAGGREGATIONS),
    )  # fmt: skip


def _men(completed: str, age: str) -> Indicator:
    source = Source(
        "mn",
        "mnweight",
        {"completed": completed, "age": age, "education": "mwelevel"}
        | {f"DV1{x}": f"MDV1{x}" for x in "ABCDE"},
    )
    return Indicator(
        "PR.15.M",
        "Men age 15-49 who justify wife-beating for any reason",
        (source,),
        _completed_in_ages(15, 49),
        any_yes(*(f"DV1{x}" for x in "ABCDE")),
        _ATTITUDE_DISAGGREGATIONS,
    )


_ATTITUDE_DISAGGREGATIONS = (
    TOTAL, AREA, REGION,
    age_groups((15, 19, "15-19"), (20, 24, "20-24"), (25, 29, "25-29"), (30, 39, "30-39"),
               (40, 49, "40-49")),
    EDUCATION, WEALTH,
)  # fmt: skip


def _birth_registration(completed: str) -> Indicator:
    source = Source(
        "ch",
        "chweight",
        {"completed": completed, "age": "UB2", "sex": "HL4", "education": "melevel",
         "BR1": "BR1", "BR2": "BR2"},
    )  # fmt: skip
    return Indicator(
        "PR.1",
        "Children under age 5 whose births are registered",
        (source,),
        _completed_in_ages(0, 4),
        # Certificate seen (1) or not seen (2), or registered without one.
        any_of(In("BR1", (1, 2)), Eq("BR2", 1)),
        (TOTAL, SEX, AREA, REGION,
         age_groups((0, 0, "0"), (1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4")),
         MOTHER_EDUCATION, WEALTH),
    )  # fmt: skip


_DISCIPLINE_AGES = age_groups((1, 2, "1-2"), (3, 4, "3-4"), (5, 9, "5-9"), (10, 14, "10-14"))


def _mics6() -> tuple[Indicator, ...]:
    under5 = Source(
        "ch",
        "chweight",
        {"completed": "UF17", "age": "UB2", "sex": "HL4", "education": "melevel"}
        | _items("UCD2", _LETTERS),
    )
    selected = Source(
        "fs",
        "fsweight",
        {"completed": "FS17", "age": "CB3", "sex": "HL4", "education": "melevel"}
        | _items("FCD2", _LETTERS),
    )
    return (
        _birth_registration("UF17"),
        *_discipline(
            (under5, selected),
            (TOTAL, SEX, AREA, REGION, _DISCIPLINE_AGES, MOTHER_EDUCATION, WEALTH),
        ),
        *_child_labour(),
        *_women("WM17", "WB4"),
        _men("MWM17", "MWB4"),
    )


def _mics5() -> tuple[Indicator, ...]:
    # The selected child 1-17 lives in hh.sav; the reader adds ``slweight`` and the
    # child's sex (``SLHL4``, from hl.sav by line number SL9B).
    selected = Source(
        "hh",
        "slweight",
        {"completed": "HH9", "age": "SL9C", "sex": "SLHL4"} | _items("CD3", _LETTERS),
    )
    return (
        _birth_registration("UF9"),
        *_discipline((selected,), (TOTAL, SEX, AREA, REGION, _DISCIPLINE_AGES, WEALTH)),
        *_women("WM7", "WB2"),
        _men("MWM7", "MWB2"),
    )


INDICATORS: dict[str, Indicator] = {i.code: i for i in _mics6()}
"""MICS6 indicators by code; the registry the web layer lists."""

MICS5_INDICATORS: dict[str, Indicator] = {i.code: i for i in _mics5()}
"""The same indicators on the MICS5 layout (child labour is not mapped for MICS5)."""


def registry(layout: str) -> dict[str, Indicator]:
    return MICS5_INDICATORS if layout == "mics5" else INDICATORS
