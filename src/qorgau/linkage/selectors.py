"""Reads for linkage: likely existing records of a child at intake, merges, requests.

Candidates are found among all children, not only those the user may see, so that a
child registered elsewhere is not registered twice; those the user may not see are
handed out as a `Candidate` without the record (only the office that owns it).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from qorgau.access import children_visible_to
from qorgau.accounts.models import Organisation, User
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.children.iin import InvalidIIN, parse_iin
from qorgau.children.models import Child, FamilyMember
from qorgau.children.names import fold_name
from qorgau.linkage.models import AccessRequest, AutoMergeSwitch, ChildMerge, MergeRequest
from qorgau.linkage.scoring import (
    LIKELY,
    POSSIBLE,
    REASONS,
    Entered,
    Registered,
    Score,
    score,
    swapped,
)
from qorgau.protection.keys import iin_hashes

# How many rows each way of finding candidates may bring; the ranking keeps the best.
_BLOCK = 200
SHOWN = 10
# pg_trgm word similarity of a misspelt name word. Lower than the child search's 0.5:
# a letter dropped from a short name ("Ақол" for "Ақжол") is 0.375, and the test runs
# only on the children of one exact name in one district; rapidfuzz then ranks them.
NEAR = 0.3
OFFICE_KINDS = (
    Organisation.Kind.CHILD_RIGHTS_OFFICE,
    Organisation.Kind.CHILD_RIGHTS_DEPARTMENT,
)
_CARER_RELATIONSHIPS = ("mother", "father", "guardian", "foster", "stepmother", "stepfather")


@dataclass
class Candidate:
    child: Child
    points: int
    reason_codes: list[str]
    visible: bool  # False: the user learns only that it exists, and its office
    office: Organisation | None
    token: str = ""  # signed, lets the user ask the office about a child they may not see

    @property
    def reasons(self) -> list[str]:
        return [str(REASONS[code]) for code in self.reason_codes]

    @property
    def same_iin(self) -> bool:
        return "iin" in self.reason_codes


def valid_iin(iin: str) -> str:
    try:
        parse_iin(iin)
    except InvalidIIN:
        return ""
    return iin


def unmerged(children: QuerySet[Child]) -> QuerySet[Child]:
    """Children not merged into another record."""
    active = ChildMerge.objects.filter(undone_at__isnull=True).values("merged_id")
    return children.exclude(pk__in=active)


def _near_name(children: QuerySet[Child], word: str) -> QuerySet[Child]:
    """A word of the folded name spelled nearly so.

    On PostgreSQL tested with pg_trgm's word_similarity as a function, not its `%>`
    operator: the rows come from the caller's other (selective) condition, and the
    trigram index, which would read every child sharing a few trigrams, is not used.
    """
    if connection.vendor == "postgresql":
        similarity = TrigramWordSimilarity(word, "search_key")
        return children.alias(near=similarity).filter(near__gte=NEAR)
    return children.filter(search_key__contains=word[:4])


def _with_words(children: QuerySet[Child], words: list[str], *, every: bool) -> QuerySet[Child]:
    """Folded name words (exact, in any order): all of them, or any of them.

    On PostgreSQL through the GIN index on the array of `search_key`'s words
    (migration linkage 0003), so a common surname costs its rows, not the registry.
    """
    if connection.vendor == "postgresql":
        array = RawSQL("string_to_array(search_key, ' ')", [], output_field=ArrayField(TextField()))
        lookup = "words__contains" if every else "words__overlap"
        return children.alias(words=array).filter(**{lookup: words})
    condition = Q()
    for word in words:
        match = Q(search_key__contains=word)
        condition = condition & match if every else condition | match
    return children.filter(condition)


def _candidate_ids(entered: Entered) -> set[int]:
    return _union_ids(candidate_blocks(entered))


def candidate_blocks(entered: Entered) -> list[QuerySet[Child]]:
    """The blocking queries: IIN; birth date (or day and month swapped) with a name
    word in common; the folded last and first names in any order, born within a year
    if a date is given. Each is read through an index (tests/linkage/test_lookup_plans)."""
    everyone = Child.objects.order_by()
    names = fold_name(entered.last_name).split()[:1] + fold_name(entered.first_name).split()[:1]
    born = entered.birth_date
    queries = []
    if entered.iin:
        queries.append(everyone.filter(iin_hash__in=iin_hashes(entered.iin)))
    if born is not None:
        days = [born] + [d for d in (swapped(born),) if d is not None]
        dated = everyone.filter(birth_date__in=days)
        if names:
            # A misspelt name with the right date: the other name is still there. Not
            # every child born that day (hundreds at a million) to be scored.
            dated = _with_words(dated, names, every=False)
        queries.append(dated)
    if len(names) == 2:
        named = _with_words(everyone, names, every=True)
        if born is not None:
            # An approximate date of birth ("about 10") is rarely off by more than a year.
            year = dt.timedelta(days=366)
            named = named.filter(birth_date__range=(born - year, born + year))
        queries.append(named)
    return queries


def _union_ids(queries: list[QuerySet[Child]]) -> set[int]:
    """The ids of every block in one round trip, each block cut at _BLOCK rows."""
    blocks = [query.values_list("pk", flat=True)[:_BLOCK] for query in queries]
    if len(blocks) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return set(blocks[0].union(*blocks[1:], all=True))
    # SQLite takes no LIMIT inside a UNION: one query per block.
    return {pk for block in blocks for pk in block}


def _typo_ids(entered: Entered, area: str) -> set[int]:
    return _union_ids(typo_blocks(entered, area))


def typo_blocks(entered: Entered, area: str) -> list[QuerySet[Child]]:
    """For when the exact blocks found no one: one name exact, the other spelled nearly
    so (a typo), in either order, in the district entered (`area`, a KATO prefix).

    The near spelling is tested only on the rows of the exact name in that district
    (GIN index and the place's children), never on the registry: a common surname has
    tens of thousands of children in the country, a few hundred in a district.
    """
    names = fold_name(entered.last_name).split()[:1] + fold_name(entered.first_name).split()[:1]
    if len(names) < 2:
        return []
    children = Child.objects.order_by()
    if area:
        children = children.filter(place__kato__startswith=area)
    return [
        _near_name(_with_words(children, [exact], every=True), near)
        for exact, near in (names, names[::-1])
    ]


def _territory_of(actor: User) -> str | None:
    organisation = actor.organisation
    return organisation.place.territory_prefix if organisation is not None else None


def office_of(child: Child) -> Organisation | None:
    """The child rights office whose territory the child lives in (the nearest one)."""
    return _office_of_place(child.place.kato)


def _office_of_place(kato: str) -> Organisation | None:
    return _offices_of_places([kato])[kato]


def _enclosing(kato: str) -> set[str]:
    return {kato[:n].ljust(9, "0") for n in (2, 4, 6)} | {kato}


def _offices_of_places(katos: list[str]) -> dict[str, Organisation | None]:
    """The nearest child rights office of each place, in one query."""
    enclosing = set().union(*(_enclosing(kato) for kato in katos)) if katos else set()
    offices = list(
        Organisation.objects.filter(kind__in=OFFICE_KINDS, place__kato__in=enclosing)
        .select_related("place")
        .order_by("pk")
    )
    nearest: dict[str, Organisation | None] = {}
    for kato in katos:
        found = [o for o in offices if kato.startswith(o.place.territory_prefix)]
        nearest[kato] = max(found, key=lambda o: len(o.place.territory_prefix), default=None)
    return nearest


def _scored(entered: Entered, ids: set[int]) -> list[tuple[Score, Child]]:
    """The children with these ids scored against the child entered, possible ones only."""
    carers = FamilyMember.objects.filter(
        Q(is_caregiver=True) | Q(relationship__in=_CARER_RELATIONSHIPS)
    )
    rows = (
        unmerged(Child.objects.filter(pk__in=ids))
        .select_related("place")
        .prefetch_related(Prefetch("family", queryset=carers, to_attr="carers"))
    )
    scored: list[tuple[Score, Child]] = []
    for child in rows:
        registered = Registered(
            last_name=child.last_name,
            first_name=child.first_name,
            middle_name=child.middle_name,
            other_spelling=child.other_spelling,
            birth_date=child.birth_date,
            iin=child.iin or "",
            kato=child.place.kato,
            caregivers=tuple(m.full_name for m in child.carers),
        )
        result = score(entered, registered)
        if result.points >= POSSIBLE:
            scored.append((result, child))
    return scored


def intake_candidates(
    *, actor: User, entered: Entered, exclude: int | None = None, limit: int = SHOWN
) -> list[Candidate]:
    """Likely existing records of the child entered, best first, with the reasons.

    Logged as one search in the access log (a keyed hash of the folded name and date).
    """
    entered = Entered(**{**entered.__dict__, "iin": valid_iin(entered.iin)})
    scored = _scored(entered, _candidate_ids(entered) - {exclude})
    if not any(result.points >= LIKELY for result, _ in scored):
        # The district entered; without a place, the user's territory.
        area = entered.kato[:4] if entered.kato else (_territory_of(actor) or "")
        typos = _typo_ids(entered, area) - {exclude}
        scored = _scored(entered, typos | {c.pk for _, c in scored})
    scored.sort(key=lambda pair: (-pair[0].points, pair[1].pk))
    scored = scored[:limit]
    visible = set(
        children_visible_to(actor)
        .filter(pk__in=[c.pk for _, c in scored])
        .values_list("pk", flat=True)
    )
    offices = _offices_of_places(
        sorted({child.place.kato for _, child in scored if child.pk not in visible})
    )
    found = [
        Candidate(
            child=child,
            points=result.points,
            reason_codes=result.reasons,
            visible=child.pk in visible,
            office=None if child.pk in visible else offices[child.place.kato],
        )
        for result, child in scored
    ]
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        kind=RecordKind.CHILD,
        query=("linkage", entered.folded, entered.birth_date),
        result_count=len(visible),
    )
    return found


def active_merge_of(child: Child) -> ChildMerge | None:
    """The merge that made this record part of another, if it is merged."""
    return (
        ChildMerge.objects.filter(merged=child, undone_at__isnull=True)
        .select_related("kept")
        .first()
    )


def merges_into(child: Child) -> QuerySet[ChildMerge]:
    return ChildMerge.objects.filter(kept=child).select_related(
        "merged", "merged_by", "undone_by", "request__requested_by__organisation"
    )


def requests_to(actor: User) -> QuerySet[AccessRequest]:
    """Access requests to the actor's office (its supervisors answer them)."""
    if actor.organisation_id is None:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(organisation_id=actor.organisation_id).select_related(
        "child", "child__place", "requested_by", "requested_by__organisation"
    )


def requests_from(actor: User) -> QuerySet[AccessRequest]:
    """The actor's own requests to other offices (the child is named only once accepted)."""
    return AccessRequest.objects.filter(requested_by=actor).select_related(
        "organisation", "report_child__report"
    )


def merge_requests_to(actor: User) -> QuerySet[MergeRequest]:
    """Merges across offices awaiting the approval of the actor's office, and answered."""
    if actor.organisation_id is None:
        return MergeRequest.objects.none()
    return MergeRequest.objects.filter(organisation_id=actor.organisation_id).select_related(
        "kept", "merged", "requested_by", "requested_by__organisation"
    )


def pending_merge_request(kept: Child, merged: Child) -> MergeRequest | None:
    return (
        MergeRequest.objects.filter(
            kept__in=[kept, merged],
            merged__in=[kept, merged],
            status=MergeRequest.Status.PENDING,
        )
        .select_related("organisation")
        .first()
    )


def auto_merge_switch_now() -> AutoMergeSwitch | None:
    """The change of the auto-merge setting in force (none: it was never switched on)."""
    return AutoMergeSwitch.objects.select_related("changed_by").first()


def auto_merge_enabled() -> bool:
    switch = auto_merge_switch_now()
    return switch is not None and switch.enabled
