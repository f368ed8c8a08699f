"""How long free text may be, and how many children one report may name.

One table for the forms (max_length), the API serializers and the services, so that
a page, the API and a direct call refuse the same input with the same message. The
limits are generous for the person typing and keep one record from filling a page
(or a database) with a pasted document.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NAME = 100  # one part of a person's name; a short code or number
FULL_NAME = 200  # a person's full name, or how to reach them
LINE = 300  # one line: an address, a goal, a child as described, who was present
NOTE = 4000  # a note, a reason, a summary
NARRATIVE = 10_000  # what was reported, what a visit found, why a risk level was chosen

# A report about more children than this is several reports: say so rather than
# make a page no one can screen.
CHILDREN_PER_REPORT = 20

# The largest record id (PostgreSQL bigint): a larger number names no record, and some
# databases fail on it rather than find nothing.
ID_MAX = 2**63 - 1


def text_problems(**fields: tuple[str, int]) -> dict[str, ValidationError]:
    """Field -> error for every text longer than its limit: field=(text, limit).

    A NUL character is refused too: no one types it, and PostgreSQL cannot store it.
    """
    problems = {}
    for name, (text, limit) in fields.items():
        if len(text) > limit:
            problems[name] = ValidationError(
                _("At most %(limit)s characters, please (this has %(length)s)."),
                code="max_length",
                params={"limit": limit, "length": len(text)},
            )
        elif "\x00" in text:
            problems[name] = ValidationError(
                _("Null characters are not allowed."), code="null_characters_not_allowed"
            )
    return problems
