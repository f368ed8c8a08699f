"""Reads of children: search before registering, so one child has one record."""

import datetime as dt

from django.db.models import QuerySet

from qorgau.access import children_visible_to
from qorgau.accounts.models import User
from qorgau.children.models import Child
from qorgau.children.names import fold_name


def child_search(
    *, actor: User, text: str = "", birth_date: dt.date | None = None, limit: int = 25
) -> QuerySet[Child]:
    """Children visible to `actor` matching an IIN, or name words and a date of birth.

    Twelve digits are an exact IIN lookup. Otherwise every name word must appear in
    the folded name, in any order and any script.
    """
    children = children_visible_to(actor).select_related("place")
    text = text.strip()
    if text.isdigit() and len(text) == 12:
        return children.filter(iin=text)[:limit]
    words = fold_name(text).split()
    if not words and birth_date is None:
        return Child.objects.none()
    for word in words:
        children = children.filter(search_key__contains=word)
    if birth_date is not None:
        children = children.filter(birth_date=birth_date)
    return children.order_by("last_name", "first_name", "pk")[:limit]
