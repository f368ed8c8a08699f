"""The demo's service directory and referrals: providers of every kind in every region,
a provider user in the persona regions, and referrals in every status.

Referrals go through the real services (qorgau.referrals.services), so each one is as
valid as one a caseworker sends; they are few (a dozen per persona region).
"""

import datetime as dt
import random
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.models import Organisation, User
from qorgau.cases.models import Case
from qorgau.referrals.models import Provider, Referral, ServiceType
from qorgau.referrals.services import (
    Consent,
    Shared,
    referral_answer,
    referral_close,
    referral_send,
    referral_session_record,
    referral_withdraw,
)

K = Organisation.Kind
# Organisation key in the builder -> (kind, name pattern in Russian, services, waiting days)
PROVIDER_KINDS: dict[str, tuple[str, str, tuple[str, ...], int]] = {
    "family_support": (
        K.FAMILY_SUPPORT,
        "",  # built with the region's other organisations
        ("family_support", "parenting_programme", "mediation", "social_benefits"),
        7,
    ),
    "crisis_ngo": (K.CRISIS_NGO, "", ("shelter", "psychological_counselling"), 1),
    "health": (K.HEALTH, "", ("health", "psychiatric_care", "disability_support"), 10),
    "psychological": (
        K.PSYCHOLOGICAL_SERVICE,
        "Психологическая служба для детей и подростков {of}",
        ("psychological_counselling", "school_support"),
        5,
    ),
    "legal_aid": (K.LEGAL_AID, "Центр бесплатной юридической помощи {of}", ("legal_aid",), 3),
    "housing": (
        K.HOUSING_DEPARTMENT,
        "Отдел жилищных отношений акимата {of}",
        ("housing_support", "social_benefits"),
        30,
    ),
    "rehabilitation": (
        K.REHABILITATION_CENTRE,
        "Реабилитационный центр для детей {of}",
        ("disability_support", "substance_use"),
        14,
    ),
}
# The new kinds the builder adds to each region's organisations.
NEW_KINDS = ("psychological", "legal_aid", "housing", "rehabilitation")

# The statuses the demo's referrals reach, in order of the provider's steps.
STORIES = (
    "sent",
    "overdue",
    "accepted",
    "declined",
    "in_progress",
    "completed",
    "not_completed",
    "withdrawn",
)


def build_directory(builder) -> int:
    """Directory entries for the providers of every region, kept by its department."""
    services = {s.code: s for s in ServiceType.objects.all()}
    made = 0
    for code, by_key in builder.orgs.items():
        if "dept" not in by_key:
            continue
        dept = by_key["dept"][0]
        for key, (_kind, _name, offered, waiting) in PROVIDER_KINDS.items():
            for organisation in by_key.get(key, []):
                entry, created = Provider.objects.get_or_create(
                    organisation=organisation,
                    defaults={
                        "maintained_by": dept,
                        "waiting_days": waiting,
                        "languages": "kk,ru",
                        "hours": "Пн–Пт 9:00–18:00",
                        "phone": f"+7 7{code}0 000 {made:04d}",
                        "address": str(organisation.place),
                    },
                )
                if created:
                    entry.services.set([services[s] for s in offered])
                    entry.coverage.set([organisation.place])
                    made += 1
    return made


def build_referrals(builder, region_codes: tuple[str, ...]) -> Counter[str]:
    """A referral in every status from the open cases of each persona region's first
    caseworker (who shows them in the demo), answered by the region's provider user."""
    rng = random.Random(f"{builder.seed}:referrals")
    family = ServiceType.objects.get(code="family_support")
    counts: Counter[str] = Counter()
    for code in region_codes:
        slug = builder.slug[code]
        worker = builder.users.get(f"caseworker.{slug}")
        staff = builder.users.get(f"provider.{slug}")
        if worker is None or staff is None:
            continue
        centre = Provider.objects.get(organisation=staff.organisation)
        cases = list(
            Case.objects.filter(worker=worker, restricted=False)
            .exclude(status__in=[Case.Status.CLOSED, Case.Status.CLOSURE_REQUESTED])
            .order_by("pk")[: 3 * len(STORIES)]
        )
        stories = iter(STORIES)
        for case in cases:
            story = next(stories, None)
            if story is None:
                break
            try:
                with transaction.atomic():
                    referral = _refer(case, worker, centre, family, rng)
                    _walk(referral, staff, story)
            except ValidationError:  # a child living beyond the centre's region
                stories = iter((story, *stories))
                continue
            counts[f"referrals_{story}"] += 1
    return counts


def _refer(case, worker, centre, service, rng):
    child = case.children.select_related("place__parent").first()
    return referral_send(
        actor=worker,
        case=case,
        child=child,
        service=service,
        provider=centre,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(
            reason=rng.choice(
                (
                    "Родителям нужна помощь в уходе за ребёнком и в планировании бюджета.",
                    "Конфликты в семье; мать просит о программе для родителей.",
                    "Ата-анаға бала тәрбиесі бойынша қолдау қажет.",
                )
            ),
            contact=f"{worker.get_full_name()}, +7 700 000 00 00",
        ),
    )


def _walk(referral: Referral, staff: User, story: str) -> None:
    today = timezone.localdate()
    if story == "overdue":
        # Sent days ago and still unanswered: past the acceptance deadline.
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=timezone.now() - dt.timedelta(days=5),
            accept_due_at=timezone.now() - dt.timedelta(days=2),
        )
        return
    if story == "sent":
        return
    if story == "withdrawn":
        referral_withdraw(
            actor=referral.sent_by,
            referral=referral,
            reason="Семья переехала в другой район.",
        )
        return
    if story == "declined":
        referral_answer(
            actor=staff,
            referral=referral,
            accept=False,
            reason="Нет мест в группе до следующего месяца.",
        )
        return
    referral_answer(actor=staff, referral=referral, accept=True)
    if story == "accepted":
        return
    referral_session_record(actor=staff, referral=referral, held_on=today, attended=True)
    if story == "in_progress":
        return
    referral_close(
        actor=staff,
        referral=referral,
        completed=story == "completed",
        outcome="Семья прошла программу для родителей: 6 занятий из 6."
        if story == "completed"
        else "Семья перестала приходить после первого занятия.",
        ended_on=today,
    )
