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
from django.db.models import F
from django.utils import timezone

from qorgau.accounts.models import Organisation, User
from qorgau.cases.models import Case
from qorgau.referrals.models import HousingNeed, Provider, Referral, ServiceType
from qorgau.referrals.services import (
    Consent,
    Shared,
    housing_need_record,
    housing_need_resolve,
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
                    _walk(referral, staff, story, rng)
            except ValidationError:  # a child living beyond the centre's region
                stories = iter((story, *stories))
                continue
            counts[f"referrals_{story}"] += 1
    return counts


def _refer(case, worker, centre, service, rng, *, reason=None, need=None):
    child = (
        need.child if need is not None else case.children.select_related("place__parent").first()
    )
    return referral_send(
        actor=worker,
        case=case,
        child=child,
        service=service,
        provider=centre,
        housing_need=need,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(
            reason=reason
            or rng.choice(
                (
                    "Родителям нужна помощь в уходе за ребёнком и в планировании бюджета.",
                    "Конфликты в семье; мать просит о программе для родителей.",
                    "Ата-анаға бала тәрбиесі бойынша қолдау қажет.",
                )
            ),
            contact=f"{worker.get_full_name()}, +7 700 000 00 00",
        ),
    )


def _walk(
    referral: Referral, staff: User, story: str, rng: random.Random | None = None, outcome=None
) -> None:
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
    if rng is not None:
        # Sent some hours before it was accepted: the time to acceptance has a spread.
        hours = dt.timedelta(hours=rng.choice((3, 6, 20, 30, 50, 70, 100)))
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=F("answered_at") - hours, accept_due_at=F("accept_due_at") - hours
        )
    if story == "accepted":
        return
    referral_session_record(actor=staff, referral=referral, held_on=today, attended=True)
    if story == "in_progress":
        return
    referral_close(
        actor=staff,
        referral=referral,
        completed=story == "completed",
        outcome=(outcome or {}).get(story)
        or (
            "Семья прошла программу для родителей: 6 занятий из 6."
            if story == "completed"
            else "Семья перестала приходить после первого занятия."
        ),
        ended_on=today,
    )


# Family-support programmes and housing -------------------------------------------------

PROGRAMME_OUTCOMES = {
    "parenting_programme": {
        "completed": "Родители прошли программу «Позитивное родительство»: 8 занятий из 8.",
        "not_completed": "Родители посетили 2 занятия из 8 и перестали приходить.",
    },
    "mediation": {
        "completed": "Проведены 3 сессии медиации; родители договорились о порядке общения.",
        "not_completed": "Отец отказался от медиации после первой встречи.",
    },
}
HOUSING_REASONS = {
    HousingNeed.Kind.HOMELESSNESS: "Семья без жилья, живёт у знакомых; нужна арендная помощь.",
    HousingNeed.Kind.UNSAFE_HOUSING: "Дом в аварийном состоянии, нет отопления.",
    HousingNeed.Kind.EVICTION_RISK: "Долг по аренде, хозяин требует освободить квартиру.",
}
HOUSING_OUTCOMES = {
    "completed": "Семье предоставлено арендное жильё из коммунального фонда.",
    "not_completed": "Семья не подала документы в очередь на жильё.",
}


def _open_cases(worker: User) -> list[Case]:
    return list(
        Case.objects.filter(worker=worker, restricted=False)
        .exclude(status__in=[Case.Status.CLOSED, Case.Status.CLOSURE_REQUESTED])
        .order_by("-pk")[: 3 * len(STORIES)]
    )


def _story(case, worker, provider, service, staff, story, outcomes, rng) -> None:
    """One referral walked to `story`; a housing one from a need recorded first."""
    need = None
    if service.code == "housing_support":
        kinds = list(HousingNeed.Kind)
        first = STORIES.index(story) % len(kinds)
        child = case.children.order_by("pk").first()
        taken = set(
            case.housing_needs.filter(child=child, status=HousingNeed.Status.OPEN).values_list(
                "kind", flat=True
            )
        )
        # The story's kind, else the next one the child has not open already.
        kind = next((k for k in kinds[first:] + kinds[:first] if k not in taken), kinds[first])
        need = _housing_need(case, worker, kind, rng)
    reason = HOUSING_REASONS[HousingNeed.Kind(need.kind)] if need else None
    referral = _refer(case, worker, provider, service, rng, reason=reason, need=need)
    _walk(referral, staff, story, rng, outcome=outcomes)
    if need is not None and story in ("completed", "not_completed"):
        housing_need_resolve(
            actor=worker, need=need, outcome=outcomes[story], resolved_on=timezone.localdate()
        )


def build_programmes_and_housing(builder, region_codes: tuple[str, ...]) -> Counter[str]:
    """In each persona region: parenting programme and mediation referrals to the family
    support centre, and housing needs (open and resolved) with referrals to the akimat's
    housing department, each in every status."""
    rng = random.Random(f"{builder.seed}:housing")
    services = {s.code: s for s in ServiceType.objects.all()}
    kinds = list(HousingNeed.Kind)
    counts: Counter[str] = Counter()
    for code in region_codes:
        slug = builder.slug[code]
        worker = builder.users.get(f"caseworker.{slug}")
        family_staff = builder.users.get(f"provider.{slug}")
        housing_staff = builder.users.get(f"housing.{slug}")
        if worker is None or family_staff is None or housing_staff is None:
            continue
        centre = Provider.objects.get(organisation=family_staff.organisation)
        akimat = Provider.objects.get(organisation=housing_staff.organisation)
        plans = [
            (services["parenting_programme"], centre, family_staff),
            (services["mediation"], centre, family_staff),
            (services["housing_support"], akimat, housing_staff),
        ]
        pool = _open_cases(worker)
        at = 0  # a case may carry several referrals: the pool is walked round
        for service, provider, staff in plans:
            outcomes = PROGRAMME_OUTCOMES.get(service.code, HOUSING_OUTCOMES)
            for story in STORIES:
                for _attempt in range(len(pool)):
                    case = pool[at % len(pool)]
                    at += 1
                    try:
                        with transaction.atomic():
                            _story(case, worker, provider, service, staff, story, outcomes, rng)
                    except ValidationError:  # a child living beyond the provider's area
                        continue
                    counts[f"referrals_{service.code}_{story}"] += 1
                    if service.code == "housing_support":
                        counts["housing_needs"] += 1
                    break
        # Needs found at a visit, not yet referred.
        for case, kind in zip(pool, kinds, strict=False):
            try:
                with transaction.atomic():
                    _housing_need(case, worker, kind, rng)
            except ValidationError:  # the same need already open for the child
                continue
            counts["housing_needs"] += 1
    return counts


def _housing_need(case: Case, worker: User, kind: str, rng: random.Random) -> HousingNeed:
    child = case.children.order_by("pk")[0]  # every case has a child
    opened = timezone.localdate(case.opened_at)
    identified = min(timezone.localdate(), opened + dt.timedelta(days=rng.randint(0, 20)))
    return housing_need_record(
        actor=worker,
        case=case,
        child=child,
        kind=kind,
        identified_on=identified,
        note=HOUSING_REASONS[HousingNeed.Kind(kind)],
    )
