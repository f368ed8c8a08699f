"""Writes of the service directory and of referrals.

Each step of a referral is one transaction that writes its case timeline entry. The
caseworker sends; the provider's staff answer (accept or decline), record sessions and
the outcome; the plan action the referral came from follows that outcome.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau import limits
from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.cases import timeline
from qorgau.cases.models import Case, CasePlan, PlanAction
from qorgau.cases.services.locking import bump, lock_case_to_add
from qorgau.cases.workflow import Action
from qorgau.children.models import Child
from qorgau.limits import text_problems
from qorgau.referrals.coverage import age_on, providers_covering
from qorgau.referrals.models import (
    HousingNeed,
    Provider,
    Referral,
    ReferralSession,
    ServiceType,
)

S = Referral.Status
# A referral still to be answered or being delivered: its plan action is taken.
UNDER_WAY = (S.SENT, S.ACCEPTED, S.IN_PROGRESS)


@dataclass(frozen=True)
class Consent:
    basis: str  # Referral.ConsentBasis
    child: bool | None = None
    caregiver: bool = False
    legal_ground: str = ""


@dataclass(frozen=True)
class Shared:
    """What the provider will read. The reason always; the rest as the worker chose."""

    reason: str
    name: bool = True
    age: bool = True
    contact: str = ""
    note: str = ""


def consent_problems(consent: Consent, *, child: Child) -> dict[str, str]:
    problems: dict[str, str] = {}
    if consent.basis == Referral.ConsentBasis.LEGAL_GROUND:
        if not consent.legal_ground.strip():
            problems["legal_ground"] = _("Name the legal ground for referring without consent.")
        return problems
    if consent.basis != Referral.ConsentBasis.CONSENT:
        return {"consent_basis": _("Choose the basis of the referral.")}
    if not consent.caregiver:
        problems["caregiver_consent"] = _(
            "Without the caregiver's consent, name the legal ground instead."
        )
    age = age_on(child, timezone.localdate())
    if (age is None or age >= settings.QORGAU_REFERRAL_CHILD_CONSENT_AGE) and not consent.child:
        problems["child_consent"] = _(
            "The child is %(age)s or older: their own consent is needed, or a legal ground."
        ) % {"age": settings.QORGAU_REFERRAL_CHILD_CONSENT_AGE}
    return problems


def _plan_action_problem(plan_action: PlanAction | None, case: Case) -> str | None:
    if plan_action is None:
        return None
    if plan_action.plan.case_id != case.pk or plan_action.plan.status != CasePlan.Status.APPROVED:
        return _("That action is not one of this case's approved plan.")
    if plan_action.status != PlanAction.Status.PLANNED:
        return _("That plan action is already finished.")
    if plan_action.referrals.filter(status__in=UNDER_WAY).exists():
        return _("That plan action already has a referral under way: withdraw it first.")
    return None


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    child: Child,
    service: ServiceType,
    provider: Provider,
    consent: Consent,
    shared: Shared,
    plan_action: PlanAction | None = None,
    housing_need: HousingNeed | None = None,
) -> Referral:
    case = lock_case_to_add(actor=actor, case=case, action=Action.VISIT)
    errors: dict[str, Any] = text_problems(
        reason=(shared.reason, limits.NOTE),
        contact=(shared.contact, limits.LINE),
        note=(shared.note, limits.NOTE),
        legal_ground=(consent.legal_ground, limits.LINE),
    )
    if not shared.reason.strip():
        errors["reason"] = _("Say why the child is referred.")
    if not case.children.filter(pk=child.pk).exists():
        errors["child"] = _("That child is not in this case.")
    elif not providers_covering(place=child.place, service=service).filter(pk=provider.pk):
        errors["provider"] = _(
            "This provider does not offer that service where the child lives, or takes no "
            "referrals now."
        )
    else:
        errors.update(consent_problems(consent, child=child))
    if problem := _plan_action_problem(plan_action, case):
        errors["plan_action"] = problem
    # The need as it is now (the case row is locked: it cannot be resolved meanwhile).
    if (
        housing_need is not None
        and not HousingNeed.objects.filter(
            pk=housing_need.pk, case=case, child=child, status=HousingNeed.Status.OPEN
        ).exists()
    ):
        errors["housing_need"] = _("That housing need is not an open one of this child's.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        child=child,
        plan_action=plan_action,
        housing_need=housing_need,
        provider=provider.organisation,
        service=service,
        consent_basis=consent.basis,
        child_consent=consent.child,
        caregiver_consent=consent.caregiver,
        legal_ground=consent.legal_ground,
        reason=shared.reason,
        shared_name=" ".join(p for p in (child.first_name, child.last_name) if p)
        if shared.name
        else "",
        shared_age=age_on(child, now.date()) if shared.age else None,
        shared_contact=shared.contact,
        shared_note=shared.note,
        sent_by=actor,
        sent_at=now,
        accept_due_at=now + dt.timedelta(hours=settings.QORGAU_DEADLINES["referral_acceptance"]),
    )
    _timeline(actor, referral, "referral_sent")
    return referral


def _timeline(actor: User, referral: Referral, kind: str, **details: Any) -> None:
    timeline.record(
        actor=actor,
        kind=kind,
        case=referral.case,
        provider=referral.provider.name,
        service=referral.service.code,
        **details,
    )


def _lock_for_provider(actor: User, referral: Referral, states: tuple[str, ...]) -> Referral:
    """Lock the referral; only its provider's staff, only in `states`."""
    locked = Referral.objects.select_for_update().select_related("provider", "service", "case")
    referral = locked.get(pk=referral.pk)
    if not actor.has_perm_code(Perm.REFERRAL_RESPOND) or (
        actor.organisation_id != referral.provider_id
    ):
        raise ValidationError(_("Only the provider the child was referred to can do this."))
    if referral.status not in states:
        raise ValidationError(
            _("This referral is %(status)s: that step is not open.")
            % {"status": referral.get_status_display().lower()}
        )
    return referral


@transaction.atomic
def referral_answer(*, actor: User, referral: Referral, accept: bool, reason: str = "") -> Referral:
    referral = _lock_for_provider(actor, referral, (S.SENT,))
    if problems := text_problems(reason=(reason, limits.LINE)):
        raise ValidationError(problems)
    if not accept and not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    referral.status = S.ACCEPTED if accept else S.DECLINED
    referral.answered_at = timezone.now()
    referral.decline_reason = "" if accept else reason
    referral.save(update_fields=["status", "answered_at", "decline_reason"])
    if accept:
        _timeline(actor, referral, "referral_accepted")
    else:
        _timeline(actor, referral, "referral_declined", reason_given=reason)
    return referral


@transaction.atomic
def referral_session_record(
    *, actor: User, referral: Referral, held_on: dt.date, attended: bool, note: str = ""
) -> ReferralSession:
    referral = _lock_for_provider(actor, referral, (S.ACCEPTED, S.IN_PROGRESS))
    errors: dict[str, Any] = text_problems(note=(note, limits.NOTE))
    if held_on > timezone.localdate():
        errors["held_on"] = _("A session is recorded once it took place: the date is ahead.")
    elif referral.answered_at and held_on < timezone.localdate(referral.answered_at):
        errors["held_on"] = _("The date is before the referral was accepted.")
    if errors:
        raise ValidationError(errors)
    session = ReferralSession.objects.create(
        referral=referral, held_on=held_on, attended=attended, note=note, recorded_by=actor
    )
    if referral.status == S.ACCEPTED:
        referral.status = S.IN_PROGRESS
        referral.save(update_fields=["status"])
    _timeline(
        actor,
        referral,
        "referral_session" if attended else "referral_session_missed",
        held_on=held_on.isoformat(),
    )
    return session


@transaction.atomic
def referral_close(
    *, actor: User, referral: Referral, completed: bool, outcome: str, ended_on: dt.date
) -> Referral:
    referral = _lock_for_provider(actor, referral, (S.ACCEPTED, S.IN_PROGRESS))
    errors: dict[str, Any] = text_problems(outcome=(outcome, limits.NOTE))
    if not outcome.strip():
        errors["outcome"] = _("Say what came of the service.")
    if ended_on > timezone.localdate():
        errors["ended_on"] = _("The date of the outcome is ahead.")
    if errors:
        raise ValidationError(errors)
    referral.status = S.COMPLETED if completed else S.NOT_COMPLETED
    referral.outcome = outcome
    referral.ended_on = ended_on
    referral.save(update_fields=["status", "outcome", "ended_on"])
    _follow_on_plan(actor, referral)
    _timeline(actor, referral, "referral_completed" if completed else "referral_not_completed")
    return referral


def _follow_on_plan(actor: User, referral: Referral) -> None:
    """The plan action the referral came from takes the referral's outcome."""
    if referral.plan_action_id is None:
        return
    # The case row first, as every case change does: a worker editing the action at
    # the same time is serialised, and their older copy is refused by the version.
    case = Case.objects.select_for_update().get(pk=referral.case_id)
    action = PlanAction.objects.select_for_update().get(pk=referral.plan_action_id)
    if action.status != PlanAction.Status.PLANNED:
        return
    done = referral.status == S.COMPLETED
    action.status = PlanAction.Status.DONE if done else PlanAction.Status.CANCELLED
    action.outcome_note = f"{referral.reference}: {referral.outcome}"[: limits.LINE]
    action.save(update_fields=["status", "outcome_note"])
    bump(case)
    timeline.record(
        actor=actor, kind="action_updated", case=case, action=action.action, status=action.status
    )


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    """The caseworker takes back a referral not yet under way (sent or accepted).

    The provider reads it as withdrawn with the reason; its plan action is open again
    for another referral.
    """
    # The case row first, as every case change does; then the referral, so a provider
    # answering at the same moment is serialised and the second step sees the first.
    lock_case_to_add(actor=actor, case=referral.case, action=Action.VISIT)
    referral = (
        Referral.objects.select_for_update()
        .select_related("provider", "service", "case")
        .get(pk=referral.pk)
    )
    if referral.status not in (S.SENT, S.ACCEPTED):
        raise ValidationError(
            _("This referral is %(status)s: it can no longer be withdrawn.")
            % {"status": referral.get_status_display().lower()}
        )
    if problems := text_problems(reason=(reason, limits.LINE)):
        raise ValidationError(problems)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is withdrawn.")})
    referral.status = S.WITHDRAWN
    referral.withdrawn_at = timezone.now()
    referral.withdraw_reason = reason
    referral.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    _timeline(actor, referral, "referral_withdrawn", reason_given=reason)
    return referral


def provider_update(*, actor: User, provider: Provider, **fields: Any) -> Provider:
    """A directory entry corrected by its maintaining department's supervisors."""
    if not actor.has_perm_code(Perm.DIRECTORY_MAINTAIN) or (
        actor.organisation_id != provider.maintained_by_id
    ):
        raise ValidationError(_("Only the department that keeps this entry can change it."))
    services = fields.pop("services", None)
    coverage = fields.pop("coverage", None)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(provider, name, value)
        provider.save()
        if services is not None:
            provider.services.set(services)
        if coverage is not None:
            provider.coverage.set(coverage)
    return provider


# Housing needs ------------------------------------------------------------------------

# A need known before the case (from the report) may be dated so; a year earlier is a typo.
HOUSING_NEED_BEFORE_CASE = dt.timedelta(days=366)


def _housing_problems(
    *, case: Case, child: Child, kind: str, identified_on: dt.date, note: str
) -> dict[str, Any]:
    errors: dict[str, Any] = text_problems(note=(note, limits.NOTE))
    if kind not in HousingNeed.Kind.values:
        errors["kind"] = _("Choose the kind of housing need.")
    if identified_on > timezone.localdate():
        errors["identified_on"] = _("The date the need was identified is ahead.")
    elif identified_on < timezone.localdate(case.opened_at) - HOUSING_NEED_BEFORE_CASE:
        errors["identified_on"] = _(
            "The date is more than a year before the case opened: check the year."
        )
    if not case.children.filter(pk=child.pk).exists():
        errors["child"] = _("That child is not in this case.")
    return errors


@transaction.atomic
def housing_need_record(
    *, actor: User, case: Case, child: Child, kind: str, identified_on: dt.date, note: str = ""
) -> HousingNeed:
    """A caseworker records a child's housing need (homelessness, unsafe housing, a
    risk of eviction); the case timeline has it in the same transaction."""
    case = lock_case_to_add(actor=actor, case=case, action=Action.VISIT)
    errors = _housing_problems(
        case=case, child=child, kind=kind, identified_on=identified_on, note=note
    )
    if not errors and (
        case.housing_needs.filter(child=child, kind=kind, status=HousingNeed.Status.OPEN).exists()
    ):
        errors["kind"] = _("This child already has this housing need open: resolve that one.")
    if errors:
        raise ValidationError(errors)
    need = HousingNeed.objects.create(
        case=case,
        child=child,
        kind=kind,
        identified_on=identified_on,
        note=note,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    timeline.record(actor=actor, kind="housing_need_recorded", case=case, need=kind)
    return need


@transaction.atomic
def housing_need_resolve(
    *, actor: User, need: HousingNeed, outcome: str, resolved_on: dt.date
) -> HousingNeed:
    """The need is met or ended: its outcome and date, in the timeline."""
    case = lock_case_to_add(actor=actor, case=need.case, action=Action.VISIT)
    need = HousingNeed.objects.select_for_update().get(pk=need.pk, case=case)
    if need.status != HousingNeed.Status.OPEN:
        raise ValidationError(_("This housing need is already resolved."))
    errors: dict[str, Any] = text_problems(outcome=(outcome, limits.NOTE))
    if not outcome.strip():
        errors["outcome"] = _("Say how the housing need was resolved.")
    if resolved_on > timezone.localdate():
        errors["resolved_on"] = _("The date of the outcome is ahead.")
    elif resolved_on < need.identified_on:
        errors["resolved_on"] = _("The date is before the need was identified.")
    if errors:
        raise ValidationError(errors)
    need.status = HousingNeed.Status.RESOLVED
    need.outcome = outcome
    need.resolved_on = resolved_on
    need.resolved_by = actor
    need.save(update_fields=["status", "outcome", "resolved_on", "resolved_by"])
    timeline.record(actor=actor, kind="housing_need_resolved", case=case, need=need.kind)
    return need
