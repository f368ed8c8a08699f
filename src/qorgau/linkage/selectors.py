"""Reads for linkage: likely existing records of a child at intake, merges, requests.

Candidates are found among all children, not only those the user may see, so that a
child registered elsewhere is not registered twice; those the user may not see are
handed out as a `Candidate` without the record (only the office that owns it).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet, Value

from qorgau.access import children_visible_to
from qorgau.accounts.models import Organisation, User
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.children.iin import InvalidIIN, parse_iin
from qorgau.children.models import Child, FamilyMember
from qorgau.children.names import fold_name
from qorgau.linkage.models import AccessRequest, ChildMerge
from qorgau.linkage.scoring import POSSIBLE, REASONS, Entered, Registered, score, swapped
from qorgau.protection.keys import iin_hashes

# How many rows each way of finding candidates may bring; the ranking keeps the best.
_BLOCK = 200
SHOWN = 10
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


def _name_block(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Every given word in the folded name or spelled nearly so (trigram index)."""
    for word in words:
        if connection.vendor == "postgresql":
            children = children.filter(
                Q(search_key__contains=word) | Q(TrigramWordSimilar(F("search_key"), Value(word)))
            )
        else:
            children = children.filter(search_key__contains=word[:4])
    return children


def _candidate_ids(entered: Entered) -> set[int]:
    """Ids found by blocking: IIN, birth date, near birth date and name, or name."""
    everyone = Child.objects.order_by()
    ids: set[int] = set()
    if entered.iin:
        ids |= set(
            everyone.filter(iin_hash__in=iin_hashes(entered.iin)).values_list("pk", flat=True)
        )
    last, first = fold_name(entered.last_name).split(), fold_name(entered.first_name).split()
    born = entered.birth_date
    queries = []
    if born is not None:
        days = [born] + [d for d in (swapped(born),) if d is not None]
        queries.append(everyone.filter(birth_date__in=days))
        near = everyone.filter(
            birth_date__range=(born - dt.timedelta(days=366), born + dt.timedelta(days=366))
        )
        # Either name, as a swapped first and last name still shares one.
        if last:
            queries.append(_name_block(near, last[:1]))
        if first:
            queries.append(_name_block(near, first[:1]))
    if last and first:
        queries.append(_name_block(everyone, last[:1] + first[:1]))
    for query in queries:
        ids |= set(query.values_list("pk", flat=True)[:_BLOCK])
    return ids


def office_of(child: Child) -> Organisation | None:
    """The child rights office whose territory the child lives in (the nearest one)."""
    kato = child.place.kato
    enclosing = {kato[:n].ljust(9, "0") for n in (2, 4, 6)} | {kato}
    offices = Organisation.objects.filter(kind__in=OFFICE_KINDS, place__kato__in=enclosing)
    found = [
        o for o in offices.select_related("place") if kato.startswith(o.place.territory_prefix)
    ]
    return max(found, key=lambda o: len(o.place.territory_prefix), default=None)


def intake_candidates(
    *, actor: User, entered: Entered, exclude: int | None = None, limit: int = SHOWN
) -> list[Candidate]:
    """Likely existing records of the child entered, best first, with the reasons.

    Logged as one search in the access log (a keyed hash of the folded name and date).
    """
    entered = Entered(**{**entered.__dict__, "iin": valid_iin(entered.iin)})
    ids = _candidate_ids(entered) - {exclude}
    carers = FamilyMember.objects.filter(
        Q(is_caregiver=True) | Q(relationship__in=_CARER_RELATIONSHIPS)
    )
    rows = (
        unmerged(Child.objects.filter(pk__in=ids))
        .select_related("place")
        .prefetch_related(Prefetch("family", queryset=carers, to_attr="carers"))
    )
    scored = []
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
    scored.sort(key=lambda pair: (-pair[0].points, pair[1].pk))
    scored = scored[:limit]
    visible = set(
        children_visible_to(actor)
        .filter(pk__in=[c.pk for _, c in scored])
        .values_list("pk", flat=True)
    )
    found = [
        Candidate(
            child=child,
            points=result.points,
            reason_codes=result.reasons,
            visible=child.pk in visible,
            office=None if child.pk in visible else office_of(child),
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
    return ChildMerge.objects.filter(kept=child).select_related("merged", "merged_by", "undone_by")


def requests_to(actor: User) -> QuerySet[AccessRequest]:
    """Access requests to the actor's office (its supervisors answer them)."""
    if actor.organisation_id is None:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(organisation_id=actor.organisation_id).select_related(
        "child", "child__place", "requested_by", "requested_by__organisation"
    )
