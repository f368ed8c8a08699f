"""Who may see which record. Nothing else hands out children, reports or cases.

Every page, API endpoint and search gets its records from the functions here, so the
rule can be tightened in one place. The rule today (foundation):
- caseworkers and supervisors see the cases of their organisation (and of its district
  offices), and the reports and children of its territory (the KATO prefix of the
  organisation's place: a region, a district);
- a restricted case (sexual violence, suicide risk) only its worker, the worker's
  supervisor and the supervisors of the owning organisation;
- a receiving organisation sees a case that is being transferred to it, and loses
  it when the transfer is declined (or, for the sender, accepted);
- a colleague a supervisor granted access to sees that case until the grant is
  revoked or expires; an emergency ("break the glass") access opens one case for a
  short time, with a reason, and is reviewed afterwards (qorgau.grants);
- 111 operators and school reporters see the reports their organisation made, not cases;
- analysts, auditors and administrators see no personal records at all (aggregates only).
"Does not exist" and "not yours" are the same 404, with one exception: the staff of
the organisation that transferred a case away are told where it went and when.
Every record handed out by access_* is written to the access log (qorgau.audit).

Cost: what a user may see is first read from the small tables (organisations, the
user's team, their grants, emergency accesses and incoming transfers) into lists of
ids, so the rule on a case row is a test of its own indexed columns against constants.
PostgreSQL then reads only the matching cases through their indexes (a BitmapOr), and
a caller's further filter (a worker, a child, one id) narrows it first; the cost
follows what the user can see, not the number of cases in the country (docs/adr/0002, "Cost").
"""

from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm, Role
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases.models import Case, Report, Transfer
from qorgau.children.models import Child
from qorgau.grants.models import CaseAccessGrant, EmergencyAccess
from qorgau.limits import ID_MAX
from qorgau.linkage.models import AccessRequest, CandidatePair, ChildMerge

_CASE_STAFF = (Role.CASEWORKER, Role.SUPERVISOR)
_REPORTERS = (Role.OPERATOR_111, Role.SCHOOL_REPORTER)


def _territory(user: User) -> str | None:
    """The KATO prefix of the user's organisation's territory; None: no personal data."""
    if not user.is_authenticated or not user.is_active or user.organisation is None:
        return None
    return user.organisation.place.territory_prefix


@dataclass(frozen=True)
class _Reach:
    """The ids a case staff member's cases are found by, read in one small query."""

    organisations: list[int]  # the user's organisation and its branches (district offices)
    workers: list[int]  # the user and the caseworkers they supervise
    cases: list[int]  # offered to the organisation by a transfer, or granted to the user
    emergency: list[int]  # opened by the user in an emergency (break the glass)


def _ids(kind: str, rows: QuerySet, column: str) -> QuerySet:
    return rows.order_by().annotate(reach=Value(kind, CharField())).values_list("reach", column)


def _reach(user: User) -> _Reach:
    organisation_id = user.organisation_id
    rows = _ids(
        "organisation",
        Organisation.objects.filter(Q(pk=organisation_id) | Q(parent_id=organisation_id)),
        "pk",
    ).union(
        _ids("worker", User.objects.filter(supervisor=user), "pk"),
        _ids(
            "case",
            Transfer.objects.filter(
                status=Transfer.Status.PENDING, to_organisation_id=organisation_id
            ),
            "case_id",
        ),
        _ids("case", CaseAccessGrant.objects.live().filter(user=user), "case_id"),
        _ids("emergency", EmergencyAccess.objects.live().filter(user=user), "case_id"),
        all=True,
    )
    found: dict[str, list[int]] = {
        "organisation": [],
        "worker": [user.pk],
        "case": [],
        "emergency": [],
    }
    for kind, pk in rows:
        found[kind].append(pk)
    return _Reach(found["organisation"], found["worker"], found["case"], found["emergency"])


def _case_rule(user: User, reach: _Reach, via: str = "") -> Q:
    """The rule on one case row; `via` reaches the case from another model ("case__")."""
    # Cases of the user's organisation and of its branches...
    own_organisation = Q(**{f"{via}organisation_id__in": reach.organisations})
    # ...restricted ones only for its supervisors, who answer for every case of it.
    if user.role != Role.SUPERVISOR:
        own_organisation &= Q(**{f"{via}restricted": False})
    # The user's own cases and their team's, restricted ones included.
    own = Q(**{f"{via}worker_id__in": reach.workers})
    # A case offered to the organisation by a pending transfer, or granted to the user.
    beyond = Q(**{f"{via}pk__in": reach.cases})
    # A case opened in an emergency: never a restricted one (ADR 0008), even one
    # restricted after the glass was broken.
    emergency = Q(**{f"{via}pk__in": reach.emergency, f"{via}restricted": False})
    return own_organisation | own | beyond | emergency


def cases_visible_to(user: User) -> QuerySet[Case]:
    if _territory(user) is None or user.role not in _CASE_STAFF:
        return Case.objects.none()
    return Case.objects.filter(_case_rule(user, _reach(user)))


class CaseTransferredAway(Http404):
    """The 404 of a case its reader's organisation handed over by an accepted transfer."""

    def __init__(self, transfer: Transfer) -> None:
        super().__init__("case transferred")
        self.transfer = transfer


def case_transferred_away(user: User, case_id: int) -> Transfer | None:
    """The accepted transfer that took the case out of the user's organisation.

    Only for those who had the case: staff of the sending organisation (or of the
    office above it); for a restricted case only who asked for the transfer and the
    sending organisation's supervisors. Anyone else learns nothing, not even that the
    case exists.
    """
    if _territory(user) is None or user.role not in _CASE_STAFF or not 0 < case_id <= ID_MAX:
        return None
    sender = Q(from_organisation_id=user.organisation_id) | Q(
        from_organisation__parent_id=user.organisation_id
    )
    had_it = Q(case__restricted=False) | Q(requested_by=user)
    if user.role == Role.SUPERVISOR:
        had_it = Q()
    return (
        Transfer.objects.filter(sender, had_it, case_id=case_id, status=Transfer.Status.ACCEPTED)
        .select_related("to_organisation")
        .order_by("-decided_at")
        .first()
    )


def access_case(user: User, case_id: int) -> Case:
    try:
        case = (
            cases_visible_to(user)
            .select_related("region", "organisation", "worker")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        transfer = case_transferred_away(user, case_id)
        raise (Http404 if transfer is None else CaseTransferredAway(transfer)) from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CASE, record_id=case.pk)
    return case


def reports_visible_to(user: User) -> QuerySet[Report]:
    territory = _territory(user)
    if territory is None:
        return Report.objects.none()
    if user.role in _CASE_STAFF:
        visible_case = _case_rule(user, _reach(user), via="case__")
        # A report of the territory, unless it was screened into a restricted case:
        # then it tells what the case tells.
        in_territory = Q(place__kato__startswith=territory) & (
            Q(case__isnull=True) | Q(case__restricted=False)
        )
        return Report.objects.filter(in_territory | visible_case)
    if user.role in _REPORTERS:
        return Report.objects.filter(created_by__organisation=user.organisation)
    return Report.objects.none()


def access_report(user: User, report_id: int) -> Report:
    try:
        report = (
            reports_visible_to(user).select_related("place", "case", "created_by").get(pk=report_id)
        )
    except Report.DoesNotExist:
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.REPORT, record_id=report.pk)
    return report


def children_visible_to(user: User) -> QuerySet[Child]:
    territory = _territory(user)
    if territory is None or not user.has_perm_code(Perm.CHILD_VIEW):
        return Child.objects.none()
    # Children of the territory...
    in_territory = Q(place__kato__startswith=territory)
    # ...and the children of any case the user sees, wherever they live: tested per
    # child outside the territory, by its first link to a visible case. A scalar
    # subquery, as PostgreSQL would turn an EXISTS here into a hash of every link of
    # every visible case (50 000 of a regional department) on each search.
    visible_case_link = Subquery(
        Case.children.through.objects.filter(child_id=OuterRef("pk"))
        .filter(_case_rule(user, _reach(user), via="case__"))
        .values("pk")[:1]
    )
    return Child.objects.alias(visible_case_link=visible_case_link).filter(
        in_territory | Q(visible_case_link__isnull=False)
    )


def access_child(user: User, child_id: int) -> Child:
    try:
        child = children_visible_to(user).select_related("place", "school").get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=child.pk)
    return child


def access_merge(user: User, merge_id: int) -> ChildMerge:
    """A merge of two records, for whoever may merge and sees the record kept."""
    if not user.has_perm_code(Perm.CHILD_MERGE):
        raise Http404
    kept = children_visible_to(user).values("pk")
    try:
        merge = ChildMerge.objects.select_related("kept", "merged").get(
            pk=merge_id, kept_id__in=kept
        )
    except ChildMerge.DoesNotExist:
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=merge.kept_id)
    return merge


def access_request_to_office(user: User, request_id: int) -> AccessRequest:
    """A request about a child, for the supervisors of the office it was sent to."""
    if not user.has_perm_code(Perm.CHILD_MERGE) or user.organisation_id is None:
        raise Http404
    try:
        request = AccessRequest.objects.select_related("child", "report_child").get(
            pk=request_id, organisation_id=user.organisation_id
        )
    except AccessRequest.DoesNotExist:
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=request.child_id)
    return request


def candidate_pairs_visible_to(user: User) -> QuerySet[CandidatePair]:
    """Pairs of the batch model whose two records the user may see and merge."""
    if not user.has_perm_code(Perm.CHILD_MERGE):
        return CandidatePair.objects.none()
    visible = children_visible_to(user).values("pk")
    return CandidatePair.objects.filter(left_id__in=visible, right_id__in=visible)


def access_candidate_pair(user: User, pair_id: int) -> CandidatePair:
    try:
        pair = (
            candidate_pairs_visible_to(user)
            .select_related("left", "left__place", "right", "right__place", "run")
            .get(pk=pair_id)
        )
    except CandidatePair.DoesNotExist:
        raise Http404 from None
    for child_id in (pair.left_id, pair.right_id):
        audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=child_id)
    return pair


def sees_personal_data(user: User) -> bool:
    """Analysts, auditors and administrators work with aggregates only."""
    return user.is_authenticated and user.role in (*_CASE_STAFF, *_REPORTERS)
