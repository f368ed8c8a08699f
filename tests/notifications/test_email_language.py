"""E-mails are written in the language each reader chose for the interface."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from personas import make_case
from qorgau.cases.models import Case
from qorgau.notifications.services import reminders_send

# The e-mail's own sentence around the notification, in each language.
OPEN_IT = {
    "en": "Open it in Qorgau",
    "ru": "Откройте в Qorgau",
    "kk": "Qorgau-да ашыңыз",
}
OVERDUE = {"en": "overdue", "ru": "просроч", "kk": "мерзімі өтіп"}


@pytest.fixture
def overdue_case(caseworker_pavlodar, supervisor_pavlodar) -> Case:
    for user in (caseworker_pavlodar, supervisor_pavlodar):
        user.email = f"{user.username}@example.kz"
        user.save(update_fields=["email"])
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    Case.objects.filter(pk=case.pk).update(assessment_due_at=timezone.now() - dt.timedelta(hours=2))
    return case


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_each_reader_gets_the_email_in_their_language(
    language, overdue_case, caseworker_pavlodar, supervisor_pavlodar
):
    caseworker_pavlodar.language = language
    caseworker_pavlodar.save(update_fields=["language"])
    other = "en" if language != "en" else "kk"
    supervisor_pavlodar.language = other
    supervisor_pavlodar.save(update_fields=["language"])

    reminders_send()

    by_reader = {message.to[0]: message for message in mail.outbox}
    mine = by_reader["caseworker_pavlodar@example.kz"]
    theirs = by_reader["supervisor_pavlodar@example.kz"]
    assert OPEN_IT[language] in mine.body and OVERDUE[language] in mine.subject.lower()
    assert OPEN_IT[other] in theirs.body and OVERDUE[other] in theirs.subject.lower()
    assert overdue_case.reference in mine.subject


def test_a_reader_who_never_chose_gets_the_sites_language(
    settings, overdue_case, caseworker_pavlodar
):
    settings.LANGUAGE_CODE = "ru"
    assert caseworker_pavlodar.language == ""
    reminders_send()
    message = next(m for m in mail.outbox if m.to == ["caseworker_pavlodar@example.kz"])
    assert OPEN_IT["ru"] in message.body
