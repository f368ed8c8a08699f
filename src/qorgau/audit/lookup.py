"""Auditors find the child whose access log they need by name, IIN or case number.

Not by the internal id, which nobody outside the database knows. The lookup reads
through the same keyed IIN hash and folded-name search as the staff's child search,
over the children the gate lets auditors look up (`access.children_for_audit`), and
is itself logged as a search (a keyed hash of the query, never its text).
"""

from django.db.models import QuerySet
from django.http import HttpRequest

from qorgau.access import cases_for_audit, children_for_audit
from qorgau.accounts.models import User
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases.models import Case
from qorgau.cases.references import parse_reference
from qorgau.children.models import Child
from qorgau.children.names import fold_name
from qorgau.paging import Page, page_of
from qorgau.protection.keys import iin_hashes
from qorgau.search import matching_names


def _found(actor: User, text: str) -> QuerySet[Child]:
    children = children_for_audit(actor).select_related("place")
    reference = parse_reference(text)
    if reference is not None:
        if reference.kind != "C":
            return children.none()
        cases = cases_for_audit(actor).filter(pk=reference.number, opened_at__year=reference.year)
        links = Case.children.through.objects.filter(case__in=cases.values("pk"))
        return children.filter(pk__in=links.values("child_id")).order_by("pk")
    if text.isdigit() and len(text) == 12:
        return children.filter(iin_hash__in=iin_hashes(text)).order_by("pk")
    return matching_names(children, fold_name(text).split())


def children_lookup(*, actor: User, text: str, request: HttpRequest) -> Page[Child]:
    """One page of the children matching `text`, for their access logs."""
    text = text.strip()
    results = page_of(_found(actor, text), request, param="child_page")
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        kind=RecordKind.CHILD,
        query=("audit", " ".join(fold_name(text).split()) or text),
        result_count=len(results),
    )
    return results.linked_to(request)
