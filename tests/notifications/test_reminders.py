"""The reminder sweep: who is told what, once, in-app and by e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from personas import make_case, make_child, make_report, make_screened_in_case, version_of
from qorgau.cases.models import Case, PlanAction, Report
from qorgau.cases.services.plans import plan_decide
from qorgau.cases.services.transfers import case_transfer_request
from qorgau.grants.services import emergency_access_start
from qorgau.linkage.services import (
    access_request_create,
    merge_request_create,
    merge_request_decide,
)
from qorgau.notifications.models import Kind, Notification
from qorgau.notifications.services import reminders_send
from qorgau.notifications.tasks import send_reminders
from qorgau.notifications.texts import text_of


@pytest.fixture(autouse=True)
def addresses(caseworker_pavlodar, supervisor_pavlodar, supervisor_astana):
    for user in (caseworker_pavlodar, supervisor_pavlodar, supervisor_astana):
        user.email = f"{user.username}@example.kz"
        user.save(update_fields=["email"])


def _due_in(case: Case, hours: float) -> None:
    Case.objects.filter(pk=case.pk).update(
        assessment_due_at=timezone.now() + dt.timedelta(hours=hours)
    )


def kinds(user) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(user=user).values_list("kind", "reference"))


def test_a_coming_deadline_reminds_the_worker_once(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    _due_in(case, 5)

    first = reminders_send()
    second = reminders_send()

    assert kinds(caseworker_pavlodar) == [(Kind.DEADLINE_SOON, case.reference)]
    assert kinds(supervisor_pavlodar) == []
    assert first["recorded"] == 1 and second == {"recorded": 0, "emailed": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["caseworker_pavlodar@example.kz"]
    assert case.reference in message.subject and f"/cases/{case.pk}/" in message.body
    # No personal data in the e-mail: the child's name stays in Qorgau.
    assert case.children.get().last_name not in message.body


def test_a_passed_deadline_tells_the_worker_and_the_supervisor(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    _due_in(case, 5)
    reminders_send()
    _due_in(case, -1)  # moved, then passed: a new deadline, a new reminder
    reminders_send()
    reminders_send()
    assert kinds(caseworker_pavlodar) == [
        (Kind.DEADLINE_PASSED, case.reference),
        (Kind.DEADLINE_SOON, case.reference),
    ]
    assert kinds(supervisor_pavlodar) == [(Kind.DEADLINE_PASSED, case.reference)]
    assert len(mail.outbox) == 3


def test_a_deadline_far_away_says_nothing_yet(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    _due_in(case, 48)
    reminders_send()
    assert not Notification.objects.exists()


def test_a_returned_plan_and_a_waiting_transfer(
    caseworker_pavlodar, supervisor_pavlodar, supervisor_astana, dept_astana
):
    returned = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="plan_submitted"
    )
    plan_decide(
        actor=supervisor_pavlodar,
        case=returned,
        version=version_of(returned),
        approve=False,
        note="Add school follow-up",
    )
    moving = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=moving,
        version=version_of(moving),
        to_organisation=dept_astana,
        reason="The family moved to Astana",
    )
    reminders_send()
    assert (Kind.PLAN_RETURNED, returned.reference) in kinds(caseworker_pavlodar)
    assert kinds(supervisor_astana) == [(Kind.TRANSFER_WAITING, moving.reference)]


def test_an_emergency_access_waits_for_the_supervisors_review(
    caseworker_pavlodar, caseworker2_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    emergency_access_start(
        actor=caseworker2_pavlodar, case=case, reason="Police called at night, worker away"
    )
    reminders_send()
    assert (Kind.EMERGENCY_REVIEW, case.reference) in kinds(supervisor_pavlodar)
    assert not Notification.objects.filter(user=caseworker2_pavlodar).exists()


def test_the_text_is_in_the_readers_language(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    _due_in(case, -2)
    reminders_send()
    notification = Notification.objects.filter(user=caseworker_pavlodar).get()
    texts = {}
    for language in ("en", "kk", "ru"):
        with translation.override(language):
            texts[language] = text_of(notification)
    assert "overdue" in texts["en"]
    assert len(set(texts.values())) == 3 and all(case.reference in t for t in texts.values())


# The worker closes the database connection after its tasks, as a long-running process
# should: only outside a test transaction does the test's next query reconnect.
@pytest.mark.django_db(transaction=True)
def test_the_task_runs_in_the_database_worker(settings, caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    _due_in(case, 3)
    result = send_reminders.enqueue()  # queued in the database, not run
    assert not Notification.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert kinds(caseworker_pavlodar) == [(Kind.DEADLINE_SOON, case.reference)]


def test_the_command_queues_the_sweep_or_runs_it_now(
    capsys, caseworker_pavlodar, supervisor_pavlodar
):
    from django_tasks_db.models import DBTaskResult

    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    _due_in(case, 3)
    call_command("reminders")
    assert DBTaskResult.objects.count() == 1 and not Notification.objects.exists()
    call_command("reminders", "--now")
    assert "1 new reminders" in capsys.readouterr().out


def test_a_report_waiting_for_screening_reminds_the_offices_supervisors(
    personas, supervisor_pavlodar, supervisor_astana, caseworker_pavlodar
):
    report = make_report(actor=personas.school_reporter)
    Report.objects.filter(pk=report.pk).update(
        screening_due_at=timezone.now() - dt.timedelta(hours=1)
    )
    reminders_send()
    reminders_send()  # once only
    assert kinds(supervisor_pavlodar) == [(Kind.DEADLINE_PASSED, report.reference)]
    assert kinds(supervisor_astana) == []  # another region's
    assert kinds(caseworker_pavlodar) == []  # the supervisors screen
    notification = Notification.objects.get(user=supervisor_pavlodar)
    assert notification.url == report.get_absolute_url()
    with translation.override("en"):
        assert text_of(notification) == f"{report.reference}: the report screening is overdue."


# Plan actions ----------------------------------------------------------------------------


def _action_due(case: Case, days: int) -> PlanAction:
    action = PlanAction.objects.get(plan__case=case)
    action.due_date = timezone.localdate() + dt.timedelta(days=days)
    action.save(update_fields=["due_date"])
    return action


def test_a_plan_action_due_soon_reminds_the_worker(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    _action_due(case, 0)  # due today: within the 24 hours ahead
    reminders_send()
    assert kinds(caseworker_pavlodar) == [(Kind.DEADLINE_SOON, case.reference)]
    assert kinds(supervisor_pavlodar) == []
    notification = Notification.objects.get(user=caseworker_pavlodar)
    assert notification.step == "action"
    with translation.override("en"):
        assert text_of(notification) == f"{case.reference}: the plan action is due soon."


def test_an_overdue_plan_action_tells_the_worker_and_the_supervisor(
    caseworker_pavlodar, supervisor_pavlodar
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    _action_due(case, -3)
    reminders_send()
    assert kinds(caseworker_pavlodar) == [(Kind.DEADLINE_PASSED, case.reference)]
    assert kinds(supervisor_pavlodar) == [(Kind.DEADLINE_PASSED, case.reference)]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "caseworker_pavlodar@example.kz",
        "supervisor_pavlodar@example.kz",
    ]


def test_a_plan_action_reminds_once_a_day(caseworker_pavlodar, supervisor_pavlodar):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    _action_due(case, -1)
    morning = timezone.localtime().replace(hour=9, minute=0)
    reminders_send(now=morning)
    reminders_send(now=morning + dt.timedelta(minutes=15))
    reminders_send(now=morning + dt.timedelta(hours=8))
    assert Notification.objects.filter(user=caseworker_pavlodar).count() == 1
    reminders_send(now=morning + dt.timedelta(days=1))  # the next day: one more
    assert Notification.objects.filter(user=caseworker_pavlodar).count() == 2


def test_a_plan_action_far_away_done_or_of_a_closed_case_says_nothing(
    caseworker_pavlodar, supervisor_pavlodar
):
    far = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    _action_due(far, 5)
    done = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    PlanAction.objects.filter(pk=_action_due(done, -2).pk).update(status=PlanAction.Status.DONE)
    closed = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    _action_due(closed, -2)
    reminders_send()
    assert not Notification.objects.exists()


def test_a_merge_request_waits_for_the_asked_offices_supervisors(
    caseworker_pavlodar, caseworker_astana, supervisor_pavlodar, supervisor_astana, pavlodar_city
):
    names = {"last_name": "Сериккызы", "first_name": "Амина", "birth_date": dt.date(2013, 6, 2)}
    ours = make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names)
    theirs = make_child(actor=caseworker_astana, **names)
    case = make_screened_in_case(screener=caseworker_pavlodar, child=ours)
    case.children.add(theirs)  # so Pavlodar's supervisor sees both records
    request = merge_request_create(
        actor=supervisor_pavlodar, kept=ours, merged=theirs, reason="Same girl, moved"
    )

    reminders_send()

    told = Notification.objects.get(user=supervisor_astana)
    assert (told.kind, told.reference) == (Kind.MERGE_REQUEST_WAITING, f"M-{request.pk}")
    assert told.url == reverse("merge-request", args=[request.pk])
    assert not Notification.objects.filter(user=supervisor_pavlodar).exists()
    # The e-mail names the request, never the child.
    assert "Сериккызы" not in mail.outbox[0].body and "Амина" not in mail.outbox[0].body

    merge_request_decide(actor=supervisor_astana, request=request, approve=False, note="Twins")
    Notification.objects.all().delete()
    reminders_send()
    assert not Notification.objects.exists()  # answered: nothing waits


def test_an_access_request_waits_for_the_owning_offices_supervisors(
    caseworker_pavlodar, caseworker_astana, supervisor_pavlodar, supervisor_astana
):
    theirs = make_child(actor=caseworker_astana, last_name="Ахметова")
    asked = access_request_create(actor=caseworker_pavlodar, child=theirs)

    reminders_send()

    assert kinds(supervisor_astana) == [(Kind.ACCESS_REQUEST_WAITING, f"A-{asked.pk}")]
    assert kinds(supervisor_pavlodar) == [] and kinds(caseworker_pavlodar) == []
    with translation.override("kk"):
        kazakh = text_of(Notification.objects.get(user=supervisor_astana))
    with translation.override("ru"):
        russian = text_of(Notification.objects.get(user=supervisor_astana))
    assert f"A-{asked.pk}" in kazakh and kazakh != russian
