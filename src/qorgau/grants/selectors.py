from django.db.models import Q, QuerySet

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.cases.models import Case
from qorgau.grants.models import CaseAccessGrant, EmergencyAccess


def emergency_accesses_to_review(*, actor: User) -> QuerySet[EmergencyAccess]:
    """Unreviewed emergency accesses by the supervisor's team or organisation."""
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        return EmergencyAccess.objects.none()
    return (
        EmergencyAccess.objects.filter(reviewed_at__isnull=True)
        .filter(Q(user__supervisor=actor) | Q(user__organisation_id=actor.organisation_id))
        .exclude(user=actor)
        .select_related("user", "case")
        .order_by("started_at")
    )


def live_emergency_access(*, actor: User, case: Case) -> EmergencyAccess | None:
    return EmergencyAccess.objects.live().filter(user=actor, case=case).first()


def live_grants(*, case: Case) -> QuerySet[CaseAccessGrant]:
    return CaseAccessGrant.objects.live().filter(case=case).select_related("user", "granted_by")
