"""The one place of duration statistics and their publication rules."""

import numpy as np
import pytest

from qorgau.monitoring import indicators, published
from qorgau.monitoring.disclosure import suppress_share, suppress_statistic
from qorgau.monitoring.durations import Durations, percentile, register_durations
from qorgau.monitoring.indicators import Dim, Indicator, Source, Unit, measure_fn, register


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.5, 0.9, 1.0])
@pytest.mark.parametrize(
    "values", [[7.0], [3.0, 1.0], [2, 4, 6, 8, 50], [0.5, 12, 12, 13, 99, 100, 101, 250]]
)
def test_the_python_percentile_is_percentile_cont(values, fraction):
    # numpy's default ("linear") is PostgreSQL's percentile_cont.
    assert percentile(values, fraction) == pytest.approx(np.percentile(values, fraction * 100))


def test_no_percentile_of_nothing():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


def test_a_statistic_of_fewer_values_than_the_threshold_is_hidden(settings):
    settings.QORGAU_SUPPRESS_BELOW = 5
    assert suppress_statistic(12.5, 4) is None
    assert suppress_statistic(12.5, 5) == 12.5
    assert suppress_statistic(None, 50) is None


def test_a_share_is_hidden_when_its_part_or_the_rest_is_small(settings):
    settings.QORGAU_SUPPRESS_BELOW = 5
    assert suppress_share(3, 40) is None  # 3 children
    assert suppress_share(37, 40) is None  # the 3 others
    assert suppress_share(0, 40) == 0
    assert suppress_share(20, 40) == 50
    assert suppress_share(0, 0) is None


def _fake_source(filters, by):
    rows = {"55": Durations(6, 10.0, 40.0), "71": Durations(2, 3.0, 4.0)}
    if by == (Dim.REGION,):
        return {(code,): d for code, d in rows.items()}
    return {(): Durations(8, 9.0, 38.0)}


@pytest.fixture
def wait_hours(monkeypatch):
    """A duration indicator of a fake source, registered for the test only."""
    monkeypatch.setattr(indicators, "_MEASURES", dict(indicators._MEASURES))
    monkeypatch.setattr(indicators, "_INDICATORS", dict(indicators._INDICATORS))
    register_durations("test.wait_hours", (Dim.REGION,), _fake_source)
    register(
        Indicator(
            code="test.wait_hours_p50",
            names={"kk": "k", "ru": "r", "en": "Wait"},
            numerator="test.wait_hours_p50",
            denominator=None,
            unit=Unit.HOURS,
            disaggregations=frozenset({Dim.REGION}),
            source=Source.CASES,
            count_measure="test.wait_hours_n",
        )
    )


@pytest.mark.usefixtures("wait_hours")
def test_register_durations_makes_the_three_measures():
    assert measure_fn("test.wait_hours_p90").counts({}, (Dim.REGION,))[("55",)] == 40.0
    assert measure_fn("test.wait_hours_n").counts({}, ()) == {(): 8.0}


@pytest.mark.usefixtures("wait_hours")
def test_a_published_duration_column_hides_the_statistic_of_few(settings):
    settings.QORGAU_SUPPRESS_BELOW = 5
    column = published.column("test.wait_hours_p50", {}, Dim.REGION, ["55", "71", "10"])
    assert column.values == {"55": 10.0, "71": None, "10": None}
    assert column.total == 9.0


def test_a_duration_indicator_must_name_its_count():
    with pytest.raises(ValueError, match="names the measure of its count"):
        Indicator(
            code="test.bad",
            names={"kk": "k", "ru": "r", "en": "e"},
            numerator="test.wait_hours_p50",
            denominator=None,
            unit=Unit.HOURS,
            disaggregations=frozenset(),
            source=Source.CASES,
        )


def test_within_one_page_a_source_is_read_once_per_breakdown(monkeypatch):
    from qorgau.monitoring.indicators import memoised

    monkeypatch.setattr(indicators, "_MEASURES", dict(indicators._MEASURES))
    calls = []

    def source(filters, by):
        calls.append(by)
        return _fake_source(filters, by)

    register_durations("test.counted_hours", (Dim.REGION,), source)
    p50, n = measure_fn("test.counted_hours_p50"), measure_fn("test.counted_hours_n")
    with memoised():
        p50.counts({}, (Dim.REGION,))
        n.counts({}, (Dim.REGION,))
        n.counts({}, ())
    assert calls == [(Dim.REGION,), ()]
    p50.counts({}, ())  # outside a page: read again
    assert len(calls) == 3
