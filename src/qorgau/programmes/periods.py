"""Reporting periods: calendar quarters, and when a quarter's report is due.

The grace after a quarter's end is configuration (QORGAU_PROGRAMME_REPORT_DAYS,
10 days by default): the plans of measures set it, and it changes with them.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter {self.quarter} is not 1 to 4")

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def ends_on(self) -> dt.date:
        return self.next().starts_on - dt.timedelta(days=1)

    @property
    def due_on(self) -> dt.date:
        return self.ends_on + dt.timedelta(days=settings.QORGAU_PROGRAMME_REPORT_DAYS)

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)
        )

    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)
        )

    @classmethod
    def of(cls, day: dt.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)


def last_due(today: dt.date) -> Quarter:
    """The latest quarter whose report is due by `today` (its deadline has passed)."""
    quarter = Quarter.of(today).previous()
    return quarter if quarter.due_on < today else quarter.previous()
