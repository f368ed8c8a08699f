"""Reads of children: search before registering, so one child has one record."""

import datetime as dt

from django.db.models import QuerySet

from qorgau.access import children_visible_to
from qorgau.accounts.models import User
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.children.models import Child
from qorgau.children.names import fold_name
from qorgau.protection.keys import iin_hashes


def child_search(
    *, actor: User, text: str = "", birth_date: dt.date | None = None, limit: int = 25
) -> QuerySet[Child]:
    """Children visible to `actor` matching an IIN, or name words and a date of birth.

    Twelve digits are an exact IIN lookup. Otherwise every name word must appear in
    the folded name, in any order and any script. Each search is written to the
    access log with its result count and a keyed hash of the query, never its text.
    """
    children = children_visible_to(actor).select_related("place")
    text = text.strip()
    words = fold_name(text).split()
    if text.isdigit() and len(text) == 12:
        # The IIN is stored encrypted: it is found by its keyed hash (any current key).
        results = children.filter(iin_hash__in=iin_hashes(text))[:limit]
    elif not words and birth_date is None:
        return Child.objects.none()
    else:
        for word in words:
            children = children.filter(search_key__contains=word)
        if birth_date is not None:
            children = children.filter(birth_date=birth_date)
        results = children.order_by("last_name", "first_name", "pk")[:limit]
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        kind=RecordKind.CHILD,
        query=(" ".join(words) or text, birth_date),
        result_count=len(results),  # evaluates once; the caller reuses the cached rows
    )
    return results
