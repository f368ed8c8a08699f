"""The demo's suicide-risk screenings: per persona region, a negative screen, a positive
one with its safety plan and referral to a psychologist, and a positive one still
waiting for both (it shows on the supervisor's My work). Through the real services."""

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.cases.models import Case
from qorgau.referrals.models import Provider, ServiceType
from qorgau.referrals.services import Consent, Shared, referral_send
from qorgau.safety.services import PlanSteps, safety_plan_write, screening_record

NO = dict.fromkeys(("wished_dead", "better_off_dead", "thoughts_past_week", "tried_before"), "no")
STORIES = ("negative", "planned", "waiting")


def build_screenings(builder, region_codes: tuple[str, ...]) -> Counter[str]:
    counts: Counter[str] = Counter()
    care = ServiceType.objects.get(code="psychological_counselling")
    for code in region_codes:
        worker = builder.users.get(f"caseworker2.{builder.slug[code]}")
        if worker is None:
            continue
        cases = Case.objects.filter(worker=worker, restricted=False, status=Case.Status.ACTIVE)
        stories = iter(STORIES)
        for case in cases.order_by("pk")[:10]:
            story = next(stories, None)
            if story is None:
                break
            try:
                with transaction.atomic():
                    _screen(case, worker, story, care)
            except ValidationError:  # e.g. no psychologist covers where the child lives
                stories = iter((story, *stories))
                continue
            counts[f"screenings_{story}"] += 1
    return counts


def _screen(case, worker, story, care) -> None:
    child = case.children.select_related("place__parent").first()
    answers = {**NO} if story == "negative" else {**NO, "wished_dead": "yes", "thoughts_now": "no"}
    screening_record(actor=worker, case=case, child=child, answers=answers)
    if story != "planned":
        return
    safety_plan_write(
        actor=worker,
        case=case,
        child=child,
        steps=PlanSteps(
            warning_signs="Закрывается в комнате, перестаёт есть, пишет грустные посты.",
            coping="Рисовать, слушать музыку, выйти на прогулку с собакой.",
            distraction="Дом тёти; спортивная секция по вторникам и четвергам.",
            people="Тётя Сауле; классный руководитель.",
            professionals="112; телефон доверия 150; контакт-центр 111; школьный психолог.",
            environment="Лекарства заперты у тёти; острые предметы убраны.",
        ),
        review_on=timezone.localdate() + dt.timedelta(days=14),
    )
    provider = (
        Provider.objects.filter(services=care, organisation__place=case.region, active=True)
        .order_by("waiting_days")
        .first()
    )
    if provider is None:
        raise ValidationError("no psychologist in the region")
    referral_send(
        actor=worker,
        case=case,
        child=child,
        service=care,
        provider=provider,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(
            reason="Положительный скрининг суицидального риска; составлен план безопасности.",
            contact=f"{worker.get_full_name()}, +7 700 000 00 00",
        ),
    )
