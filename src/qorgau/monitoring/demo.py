"""Five years of synthetic official statistics for the demo: never real figures.

Population by region, sex and age; offences against minors by group with a built-in
decline of especially grave offences (about 9% a year) and of sexual ones (about 3%),
so the first page has statements to make. Before 2022 Abai, Jetisu and Ulytau are
counted under East Kazakhstan, Almaty Region and Karaganda, as the statistics were.
"""

import csv
import io

import numpy as np
from django.core.management.base import BaseCommand
from django.utils import timezone

from qorgau.monitoring.regions import SPLIT_FROM, existed_in, region_codes
from qorgau.monitoring.services import stats_import

SEED = 2026
YEARS = 5
# Children aged 0-17, thousands, in the latest year (rough shape, synthetic).
CHILDREN_K = {
    "10": 190, "11": 200, "15": 300, "19": 480, "23": 250, "27": 190, "31": 400,
    "33": 220, "35": 330, "39": 190, "43": 320, "47": 320, "55": 190, "59": 120,
    "61": 900, "62": 70, "63": 190, "71": 450, "75": 550, "79": 450,
}  # fmt: skip
AGE_SHARE = {"0-4": 0.30, "5-9": 0.30, "10-14": 0.27, "15-17": 0.13}
BOYS = 0.515
# Offences per 100,000 children in the first year, and the yearly factor.
OFFENCES = {
    "especially_grave": (16.0, 0.91),
    "grave": (38.0, 0.98),
    "medium": (55.0, 1.0),
    "minor": (70.0, 1.01),
    "sexual": (21.0, 0.97),
    "suicide_incitement": (1.2, 1.0),
    "trafficking": (0.4, 1.0),
    "bullying_admin": (25.0, 1.05),
}


def demo_years() -> list[int]:
    last = timezone.localdate().year - 1
    return list(range(last - YEARS + 1, last + 1))


def _reported_as(code: str, year: int) -> str:
    return code if existed_in(code, year) else SPLIT_FROM[code]


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def population_csv() -> bytes:
    years = demo_years()
    cells: dict[tuple[int, str, str, str], int] = {}
    for k, year in enumerate(years):
        growth = 1 - 0.01 * (len(years) - 1 - k)  # about 1% more children a year
        for code in region_codes():
            total = CHILDREN_K[code] * 1000 * growth
            for sex, share in (("M", BOYS), ("F", 1 - BOYS)):
                for age, age_share in AGE_SHARE.items():
                    key = (year, _reported_as(code, year), sex, age)
                    cells[key] = cells.get(key, 0) + round(total * share * age_share)
    rows = [[*key, n] for key, n in sorted(cells.items())]
    return _csv(["year", "region", "sex", "age_group", "children"], rows)


def offences_csv() -> bytes:
    rng = np.random.default_rng(SEED)
    years = demo_years()
    cells: dict[tuple[int, str, str], int] = {}
    for k, year in enumerate(years):
        for code in region_codes():
            children = CHILDREN_K[code] * 1000
            for group, (rate, factor) in OFFENCES.items():
                # Regions differ a little in their rates, as they do.
                local = rate * (0.7 + 0.6 * ((int(code) * 7 + len(group)) % 10) / 10)
                mean = local * factor**k * children / 100_000
                key = (year, _reported_as(code, year), group)
                cells[key] = cells.get(key, 0) + int(rng.poisson(mean))
    rows = [[*key, n] for key, n in sorted(cells.items())]
    return _csv(["year", "region", "group", "count"], rows)


def ensure_demo_statistics(command: BaseCommand | None = None) -> None:
    """Import the synthetic population and offences (the same files again change nothing)."""
    for kind, name, content in (
        ("population", "demo-population.csv", population_csv()),
        ("offences", "demo-offences.csv", offences_csv()),
    ):
        outcome = stats_import(actor=None, kind=kind, file_name=name, content=content)
        if command is not None:
            command.stdout.write(
                f"Demo {kind}: {len(outcome.added)} cells added, {len(outcome.changed)} changed."
            )
