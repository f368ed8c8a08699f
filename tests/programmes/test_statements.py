"""Honest statements: a target is met only when reached; an interval is never rounded up."""

from decimal import Decimal as D

import pytest

from qorgau.programmes.statements import (
    ChangeStatement,
    TargetStatement,
    change_statement,
    target_statement,
)


@pytest.mark.parametrize(
    ("value", "target", "higher", "expected"),
    [
        (D("50"), D("50"), True, TargetStatement.MET),
        (D("49.999"), D("50"), True, TargetStatement.NOT_MET),
        (D("12"), D("12.5"), False, TargetStatement.MET),
        (D("12.6"), D("12.5"), False, TargetStatement.NOT_MET),
        (None, D("1"), True, TargetStatement.NO_VALUE),
        (D("1"), None, True, TargetStatement.NO_TARGET),
    ],
)
def test_a_counted_value_meets_its_target_only_when_it_reaches_it(value, target, higher, expected):
    assert target_statement(value=value, target=target, higher_is_better=higher) == expected


@pytest.mark.parametrize(
    ("low", "high", "higher", "expected"),
    [
        (D("51"), D("55"), True, TargetStatement.MET),
        (D("45"), D("55"), True, TargetStatement.UNCLEAR),
        (D("40"), D("49"), True, TargetStatement.NOT_MET),
        (D("40"), D("49"), False, TargetStatement.MET),
        (D("45"), D("55"), False, TargetStatement.UNCLEAR),
    ],
)
def test_an_estimated_value_meets_its_target_only_when_its_whole_interval_does(
    low, high, higher, expected
):
    statement = target_statement(
        value=D("50.5"), target=D("50"), higher_is_better=higher, ci_low=low, ci_high=high
    )
    assert statement == expected


def test_an_estimate_whose_interval_holds_the_baseline_shows_no_clear_change():
    assert (
        change_statement(value=D("12"), baseline=D("10"), ci_low=D("9"), ci_high=D("15"))
        == ChangeStatement.NO_CLEAR_CHANGE
    )
    assert (
        change_statement(value=D("12"), baseline=D("10"), ci_low=D("11"), ci_high=D("13"))
        == ChangeStatement.UP
    )
    assert change_statement(value=D("8"), baseline=D("10")) == ChangeStatement.DOWN
    assert change_statement(value=D("10"), baseline=D("10")) == ChangeStatement.SAME
