"""The Kazakh individual identification number (IIN).

12 digits: YYMMDD, a century/sex digit, four serial digits, a check digit computed
with two weight sets (see shared/domain/kazakhstan.md).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_FIRST_WEIGHTS = range(1, 12)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Century/sex digit -> (century start, sex): odd is male, even is female.
_CENTURY_SEX = {
    "1": (1800, "M"),
    "2": (1800, "F"),
    "3": (1900, "M"),
    "4": (1900, "F"),
    "5": (2000, "M"),
    "6": (2000, "F"),
}


class InvalidIIN(ValueError):
    pass


@dataclass(frozen=True)
class IINFacts:
    birth_date: dt.date
    sex: str  # "M" or "F"


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no valid IIN has this base."""
    digits = [int(c) for c in first_eleven]
    c = sum(w * d for w, d in zip(_FIRST_WEIGHTS, digits, strict=True)) % 11
    if c == 10:
        c = sum(w * d for w, d in zip(_SECOND_WEIGHTS, digits, strict=True)) % 11
        if c == 10:
            return None
    return c


def parse_iin(value: str) -> IINFacts:
    """Validate an IIN and return the birth date and sex it encodes.

    Raises InvalidIIN with a message that says what is wrong.
    """
    if len(value) != 12 or not value.isdigit():
        raise InvalidIIN(_("An IIN is exactly 12 digits."))
    if value[6] not in _CENTURY_SEX:
        raise InvalidIIN(_("The 7th digit of an IIN (century and sex) must be 1 to 6."))
    expected = check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise InvalidIIN(_("The IIN check digit is wrong: please check the number for a typo."))
    century, sex = _CENTURY_SEX[value[6]]
    try:
        birth_date = dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError as exc:
        raise InvalidIIN(_("The first six digits of the IIN are not a valid date.")) from exc
    return IINFacts(birth_date=birth_date, sex=sex)


def make_iin(birth_date: dt.date, sex: str, serial: int) -> str | None:
    """Build a valid IIN (synthetic data and tests); None when this serial has no check digit."""
    century = birth_date.year // 100 * 100
    code = {
        (1800, "M"): 1,
        (1800, "F"): 2,
        (1900, "M"): 3,
        (1900, "F"): 4,
        (2000, "M"): 5,
        (2000, "F"): 6,
    }[(century, sex)]
    base = f"{birth_date:%y%m%d}{code}{serial:04d}"
    digit = check_digit(base)
    return None if digit is None else f"{base}{digit}"
