"""The mark on children linked to a case of another region than their own.

access.children_visible_to finds the children a search matches beyond the searcher's
region by this mark (through a small index of the marked alone), so every service
that links a child to a case, or moves a case to another region, marks the children
that are now so. Never cleared (children.models.Child.linked_beyond_region).
"""

from collections.abc import Iterable

from django.db.models import F, Q
from django.db.models.functions import Substr
from django.db.models.lookups import Exact

from qorgau.cases.models import Case
from qorgau.children.models import Child


def children_mark_beyond_region(
    *, case_ids: Iterable[int] = (), child_ids: Iterable[int] = ()
) -> int:
    """Mark the children of these cases, and these children, that a case of another
    region than their own links to; how many were newly marked."""
    cases, children = list(case_ids), list(child_ids)
    if not cases and not children:
        return 0
    beyond = Case.children.through.objects.filter(
        Q(case_id__in=cases) | Q(child_id__in=children)
    ).exclude(Exact(Substr("case__region__kato", 1, 2), F("child__region_code")))
    return Child.objects.filter(
        pk__in=beyond.values("child_id"), linked_beyond_region=False
    ).update(linked_beyond_region=True)
