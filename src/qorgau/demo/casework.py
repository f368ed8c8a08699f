"""The demo's daily case work, so that `make demo` shows it: in each persona region
risk levels below the instrument's suggestion waiting for the supervisor's sign-off
and the contact log of a case; in Pavlodar a delegation of the supervisor's approvals to
caseworker2 and two children of new reports recorded without a name ("unknown, about
7 years, girl"). Through the real services, in a fixed order (by primary key)."""

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.services import delegation_create
from qorgau.cases.models import AssessmentQuestion, Case, ContactNote, Report, ReportChild
from qorgau.cases.services.assessment import case_assess
from qorgau.cases.services.contacts import contact_record
from qorgau.cases.services.reports import report_link_child
from qorgau.children.models import Sex
from qorgau.children.services import child_register

OVERRIDES_PER_REGION = 2
# (kind, days ago, with whom, what was said or agreed)
CONTACTS = (
    (
        ContactNote.Kind.CALL,
        1,
        "Мать",
        "Позвонила: ребёнок ходит в школу, вечером дома; договорились о визите в пятницу.",
    ),
    (
        ContactNote.Kind.MEETING,
        2,
        "Классный руководитель",
        "Встреча в школе: пропусков нет, на переменах держится один; психолог поговорит с ним.",
    ),
    (
        ContactNote.Kind.MESSAGE,
        3,
        "Участковый инспектор",
        "Сообщение в WhatsApp: вызовов по адресу за неделю не было.",
    ),
)
# (approximate age, sex, how to recognise the child) for Pavlodar's new reports.
UNKNOWN_CHILDREN = (
    (7, Sex.FEMALE, "Девочка в розовой куртке, часто одна во дворе дома после 20:00."),
    (10, Sex.MALE, "Мальчик, просит деньги у магазина на остановке, говорит по-казахски."),
)


def build_casework(builder, region_codes: tuple[str, ...]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for code in region_codes:
        slug = builder.slug[code]
        worker = builder.users.get(f"caseworker.{slug}")
        if worker is None:
            continue
        cases = list(
            Case.objects.filter(worker=worker, restricted=False, status=Case.Status.ACTIVE)
            .order_by("pk")
            .prefetch_related("children")[:OVERRIDES_PER_REGION]
        )
        for case in cases:
            counts["risk_overrides"] += _override(case, worker)
        for contact in CONTACTS if cases else ():  # the log of the first case
            counts["contact_notes"] += _contact(cases[0], worker, contact)
    supervisor = builder.users.get("supervisor.pavlodar")
    deputy = builder.users.get("caseworker2.pavlodar")
    if supervisor is not None and deputy is not None:
        today = timezone.localdate()  # a delegation cannot start in the past
        delegation_create(
            actor=supervisor,
            deputy=deputy,
            starts_on=today,
            ends_on=today + dt.timedelta(days=14),
            reason="Отпуск",
        )
        counts["delegations"] += 1
        counts["unknown_children"] += _unknown_children(supervisor)
    return counts


def _override(case: Case, worker) -> int:
    """An injury (a red flag: "high" at least) assessed as "low", with the reason."""
    answers = dict.fromkeys(
        AssessmentQuestion.objects.filter(active=True)
        .order_by("pk")
        .values_list("code", flat=True),
        "no",
    )
    answers["injury"] = "yes"
    children = list(case.children.all())
    try:
        with transaction.atomic():
            case_assess(
                actor=worker,
                case=case,
                version=case.version,
                child=children[0] if len(children) == 1 else None,
                answers=answers,
                risk_level="low",
                reasoning="Синяк на руке: по словам медсестры, упал на физкультуре.",
                immediate_danger=False,
                safety_decision="safe",
                override_reason="Падение видела медсестра школы; других признаков вреда нет.",
            )
    except ValidationError:  # e.g. a case about several children
        return 0
    return 1


def _contact(case: Case, worker, contact) -> int:
    kind, days, with_whom, summary = contact
    # Not before the case opened (a case of yesterday has its contacts since).
    day = max(timezone.localdate() - dt.timedelta(days=days), timezone.localdate(case.opened_at))
    contact_record(
        actor=worker,
        case=case,
        kind=kind,
        contacted_on=day,
        with_whom=with_whom,
        summary=summary,
    )
    return 1


def _unknown_children(screener) -> int:
    """Register the children two new Pavlodar reports describe without a name."""
    links = (
        ReportChild.objects.filter(
            child=None,
            report__status=Report.Status.NEW,
            report__place__kato__startswith=screener.organisation.place.territory_prefix,
        )
        .select_related("report__place")
        .order_by("report__received_at", "pk")[: len(UNKNOWN_CHILDREN)]
    )
    made = 0
    for link, (age, sex, description) in zip(list(links), UNKNOWN_CHILDREN, strict=False):
        with transaction.atomic():
            child = child_register(
                actor=screener,
                first_name="",
                place=link.report.place,
                approximate_age=age,
                sex=sex,
                description=description,
            )
            report_link_child(actor=screener, report=link.report, link=link, child=child)
        made += 1
    return made
