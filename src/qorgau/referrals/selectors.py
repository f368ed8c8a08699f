"""Reads of the directory and of referrals. Referrals only through the access gate."""

from django.db.models import Q, QuerySet

from qorgau.access import referrals_visible_to
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm, Role
from qorgau.cases.models import Case
from qorgau.places.models import Place
from qorgau.referrals.coverage import providers_covering
from qorgau.referrals.models import HousingNeed, Provider, Referral, ServiceType


def directory_search(
    *, service: ServiceType | None = None, place: Place | None = None, name: str = ""
) -> QuerySet[Provider]:
    """The directory holds no personal data: case staff search all of it."""
    if place is not None:
        providers = providers_covering(place=place, service=service)
    else:
        providers = Provider.objects.filter(active=True).select_related("organisation__place")
        if service is not None:
            providers = providers.filter(services=service)
    if name:
        providers = providers.filter(organisation__name__icontains=name)
    return providers.prefetch_related("services").order_by("waiting_days", "organisation__name")


def providers_maintained_by(*, actor: User) -> QuerySet[Provider]:
    if not actor.has_perm_code(Perm.DIRECTORY_MAINTAIN):
        return Provider.objects.none()
    return Provider.objects.filter(maintained_by_id=actor.organisation_id)


def case_referrals(*, actor: User, case: Case) -> QuerySet[Referral]:
    """The referrals of a case the actor already opened through the gate."""
    return (
        referrals_visible_to(actor)
        .filter(case=case)
        .select_related("provider", "service", "child")
        .prefetch_related("sessions")
    )


def provider_inbox(*, actor: User, open_only: bool = True) -> QuerySet[Referral]:
    """A provider's referrals, the ones waiting for an answer first."""
    if actor.role != Role.SERVICE_PROVIDER:
        return Referral.objects.none()
    referrals = referrals_visible_to(actor).select_related("service")
    if open_only:
        referrals = referrals.filter(status__in=[Referral.Status.SENT, *_ONGOING])
    return referrals.order_by("accept_due_at", "pk")


_ONGOING = (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS)


def office_referrals(*, actor: User) -> QuerySet[Referral]:
    """For a supervisor: the office's referrals still waiting for an answer, or declined
    (the child still needs the service), the oldest deadline first."""
    if not actor.has_perm_code(Perm.CASE_APPROVE):
        return Referral.objects.none()
    return (
        referrals_visible_to(actor)
        .filter(Q(status=Referral.Status.SENT) | Q(status=Referral.Status.DECLINED))
        .select_related("provider", "service", "case", "sent_by")
        .order_by("accept_due_at", "pk")
    )


def case_housing_needs(*, case: Case) -> QuerySet[HousingNeed]:
    """The housing needs of a case the actor already opened through the gate (so they
    are restricted and logged with it), open ones first, with the referrals answering
    them."""
    return (
        case.housing_needs.select_related("child")
        .prefetch_related("referrals__provider", "referrals__service")
        .order_by("status", "-identified_on", "-pk")
    )


HOUSING_SERVICE = "housing_support"  # the akimat's housing support (ServiceType code)


def housing_referral_initial(*, need: HousingNeed) -> dict[str, object]:
    """What a referral to housing support from this need starts with."""
    return {
        "child": need.child_id,
        "service": ServiceType.objects.filter(code=HOUSING_SERVICE).first(),
        "housing_need": need.pk,
        "reason": f"{need.get_kind_display()} ({need.identified_on:%d.%m.%Y})",
    }
