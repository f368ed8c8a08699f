"""What may honestly be said of an indicator's value against its target and baseline.

- A target is "met" only when the value reaches it (at or above it, or at or below it
  for an indicator that should fall); an estimated value (with a 95% interval) only
  when the whole interval does, "not met" when none of it does, else "unclear".
- Against the baseline, an estimated value whose interval holds the baseline shows
  "no clear change", never a rise or a fall.
"""

from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class TargetStatement(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNCLEAR = "unclear"  # the interval holds the target
    NO_VALUE = "no_value"
    NO_TARGET = "no_target"


class ChangeStatement(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"
    NO_CLEAR_CHANGE = "no_clear_change"


TARGET_LABELS = {
    TargetStatement.MET: _("Target met"),
    TargetStatement.NOT_MET: _("Target not met"),
    TargetStatement.UNCLEAR: _("Unclear: the interval includes the target"),
    TargetStatement.NO_VALUE: _("No value reported"),
    TargetStatement.NO_TARGET: _("No target"),
}
CHANGE_LABELS = {
    ChangeStatement.UP: _("Up from the baseline"),
    ChangeStatement.DOWN: _("Down from the baseline"),
    ChangeStatement.SAME: _("Same as the baseline"),
    ChangeStatement.NO_CLEAR_CHANGE: _("No clear change from the baseline"),
}


def _reaches(value: Decimal, target: Decimal, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def target_statement(
    *,
    value: Decimal | None,
    target: Decimal | None,
    higher_is_better: bool,
    ci_low: Decimal | None = None,
    ci_high: Decimal | None = None,
) -> TargetStatement:
    if target is None:
        return TargetStatement.NO_TARGET
    if value is None:
        return TargetStatement.NO_VALUE
    if ci_low is None or ci_high is None:
        return (
            TargetStatement.MET
            if _reaches(value, target, higher_is_better)
            else (TargetStatement.NOT_MET)
        )
    worst, best = (ci_low, ci_high) if higher_is_better else (ci_high, ci_low)
    if _reaches(worst, target, higher_is_better):
        return TargetStatement.MET
    if not _reaches(best, target, higher_is_better):
        return TargetStatement.NOT_MET
    return TargetStatement.UNCLEAR


def change_statement(
    *,
    value: Decimal,
    baseline: Decimal,
    ci_low: Decimal | None = None,
    ci_high: Decimal | None = None,
) -> ChangeStatement:
    if ci_low is not None and ci_high is not None and ci_low <= baseline <= ci_high:
        return ChangeStatement.NO_CLEAR_CHANGE
    if value > baseline:
        return ChangeStatement.UP
    if value < baseline:
        return ChangeStatement.DOWN
    return ChangeStatement.SAME
