import datetime as dt

import pytest

from qorgau.programmes.periods import Quarter, last_due


def test_a_quarter_knows_its_days_and_its_neighbours():
    q = Quarter(2026, 4)
    assert (q.starts_on, q.ends_on) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert q.next() == Quarter(2027, 1)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter.of(dt.date(2026, 5, 31)) == Quarter(2026, 2)
    with pytest.raises(ValueError, match="quarter 5"):
        Quarter(2026, 5)


def test_a_report_is_due_the_configured_days_after_its_quarter(settings):
    settings.QORGAU_PROGRAMME_REPORT_DAYS = 10
    assert Quarter(2026, 1).due_on == dt.date(2026, 4, 10)
    # On 10 April the first quarter's report is not late yet; on the 11th it is.
    assert last_due(dt.date(2026, 4, 10)) == Quarter(2025, 4)
    assert last_due(dt.date(2026, 4, 11)) == Quarter(2026, 1)
