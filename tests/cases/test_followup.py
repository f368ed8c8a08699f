"""Visits and police notifications."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from personas import make_case
from qorgau.cases.models import PoliceNotification, Visit
from qorgau.cases.services.followup import (
    police_notification_acknowledge,
    police_notification_send,
    visit_record,
)
from qorgau.cases.workflow import TransitionError


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, concerns=["physical"]
    )


@pytest.fixture
def notification(case):
    return case.police_notifications.get()


def visit(case, actor, **overrides):
    values = {
        "kind": "home",
        "visited_on": timezone.localdate(),
        "findings": "Calm home.",
        **overrides,
    }
    return visit_record(actor=actor, case=case, **values)


def test_the_worker_records_a_visit(case, caseworker_pavlodar):
    recorded = visit(case, caseworker_pavlodar, participants="Mother, child")
    assert list(case.visits.all()) == [recorded]
    assert recorded.performed_by == caseworker_pavlodar


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"visited_on": timezone.localdate() + dt.timedelta(days=1)}, "visited_on"),
        ({"findings": " "}, "findings"),
    ],
)
def test_an_impossible_visit_is_refused(case, caseworker_pavlodar, change, field):
    with pytest.raises(ValidationError) as exc:
        visit(case, caseworker_pavlodar, **change)
    assert field in exc.value.message_dict
    assert not Visit.objects.exists()


def test_another_caseworker_cannot_record_visits(case, caseworker2_pavlodar):
    with pytest.raises(TransitionError):
        visit(case, caseworker2_pavlodar)


def test_no_visit_is_recorded_on_a_closed_case(
    caseworker_pavlodar, supervisor_pavlodar, police_pavlodar
):
    closed = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closed")
    with pytest.raises(TransitionError):
        visit(closed, caseworker_pavlodar)


def test_the_police_are_notified_then_acknowledge(
    case, notification, caseworker_pavlodar, police_pavlodar
):
    police_notification_send(
        actor=caseworker_pavlodar, case=case, notification=notification, police=police_pavlodar
    )
    notification.refresh_from_db()
    assert (notification.police, notification.sent_by) == (police_pavlodar, caseworker_pavlodar)
    assert notification.sent_at is not None
    police_notification_acknowledge(
        actor=caseworker_pavlodar,
        case=case,
        notification=notification,
        police_reference=" KUI-2026-0042 ",
    )
    notification.refresh_from_db()
    assert notification.police_reference == "KUI-2026-0042"
    assert notification.acknowledged_at is not None


def test_a_notification_goes_only_to_a_police_unit(
    case, notification, caseworker_pavlodar, school_pavlodar
):
    with pytest.raises(ValidationError):
        police_notification_send(
            actor=caseworker_pavlodar, case=case, notification=notification, police=school_pavlodar
        )
    notification.refresh_from_db()
    assert notification.sent_at is None


def test_a_notification_is_sent_once(case, notification, caseworker_pavlodar, police_pavlodar):
    send = {
        "actor": caseworker_pavlodar,
        "case": case,
        "notification": notification,
        "police": police_pavlodar,
    }
    police_notification_send(**send)
    with pytest.raises(TransitionError) as exc:
        police_notification_send(**send)
    assert exc.value.code == "sent"


def test_an_acknowledgement_needs_a_sent_notification_and_a_reference(
    case, notification, caseworker_pavlodar, police_pavlodar
):
    ack = {"actor": caseworker_pavlodar, "case": case, "notification": notification}
    with pytest.raises(TransitionError):
        police_notification_acknowledge(**ack, police_reference="KUI-1")
    police_notification_send(**ack, police=police_pavlodar)
    with pytest.raises(ValidationError):
        police_notification_acknowledge(**ack, police_reference="  ")
    police_notification_acknowledge(**ack, police_reference="KUI-1")
    with pytest.raises(TransitionError) as exc:
        police_notification_acknowledge(**ack, police_reference="KUI-2")
    assert exc.value.code == "acknowledged"
    notification.refresh_from_db()
    assert notification.police_reference == "KUI-1"


def test_a_notification_of_another_case_is_refused(
    case, caseworker_pavlodar, supervisor_pavlodar, police_pavlodar
):
    other = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, concerns=["sexual"]
    )
    with pytest.raises(TransitionError) as exc:
        police_notification_send(
            actor=caseworker_pavlodar,
            case=case,
            notification=other.police_notifications.get(),
            police=police_pavlodar,
        )
    assert exc.value.code == "wrong_case"
    assert not PoliceNotification.objects.filter(sent_at__isnull=False).exists()


def test_another_caseworker_cannot_notify_the_police(
    case, notification, caseworker2_pavlodar, police_pavlodar
):
    with pytest.raises(TransitionError):
        police_notification_send(
            actor=caseworker2_pavlodar,
            case=case,
            notification=notification,
            police=police_pavlodar,
        )
