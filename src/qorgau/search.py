"""Search for children: by name, IIN, case or report number, address, school, family.

It sits above the access gate (it reads cases and reports to find their children, and
only what the gate lets the user see), so it lives here rather than in `children`, a
lower layer that must not import `cases` or `access`.
"""

import datetime as dt

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, models
from django.db.models import F, FloatField, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext_lazy as _

from qorgau.access import cases_visible_to, children_visible_to, reports_visible_to
from qorgau.accounts.models import Organisation, User
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases.models import Case, ReportChild
from qorgau.cases.references import Reference, parse_reference
from qorgau.children.models import Child, FamilyMember
from qorgau.children.names import fold_name
from qorgau.paging import Page, page_of, rows_through
from qorgau.protection.keys import iin_hashes


def name_matches(words: list[str]) -> Q:
    """Every word in the folded name, as typed."""
    matches = Q()
    for word in words:
        matches &= Q(search_key__contains=word)
    return matches


def near_name_matches(words: list[str]) -> Q:
    """Every word in the folded name or spelled nearly so (PostgreSQL).

    Both are found through the trigram index on `search_key`: a word within
    `pg_trgm.word_similarity_threshold` (set for the app's connections) is a match, so
    "Ержанова" finds "Ержанава".
    """
    matches = Q()
    for word in words:
        matches &= Q(search_key__contains=word) | Q(
            TrigramWordSimilar(F("search_key"), Value(word))
        )
    return matches


def _by_similarity(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Best first: the sum of each word's similarity to the name."""
    rank: CombinedExpression | Value = Value(0.0, FloatField())
    for word in words:
        rank = rank + TrigramWordSimilarity(word, "search_key")
    return children.annotate(rank=rank).order_by(F("rank").desc(), "last_name", "first_name", "pk")


def matching_names(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Every word in the folded name, as typed."""
    return children.filter(name_matches(words)).order_by("last_name", "first_name", "pk")


def nearly_matching_names(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Every word in the folded name or spelled nearly so, best first (PostgreSQL)."""
    return _by_similarity(children.filter(near_name_matches(words)), words)


class SearchBy(models.TextChoices):
    NAME = "name", _("Name, IIN, case or report number")
    ADDRESS = "address", _("Address")
    SCHOOL = "school", _("School")
    FAMILY = "family", _("Family member's name")


def _by_reference(actor: User, children: QuerySet[Child], ref: Reference) -> QuerySet[Child]:
    """The children of a case or report the actor sees, by its number (the year checked)."""
    if ref.kind == "C":
        cases = cases_visible_to(actor).filter(pk=ref.number, opened_at__year=ref.year)
        return children.filter(
            pk__in=Case.children.through.objects.filter(case__in=cases.values("pk")).values(
                "child_id"
            )
        )
    reports = reports_visible_to(actor).filter(pk=ref.number, received_at__year=ref.year)
    return children.filter(
        pk__in=ReportChild.objects.filter(report__in=reports.values("pk")).values("child_id")
    )


def _by_field(children: QuerySet[Child], by: str, text: str) -> QuerySet[Child]:
    """Address, school name or a family member's name containing the text as typed.

    On PostgreSQL the address and family names are read through trigram indexes on
    their upper case (children.0007); school names are few and the pupils indexed.
    SQLite (the demo) ignores the case of Latin letters only: "Ленина" as written.
    """
    if by == SearchBy.ADDRESS:
        return children.filter(address__icontains=text)
    if by == SearchBy.SCHOOL:
        return children.filter(school__in=Organisation.objects.filter(name__icontains=text))
    relatives = FamilyMember.objects.filter(full_name__icontains=text).values("child_id")
    return children.filter(pk__in=relatives)


def child_search(
    *,
    actor: User,
    text: str = "",
    birth_date: dt.date | None = None,
    by: str = SearchBy.NAME,
    page: int = 1,
    limit: int | None = None,
) -> Page[Child]:
    """Children visible to `actor` matching an IIN, a case or report number, or name
    words and a date of birth; or (`by`) an address, a school or a family member's name.

    Twelve digits are an exact IIN lookup; "C-2026-000123" or "R-2026-000045" the
    children of that case or report, if the actor sees it. Otherwise every name word
    must appear in the folded name, in any order and any script. One page of `limit`
    results (paging.PAGE_SIZE unless given). Each search is written to the access log
    with the page's result count and a keyed hash of the query, never its text.
    """
    children = children_visible_to(actor).select_related("place")
    text = text.strip()
    words = fold_name(text).split()
    reference = parse_reference(text) if by == SearchBy.NAME else None
    by_name = False
    if by != SearchBy.NAME:
        if not text:
            return page_of([], number=1, size=limit)
        if birth_date is not None:
            children = children.filter(birth_date=birth_date)
        found = _by_field(children, by, text).order_by("last_name", "first_name", "pk")
    elif reference is not None:
        found = _by_reference(actor, children, reference).order_by("pk")
    elif text.isdigit() and len(text) == 12:
        # The IIN is stored encrypted: it is found by its keyed hash (any current key).
        found = children.filter(iin_hash__in=iin_hashes(text)).order_by("pk")
    elif not words and birth_date is None:
        return page_of([], number=1, size=limit)
    else:
        # The name and the date go to the gate, whose region-led index finds them.
        born = Q(birth_date=birth_date) if birth_date is not None else Q()
        order = ("last_name", "first_name", "pk")
        found = children_visible_to(
            actor,
            matching=name_matches(words) & born,
            first=rows_through(page, limit),
            ordered_by=order,
        ).order_by(*order)
        by_name = bool(words)
    results = page_of(found, number=page, size=limit)
    if by_name and connection.vendor == "postgresql":
        # Near spellings only when the words as typed do not fill one page: a near
        # match of a common surname ("-ова") is a hundred thousand children nationwide.
        first = results if page == 1 else page_of(found, number=1, size=limit)
        if len(first) < first.size:
            near = children_visible_to(actor, matching=near_name_matches(words) & born)
            results = page_of(_by_similarity(near, words), number=page, size=limit)
    # The places of the page's children, read after it (no query where they were
    # joined): joined to the name search, PostgreSQL read one for every match before
    # the sort (7,800 of "Иван" in a region at 1M).
    prefetch_related_objects(results.rows, "place")
    query = (" ".join(words) or text, birth_date)
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        kind=RecordKind.CHILD,
        query=query if by == SearchBy.NAME else (by, text.casefold(), birth_date),
        result_count=len(results),
    )
    return results


def open_cases_by_child(*, actor: User, children: list[Child]) -> dict[int, list[Case]]:
    """The open cases `actor` sees of each of these children (one page of results)."""
    found: dict[int, list[Case]] = {child.pk: [] for child in children}
    cases = (
        cases_visible_to(actor)
        .exclude(status=Case.Status.CLOSED)
        .filter(children__in=list(found))
        .annotate(child_id=F("children"))
        .order_by("opened_at", "pk")
    )
    for case in cases:
        found[case.child_id].append(case)
    return found
