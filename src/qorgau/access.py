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
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm, Role
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases.models import Case, Report, Transfer
from qorgau.children.models import Child
from qorgau.grants.models import CaseAccessGrant, EmergencyAccess

_CASE_STAFF = (Role.CASEWORKER, Role.SUPERVISOR)
_REPORTERS = (Role.OPERATOR_111, Role.SCHOOL_REPORTER)


def _territory(user: User) -> str | None:
    """The KATO prefix of the user's organisation's territory; None: no personal data."""
    if not user.is_authenticated or not user.is_active or user.organisation is None:
        return None
    return user.organisation.place.territory_prefix


def _own_organisation(user: User) -> Q:
    """Cases of the user's organisation and of its branches (district offices)."""
    return Q(organisation_id=user.organisation_id) | Q(organisation__parent_id=user.organisation_id)


def cases_visible_to(user: User) -> QuerySet[Case]:
    if _territory(user) is None or user.role not in _CASE_STAFF:
        return Case.objects.none()
    own_organisation = _own_organisation(user)
    unrestricted = Q(restricted=False)
    own = Q(worker=user) | Q(worker__supervisor=user)
    # Supervisors answer for every case of their organisation, restricted ones included.
    org_supervisor = own_organisation if user.role == Role.SUPERVISOR else Q(pk__in=[])
    incoming = Q(
        transfers__status=Transfer.Status.PENDING,
        transfers__to_organisation_id=user.organisation_id,
    )
    granted = Q(pk__in=CaseAccessGrant.objects.live().filter(user=user).values("case_id"))
    # Never a restricted case (ADR 0008), even one restricted after the glass was broken.
    emergency = Q(restricted=False) & Q(
        pk__in=EmergencyAccess.objects.live().filter(user=user).values("case_id")
    )
    return Case.objects.filter(
        (own_organisation & (unrestricted | org_supervisor)) | own | incoming | granted | emergency
    ).distinct()


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
    if _territory(user) is None or user.role not in _CASE_STAFF:
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
        visible_cases = cases_visible_to(user)
        # A report screened into a restricted case tells what the case tells.
        in_territory = Q(place__kato__startswith=territory) & (
            Q(case__isnull=True) | Q(case__restricted=False) | Q(case__in=visible_cases)
        )
        return Report.objects.filter(in_territory | Q(case__in=visible_cases))
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
    return Child.objects.filter(
        Q(place__kato__startswith=territory) | Q(cases__in=cases_visible_to(user))
    ).distinct()


def access_child(user: User, child_id: int) -> Child:
    try:
        child = children_visible_to(user).select_related("place", "school").get(pk=child_id)
    except Child.DoesNotExist:
        raise Http404 from None
    audit.record(actor=user, action=Action.VIEW, kind=RecordKind.CHILD, record_id=child.pk)
    return child


def sees_personal_data(user: User) -> bool:
    """Analysts, auditors and administrators work with aggregates only."""
    return user.is_authenticated and user.role in (*_CASE_STAFF, *_REPORTERS)
