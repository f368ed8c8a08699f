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
- a deputy holding a supervisor's approvals (accounts.ApprovalDelegation) sees the
  cases of that supervisor's team while the delegation lasts;
- a colleague a supervisor granted access to sees that case until the grant is
  revoked or expires; an emergency ("break the glass") access opens one case for a
  short time, with a reason, and is reviewed afterwards (qorgau.grants);
- 111 operators and school reporters see the reports their organisation made, not cases;
  they attach files to the reports they made themselves, and read back only those files;
- a service provider's staff see the referrals sent to their organisation, and of each
  only what the caseworker shared (a copy on the referral): never the case, the child's
  record or anything else; case staff see the referrals of the cases they see;
- a child registered elsewhere whose owning office accepted the user's request
  (qorgau.linkage AccessRequest) is visible to the user for 30 days: the child's
  record, not its cases or reports;
- analysts, auditors and administrators see no personal records at all (aggregates only).
"Does not exist" and "not yours" are the same 404, with one exception: the staff of
the organisation that transferred a case away are told where it went and when.
Every record handed out by access_* is written to the access log (qorgau.audit), and
so is every refusal of a record that exists (Action.REFUSED), so probing shows.
Auditors find children by name, IIN or case number for the log (children_for_audit),
never their files.

Cost: what a user may see is first read from the small tables (organisations, the
user's team, their grants, emergency accesses and incoming transfers) into lists of
ids, so the rule on a case row is a test of its own indexed columns against constants.
PostgreSQL then reads only the matching cases through their indexes (a BitmapOr), and
a caller's further filter (a worker, a child, one id) narrows it first; the cost
follows what the user can see, not the number of cases in the country (docs/adr/0002, "Cost").
Children and reports carry their place's region (`region_code`), which leads the
indexes of the name search and of the screening queue: a search gives its name test to
children_visible_to, which finds the matches region first (see there), and the queue
is read by reports_to_screen_visible_to. The reach is read once per GET request.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone

from qorgau.accounts.models import ApprovalDelegation, Organisation, User
from qorgau.accounts.roles import Perm, Role
from qorgau.attachments.models import Attachment
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases.models import Case, Report, Transfer
from qorgau.cases.references import Reference
from qorgau.children.models import Child
from qorgau.grants.models import CaseAccessGrant, EmergencyAccess
from qorgau.limits import ID_MAX
from qorgau.linkage.models import AccessRequest, CandidatePair, ChildMerge, MergeRequest
from qorgau.memo import memo
from qorgau.places.models import Place
from qorgau.programmes.models import ResponsibleBody
from qorgau.referrals.models import Referral
from qorgau.workforce.models import STAFFED_KINDS, Specialist

_CASE_STAFF = (Role.CASEWORKER, Role.SUPERVISOR)
_REPORTERS = (Role.OPERATOR_111, Role.SCHOOL_REPORTER)


def _territory(user: User) -> str | None:
    """The KATO prefix of the user's organisation's territory; None: no personal data."""
    if not user.is_authenticated or not user.is_active or user.organisation is None:
        return None
    return user.organisation.place.territory_prefix


def _of_territory(territory: str) -> Q:
    """The children or reports of a territory: by their region key first, which leads
    their indexes (the name search's, the screening queue's), then by the place for a
    territory smaller than a region."""
    in_region = Q(region_code=territory[:2])
    if len(territory) == 2:
        return in_region
    return in_region & Q(place__kato__startswith=territory)


@dataclass(frozen=True)
class _Reach:
    """The ids a case staff member's cases are found by, read in one small query."""

    organisations: list[int]  # the user's organisation and its branches (district offices)
    workers: list[int]  # the user and the caseworkers they supervise
    cases: list[int]  # offered to the organisation by a transfer, or granted to the user
    emergency: list[int]  # opened by the user in an emergency (break the glass)
    # Registered elsewhere; its office accepted the user's request (for OPEN_DAYS).
    children: list[int]
    other_regions: list[int]  # the regions (places) but the user's: to find cases there


def _ids(kind: str, rows: QuerySet, column: str) -> QuerySet:
    return rows.order_by().annotate(reach=Value(kind, CharField())).values_list("reach", column)


def _reach(user: User) -> _Reach:
    """The user's reach, read once per page (qorgau.memo: a GET request changes none of
    what it is read from); anew in any other request, a command or a direct call."""
    return memo(("access reach", user.pk), lambda: _read_reach(user))


def _read_reach(user: User) -> _Reach:
    organisation_id = user.organisation_id
    rows = _ids(
        "organisation",
        Organisation.objects.filter(Q(pk=organisation_id) | Q(parent_id=organisation_id)),
        "pk",
    ).union(
        _ids("worker", User.objects.filter(supervisor=user), "pk"),
        # A deputy holding a supervisor's approvals sees that supervisor's team's cases
        # (restricted ones included: they decide them) while the delegation lasts.
        _ids(
            "worker",
            User.objects.filter(
                supervisor_id__in=ApprovalDelegation.objects.live()
                .filter(deputy=user)
                .values("delegator_id")
            ),
            "pk",
        ),
        _ids(
            "case",
            Transfer.objects.filter(
                status=Transfer.Status.PENDING, to_organisation_id=organisation_id
            ),
            "case_id",
        ),
        _ids("case", CaseAccessGrant.objects.live().filter(user=user), "case_id"),
        _ids("emergency", EmergencyAccess.objects.live().filter(user=user), "case_id"),
        _ids(
            "child",
            AccessRequest.objects.filter(
                requested_by=user,
                status=AccessRequest.Status.ACCEPTED,
                decided_at__gte=timezone.now() - dt.timedelta(days=AccessRequest.OPEN_DAYS),
            ),
            "child_id",
        ),
        _ids(
            "region",
            Place.objects.filter(parent__isnull=True).exclude(
                kato__startswith=user.region_code or ""
            ),
            "pk",
        ),
        all=True,
    )
    found: dict[str, list[int]] = {
        "organisation": [],
        "worker": [user.pk],
        "case": [],
        "emergency": [],
        "child": [],
        "region": [],
    }
    for kind, pk in rows:
        found[kind].append(pk)
    return _Reach(
        found["organisation"],
        found["worker"],
        found["case"],
        found["emergency"],
        found["child"],
        found["region"],
    )


def _case_rule(user: User, reach: _Reach, via: str = "", regions: list[int] | None = None) -> Q:
    """The rule on one case row; `via` reaches the case from another model ("case__").

    With `regions`, of the organisation's and the team's cases only those of these
    regions (each through its (organisation or worker, region) index); the few cases
    given by id stay whole.
    """
    # Cases of the user's organisation and of its branches...
    own_organisation = Q(**{f"{via}organisation_id__in": reach.organisations})
    # ...restricted ones only for its supervisors, who answer for every case of it.
    if user.role != Role.SUPERVISOR:
        own_organisation &= Q(**{f"{via}restricted": False})
    # The user's own cases and their team's, restricted ones included.
    own = Q(**{f"{via}worker_id__in": reach.workers})
    if regions is not None:
        own_organisation &= Q(**{f"{via}region_id__in": regions})
        own &= Q(**{f"{via}region_id__in": regions})
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


def _log_refusal(user: User, kind: RecordKind, model: type[Model], record_id: int) -> None:
    """The 404 of a real record: the same answer to the user, a refusal in the log."""
    if 0 < record_id <= ID_MAX and model._default_manager.filter(pk=record_id).exists():
        audit.record(actor=user, action=Action.REFUSED, kind=kind, record_id=record_id)


def access_case(user: User, case_id: int) -> Case:
    try:
        case = (
            cases_visible_to(user)
            .select_related("region", "organisation", "worker")
            .get(pk=case_id)
        )
    except Case.DoesNotExist:
        _log_refusal(user, RecordKind.CASE, Case, case_id)
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
        in_territory = _of_territory(territory) & (Q(case__isnull=True) | Q(case__restricted=False))
        return Report.objects.filter(in_territory | visible_case)
    if user.role in _REPORTERS:
        return Report.objects.filter(created_by__organisation=user.organisation)
    return Report.objects.none()


def record_by_reference(user: User, reference: Reference) -> Case | Report | None:
    """The case or report a typed number (C-2026-000123, R-2026-000045) names, if the
    user may see it. A number of no record and one of a record the user may not see
    get the same None; the second is logged as a refusal, so probing by number shows."""
    visible: QuerySet[Any]
    model: type[Model]
    if reference.kind == "C":
        model, kind, year_of, visible = (
            Case,
            RecordKind.CASE,
            "opened_at__year",
            cases_visible_to(user),
        )
    else:
        model, kind, year_of = Report, RecordKind.REPORT, "received_at__year"
        visible = reports_visible_to(user)
    named = {"pk": reference.number, year_of: reference.year}
    found = visible.filter(**named).first()
    if found is None and model._default_manager.filter(**named).exists():
        audit.record(actor=user, action=Action.REFUSED, kind=kind, record_id=reference.number)
    return found


def reports_to_screen_visible_to(user: User) -> QuerySet[Report]:
    """The reports awaiting screening the user sees: reports_visible_to(user) of status
    NEW, by a rule the queue's index can lead with.

    A report awaiting screening has no case (constraint
    report_awaiting_screening_has_no_case: screening in gives it one), so of the case
    staff's rule only the territory applies, and the region key with the status and the
    due date is the index report_region_queue_idx: the queue reads the region's
    reports in due order, never the country's overdue ones first.
    """
    territory = _territory(user)
    if territory is None:
        return Report.objects.none()
    awaiting = Q(status=Report.Status.NEW)
    if user.role in _CASE_STAFF:
        return Report.objects.filter(awaiting & _of_territory(territory))
    return reports_visible_to(user).filter(awaiting)


def access_report(user: User, report_id: int) -> Report:
    try:
        report = (
            reports_visible_to(user).select_related("place", "case", "created_by").get(pk=report_id)
        )
    except Report.DoesNotExist:
        _log_refusal(user, RecordKind.REPORT, Report, report_id)
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.REPORT, record_id=report.pk)
    return report


def reports_attachable_by(user: User) -> QuerySet[Report]:
    """Reports a user may add a file to: case staff the reports they see; a reporter
    (a 111 operator, school staff) only the reports they submitted themselves."""
    if user.role in _CASE_STAFF and user.has_perm_code(Perm.CASE_WORK):
        return reports_visible_to(user)
    if user.role in _REPORTERS and user.has_perm_code(Perm.REPORT_CREATE):
        return reports_visible_to(user).filter(created_by=user)
    return Report.objects.none()


def access_report_to_attach(user: User, report_id: int) -> Report:
    """A report to add a file to; a colleague's report is the same 404 as none."""
    try:
        report = reports_attachable_by(user).select_related("place", "case").get(pk=report_id)
    except Report.DoesNotExist:
        _log_refusal(user, RecordKind.REPORT, Report, report_id)
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.REPORT, record_id=report.pk)
    return report


def _visible_case_link(user: User, reach: _Reach) -> Subquery:
    """A child's first link to a case the user sees, tested per child. A scalar
    subquery, as PostgreSQL would turn an EXISTS here into a hash of every link of
    every visible case (50 000 of a regional department) on each search."""
    return Subquery(
        Case.children.through.objects.filter(child_id=OuterRef("pk"))
        .filter(_case_rule(user, reach, via="case__"))
        .values("pk")[:1]
    )


def _visible_children(user: User, territory: str, reach: _Reach) -> QuerySet[Child]:
    # Children of the territory, and the children of any case the user sees,
    # wherever they live: tested per child outside the territory.
    rule = _of_territory(territory) | Q(visible_case_link__isnull=False)
    # ...and a child another office let the user see by accepting their request.
    if reach.children:
        rule |= Q(pk__in=reach.children)
    return Child.objects.alias(visible_case_link=_visible_case_link(user, reach)).filter(rule)


def children_visible_to(
    user: User,
    matching: Q | None = None,
    *,
    first: int | None = None,
    ordered_by: tuple[str, ...] = (),
) -> QuerySet[Child]:
    """The children the user sees; with `matching` (a test of the child's own columns:
    the name words of a search, a date of birth) only those that match it; with
    `first` and `ordered_by` (a total order) as well, at least the first `first` of
    them in that order: only for a caller that orders by it and slices within the
    first `first` (a count or any other order of that set is wrong).

    A search gives its test here rather than filtering the result, so that the region
    key can lead the index: the rule's OR (the territory, or a visible case) lets no
    index lead with the region, and a common first name would be read for the whole
    country (15,000 rows of "аигерим" at 1M children) before the territory is tested.
    With `matching`, the matches are found in three indexed branches, and the rule then
    holds on each match found:
    - the region's: region key and name together (child_region_search_trgm_idx);
    - beyond the region, a child a case of another region links to: few, through the
      index of the marked alone (child_beyond_region_search_trgm_idx;
      Child.linked_beyond_region), which holds every child of another region that a
      case of the user's region links to;
    - beyond the region, the children of the cases the user sees in other regions
      (the team's and the organisation's through their (worker or organisation,
      region) indexes, transfers, grants, emergencies): few, read from the cases.
    """
    territory = _territory(user)
    if territory is None or not user.has_perm_code(Perm.CHILD_VIEW):
        return Child.objects.none()
    reach = _reach(user)
    # Built once per page (qorgau.memo), each caller given its own copy: a search page
    # asks for it three times, and building the rule costs more than running it.
    visible = memo(
        ("access visible children", user.pk), lambda: _visible_children(user, territory, reach)
    ).all()
    if matching is None:
        return visible
    if first is not None and not ordered_by:
        raise ValueError("`first` needs the order the caller reads the matches in")
    region = Q(region_code=territory[:2])
    of_region = Child.objects.filter(matching, region).order_by().values("pk")
    bounded = connection.features.supports_slicing_ordering_in_compound  # not SQLite
    if first is not None and len(territory) == 2 and bounded:
        # A regional office sees every child of its region: the region's first few are
        # all a page needs, and the rule is then tested on those only, not on every
        # match (7,800 children named Иван in a region at 1,000,000).
        of_region = of_region.order_by(*ordered_by)[:first]
    marked = (
        Child.objects.filter(matching, ~region, linked_beyond_region=True)
        .alias(visible_case_link=_visible_case_link(user, reach))
        .filter(visible_case_link__isnull=False)
        .order_by()
        .values("pk")
    )
    # Read first, as ids: given as a subquery, PostgreSQL tests every match of the
    # country against it instead of reading the few cases' children.
    elsewhere = memo(
        ("access cases elsewhere", user.pk),
        lambda: list(
            Case.objects.filter(_case_rule(user, reach, regions=reach.other_regions))
            .order_by()
            .values_list("pk", flat=True)
        ),
    )
    branches: list[QuerySet[Any]] = [marked]
    if reach.children:  # opened by an accepted request: a handful, by primary key
        branches.append(
            Child.objects.filter(matching, pk__in=reach.children).order_by().values("pk")
        )
    if elsewhere:
        of_cases_elsewhere = (
            Child.objects.filter(matching, ~region)
            .filter(
                pk__in=Case.children.through.objects.filter(case_id__in=elsewhere).values(
                    "child_id"
                )
            )
            .order_by()
            .values("pk")
        )
        branches.append(of_cases_elsewhere)
    return visible.filter(matching, pk__in=of_region.union(*branches, all=True))


def access_child(user: User, child_id: int) -> Child:
    try:
        child = children_visible_to(user).select_related("place", "school").get(pk=child_id)
    except Child.DoesNotExist:
        _log_refusal(user, RecordKind.CHILD, Child, child_id)
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=child.pk)
    return child


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if _territory(user) is None:
        return Referral.objects.none()
    # A provider's staff: what was sent to their organisation, nothing else.
    if user.role == Role.SERVICE_PROVIDER:
        return Referral.objects.filter(provider_id=user.organisation_id)
    # Case staff: the referrals of the cases they see, by the same rule.
    if user.role in _CASE_STAFF:
        return Referral.objects.filter(_case_rule(user, _reach(user), via="case__"))
    return Referral.objects.none()


def access_referral(user: User, referral_id: int) -> Referral:
    try:
        referral = (
            referrals_visible_to(user)
            .select_related("provider", "service", "sent_by")
            .get(pk=referral_id)
        )
    except Referral.DoesNotExist:
        _log_refusal(user, RecordKind.REFERRAL, Referral, referral_id)
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.REFERRAL, record_id=referral.pk)
    return referral


def children_for_audit(user: User) -> QuerySet[Child]:
    """Every child, to find one's access log by name, IIN or case number; auditors only.

    The auditor pages show a found child's number, never the file.
    """
    if not user.is_authenticated or not user.has_perm_code(Perm.AUDIT_VIEW):
        return Child.objects.none()
    return Child.objects.all()


def cases_for_audit(user: User) -> QuerySet[Case]:
    """Every case, to find its children's access logs by case number; auditors only."""
    if not user.is_authenticated or not user.has_perm_code(Perm.AUDIT_VIEW):
        return Case.objects.none()
    return Case.objects.all()


def access_attachment(user: User, attachment_id: int) -> Attachment:
    """A file, for whoever the gate lets see the case, report or child it is on.

    Logged as a view of that record; the entry's path names the file.
    """
    try:
        attachment = Attachment.objects.get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404 from None
    visible: QuerySet[Any]
    model: type[Model]
    if attachment.case_id is not None:
        kind, model, record_id, visible = (
            RecordKind.CASE,
            Case,
            attachment.case_id,
            cases_visible_to(user),
        )
    elif attachment.report_id is not None:
        kind, model, record_id, visible = (
            RecordKind.REPORT,
            Report,
            attachment.report_id,
            reports_visible_to(user),
        )
        # A reporter reads back only the files they added to their own reports, never
        # what the department attached (a medical report, a court order).
        if user.role in _REPORTERS:
            own_file = attachment.uploaded_by_id == user.pk
            visible = reports_attachable_by(user) if own_file else visible.none()
    elif attachment.child_id is not None:
        kind, model, record_id, visible = (
            RecordKind.CHILD,
            Child,
            attachment.child_id,
            children_visible_to(user),
        )
    else:  # the table's constraint says never
        raise Http404
    if not visible.filter(pk=record_id).exists():
        _log_refusal(user, kind, model, record_id)
        raise Http404
    audit.record(actor=user, action=Action.VIEW, kind=kind, record_id=record_id)
    return attachment


def access_attachment_to_remove(user: User, attachment_id: int) -> Attachment:
    """A file of a record the user sees, removable by who attached it or a supervisor."""
    attachment = access_attachment(user, attachment_id)
    if attachment.uploaded_by_id == user.pk:
        return attachment
    if user.has_perm_code(Perm.CASE_APPROVE):
        return attachment
    kind, record_id = next(
        (kind, pk)
        for kind, pk in (
            (RecordKind.CASE, attachment.case_id),
            (RecordKind.REPORT, attachment.report_id),
            (RecordKind.CHILD, attachment.child_id),
        )
        if pk is not None
    )
    audit.record(actor=user, action=Action.REFUSED, kind=kind, record_id=record_id)
    raise Http404


def _log_child_refusals(user: User, *child_ids: int) -> None:
    """A linkage record refused: logged as refusals of the children it is about."""
    for child_id in child_ids:
        _log_refusal(user, RecordKind.CHILD, Child, child_id)


def _linkage_record(model: type[Model], record_id: int) -> Any:
    """The merge, request or pair with this id, or None (then nothing is logged)."""
    if not 0 < record_id <= ID_MAX:
        return None
    return model._default_manager.filter(pk=record_id).first()


def access_merge(user: User, merge_id: int) -> ChildMerge:
    """A merge of two records, for whoever may merge and sees the record kept."""
    merge = _linkage_record(ChildMerge, merge_id)
    if merge is None:
        raise Http404
    if not user.has_perm_code(Perm.CHILD_MERGE):
        _log_child_refusals(user, merge.kept_id, merge.merged_id)
        raise Http404
    if not children_visible_to(user).filter(pk=merge.kept_id).exists():
        _log_child_refusals(user, merge.kept_id, merge.merged_id)
        raise Http404
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=merge.kept_id)
    return merge


def access_request_to_office(user: User, request_id: int) -> AccessRequest:
    """A request about a child, for the supervisors of the office it was sent to."""
    request = _linkage_record(AccessRequest, request_id)
    if request is None:
        raise Http404
    if not user.has_perm_code(Perm.CHILD_MERGE):
        _log_child_refusals(user, request.child_id)
        raise Http404
    if user.organisation_id is None or request.organisation_id != user.organisation_id:
        _log_child_refusals(user, request.child_id)
        raise Http404
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=request.child_id)
    return request


def access_merge_request(user: User, request_id: int) -> MergeRequest:
    """A merge across offices, for the supervisors of the office asked to approve it.

    They see both records (the other office's too) to decide: each is logged as viewed.
    """
    request = _linkage_record(MergeRequest, request_id)
    if request is None:
        raise Http404
    if not user.has_perm_code(Perm.CHILD_MERGE):
        _log_child_refusals(user, request.kept_id, request.merged_id)
        raise Http404
    if user.organisation_id is None or request.organisation_id != user.organisation_id:
        _log_child_refusals(user, request.kept_id, request.merged_id)
        raise Http404
    request = MergeRequest.objects.select_related(
        "kept", "kept__place", "merged", "merged__place", "requested_by", "organisation"
    ).get(pk=request.pk)
    for child_id in (request.kept_id, request.merged_id):
        audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=child_id)
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
        refused = _linkage_record(CandidatePair, pair_id)
        if refused is not None:
            _log_child_refusals(user, refused.left_id, refused.right_id)
        raise Http404 from None
    for child_id in (pair.left_id, pair.right_id):
        audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=child_id)
    return pair


def sees_personal_data(user: User) -> bool:
    """Analysts, auditors and administrators work with aggregates only."""
    return user.is_authenticated and user.role in (*_CASE_STAFF, *_REPORTERS)


# Prevention programmes and the workforce ------------------------------------------------
# No personal data, but the role and territory scope all the same: a region reports and
# sees its own, the ministry (and a national analyst) sees every region.


def national_scope(user: User) -> bool:
    """Whether the user sees programme and staffing figures of every region."""
    if not user.is_authenticated or not user.is_active or user.organisation is None:
        return False
    if user.role == Role.NATIONAL_ANALYST:
        return True
    return user.organisation.kind == Organisation.Kind.MINISTRY


def programme_regions_visible_to(user: User, perm: Perm = Perm.PROGRAMME_VIEW) -> QuerySet[Place]:
    """The regions whose programme (or, with WORKFORCE_VIEW, staffing) figures the user sees."""
    regions = Place.objects.filter(kind__in=[Place.Kind.REGION, Place.Kind.CITY])
    territory = _territory(user)
    if territory is None or not user.has_perm_code(perm):
        return regions.none()
    if national_scope(user):
        return regions
    return regions.filter(kato__startswith=territory[:2])


def bodies_reportable_by(user: User) -> QuerySet[ResponsibleBody]:
    """The responsible bodies a programme coordinator reports for: their organisation's."""
    organisation = user.organisation
    if _territory(user) is None or organisation is None:
        return ResponsibleBody.objects.none()
    if not user.has_perm_code(Perm.PROGRAMME_REPORT):
        return ResponsibleBody.objects.none()
    return ResponsibleBody.objects.filter(organisation=organisation)


def access_body(user: User, body_id: int) -> ResponsibleBody:
    try:
        return bodies_reportable_by(user).get(pk=body_id)
    except ResponsibleBody.DoesNotExist:
        raise Http404 from None


def indicator_regions_reportable_by(user: User) -> QuerySet[Place]:
    """Regions whose indicator values the user reports; the national value: national_scope."""
    if not user.has_perm_code(Perm.PROGRAMME_REPORT):
        return Place.objects.none()
    return programme_regions_visible_to(user, Perm.PROGRAMME_REPORT)


def staffing_organisations_reportable_by(user: User) -> QuerySet[Organisation]:
    """Departments whose posts and specialists the user reports: a supervisor their own
    department, a programme coordinator every department of their region (the ministry's
    coordinator every department)."""
    staffed = Organisation.objects.filter(kind__in=STAFFED_KINDS)
    territory = _territory(user)
    if territory is None or user.organisation is None:
        return staffed.none()
    if not user.has_perm_code(Perm.WORKFORCE_REPORT):
        return staffed.none()
    if user.role == Role.PROGRAMME_COORDINATOR:
        if national_scope(user):
            return staffed
        return staffed.filter(place__kato__startswith=territory[:2])
    return staffed.filter(pk=user.organisation.pk)


def access_staffed_organisation(user: User, pk: int) -> Organisation:
    try:
        return staffing_organisations_reportable_by(user).select_related("place").get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def access_specialist(user: User, pk: int) -> Specialist:
    """A specialist of a department the user reports for; any other is the same 404."""
    organisations = staffing_organisations_reportable_by(user)
    try:
        return Specialist.objects.select_related("organisation", "user").get(
            pk=pk, organisation__in=organisations
        )
    except Specialist.DoesNotExist:
        raise Http404 from None


def schools_reportable_by(user: User) -> QuerySet[Organisation]:
    """Schools whose Adal Azamat activities the user reports: a school reporter their own
    school, a coordinator every school of their territory (a district's file)."""
    territory = _territory(user)
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    if territory is None or user.organisation is None:
        return schools.none()
    if not user.has_perm_code(Perm.ACTIVITY_REPORT):
        return schools.none()
    if user.role == Role.PROGRAMME_COORDINATOR:
        if national_scope(user):
            return schools
        return schools.filter(place__kato__startswith=territory)
    return schools.filter(pk=user.organisation.pk)


def schools_visible_to(user: User) -> QuerySet[Organisation]:
    """Schools whose Adal Azamat reporting the user follows: all nationally, else the region's."""
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
    territory = _territory(user)
    if territory is None or not user.has_perm_code(Perm.PROGRAMME_VIEW):
        return schools.none()
    if national_scope(user):
        return schools
    return schools.filter(place__kato__startswith=territory[:2])


def statistics_scope(user: User) -> str | None:
    """The KATO prefix a user may see aggregates over: "" for the whole country, a
    region's two digits, None for no statistics at all. Aggregates only, never records:
    every count still passes qorgau.monitoring.disclosure before it is shown."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not user.has_perm_code(Perm.STATS_VIEW):
        return None
    if user.role in (Role.NATIONAL_ANALYST, Role.AUDITOR):
        return ""
    if user.organisation is None:
        return None
    return user.region_code


def may_import_statistics(user: User) -> bool:
    """Official statistics (population, offences) are imported by national analysts."""
    return statistics_scope(user) == "" and user.role == Role.NATIONAL_ANALYST


def referral_indicator_scope(user: User) -> str | None:
    """The KATO prefix whose referral and housing figures the user sees, aggregates only:
    a supervisor their office's territory (a region's two digits, a district office's
    four), a regional analyst their region, a national analyst the country (""); None
    for anyone else. Every figure still passes qorgau.monitoring.published."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not user.has_perm_code(Perm.STATS_VIEW):
        return None
    if user.role == Role.NATIONAL_ANALYST:
        return ""
    territory = _territory(user)
    if territory is None:
        return None
    if user.role == Role.REGIONAL_ANALYST:
        return territory[:2]
    if user.role == Role.SUPERVISOR:
        # The office's territory, to the district: the figures have no finer unit.
        return territory[:4]
    return None
