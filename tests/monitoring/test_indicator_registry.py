"""Indicators are definitions: checked when registered, computed from measures."""

import pytest

from qorgau.monitoring.indicators import Dim, Indicator, Source, Unit, compute, indicator

NAMES = {"kk": "сынақ", "ru": "тест", "en": "test"}


def test_an_indicator_without_a_kazakh_name_is_refused():
    with pytest.raises(ValueError, match="no name in"):
        Indicator(
            code="x",
            names={"ru": "x", "en": "x"},
            numerator="offences.count",
            denominator=None,
            unit=Unit.COUNT,
            disaggregations=frozenset(),
            source=Source.CASES,
        )


def test_a_rate_without_a_denominator_is_refused():
    with pytest.raises(ValueError, match="denominator"):
        Indicator(
            code="x",
            names=NAMES,
            numerator="offences.count",
            denominator=None,
            unit=Unit.PER_100K,
            disaggregations=frozenset(),
            source=Source.OFFICIAL,
        )


def test_a_disaggregation_the_definition_does_not_support_is_refused():
    with pytest.raises(ValueError, match="no disaggregation by"):
        compute("offences.rate", {}, (Dim.SEX,))


def test_the_shipped_rate_is_per_100000_children():
    rate = indicator("offences.rate")
    assert rate.unit == Unit.PER_100K
    assert rate.value(3, 60_000) == pytest.approx(5.0)
    assert rate.value(3, 0) is None
