"""Case and report numbers as people type them: "C-2026-001234", "r-2026-17".

The numbers are `Case.reference` and `Report.reference`: a letter, the year opened or
received, and the record's id. Typed on a Russian or Kazakh keyboard the letters come
out Cyrillic ("С", "Р"), which look the same: they are read as C and R.
"""

import re
from dataclasses import dataclass

from qorgau.limits import ID_MAX

_REFERENCE = re.compile(r"^\s*([CRСР])\s*-?\s*(\d{4})\s*-\s*(\d{1,9})\s*$", re.IGNORECASE)
_CYRILLIC = str.maketrans({"С": "C", "Р": "R", "с": "C", "р": "R"})


@dataclass(frozen=True)
class Reference:
    kind: str  # "C": a case, "R": a report
    year: int
    number: int


def parse_reference(text: str) -> Reference | None:
    """The case or report a typed number names, or None if it is no such number."""
    match = _REFERENCE.match(text)
    if match is None:
        return None
    number = int(match.group(3))
    if not 0 < number <= ID_MAX:
        return None
    return Reference(match.group(1).translate(_CYRILLIC).upper(), int(match.group(2)), number)
