"""A plan returned with a note, walked in a real browser in Kazakh and in Russian.

The supervisor returns the caseworker's plan with a note; the caseworker finds the note
on My work and on the case page, opens the plan already filled in, changes what the note
asks and submits it again. And a plan saved a second time from a stale copy (a second
tab) is refused as a stale copy, with everything typed still in the form.
"""

import re

import pytest
from django.utils import translation

from e2e.browser import log_in
from personas import make_case
from qorgau.cases.models import Case, CasePlan
from qorgau.cases.workflow import StaleVersion, check_version

SUBMIT = "main form.stack button[type=submit]"
NOTES = {
    "kk": "Мектеп психологын қосып, үйге бару күнін көрсетіңіз.",
    "ru": "Добавьте школьного психолога и дату посещения на дому.",
}


def _stale_message(case: Case, locale: str) -> str:
    with translation.override(locale):
        try:
            check_version(case, case.version + 1)
        except StaleVersion as error:
            return error.messages[0]
    raise AssertionError("check_version accepted another version")


def write_plan(page, case: Case, summary: str, action: str) -> None:
    page.goto(f"{page.base_url}/cases/{case.pk}/plan/")
    page.fill("#id_summary", summary)
    page.fill("#id_goal_1", "Бала тамақтанған және қараусыз емес")
    page.fill("#id_action_1", action)
    page.select_option("#id_responsible_1", index=1)
    page.fill("#id_due_1", "2030-01-15")


def return_plan(page, a11y, case: Case, note: str) -> None:
    page.goto(f"{page.base_url}/approvals/")
    page.click(f"a[href='/cases/{case.pk}/plan-decision/']")
    page.check("input[name=decision][value=return]")
    page.fill("#id_note", note)
    a11y.check(page, "plan decision (return)")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_returned_plan_is_revised_from_its_note_and_resubmitted(new_page, a11y, personas, locale):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="planning",
    )
    worker = new_page(locale)
    log_in(worker, "caseworker_pavlodar")
    write_plan(worker, case, "Отбасын қолдау, мектепке қатысуды бақылау.", "Әлеуметтік патронаж")
    worker.click(SUBMIT)
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")

    supervisor = new_page(locale)
    log_in(supervisor, "supervisor_pavlodar")
    return_plan(supervisor, a11y, case, NOTES[locale])

    worker.goto(f"{worker.base_url}/")
    returned = worker.locator("#returned-plans")
    assert NOTES[locale] in returned.inner_text()
    a11y.check(worker, "my work (plan returned)")
    returned.locator(f"a[href^='/cases/{case.pk}/']").click()
    worker.wait_for_url(re.compile(rf"/cases/{case.pk}/"))
    assert NOTES[locale] in worker.locator("#returned-plan").inner_text()
    a11y.check(worker, "case page (plan returned)")

    worker.click(f"main a.button[href='/cases/{case.pk}/plan/']")
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/plan/")
    assert NOTES[locale] in worker.locator("#returned-plan").inner_text()
    assert worker.input_value("#id_summary") == "Отбасын қолдау, мектепке қатысуды бақылау."
    assert worker.input_value("#id_action_1") == "Әлеуметтік патронаж"
    assert worker.input_value("#id_due_1") == "2030-01-15"
    assert worker.input_value("#id_responsible_1") != ""
    a11y.check(worker, "case plan (pre-filled)")
    worker.fill("#id_action_1", "Әлеуметтік патронаж және мектеп психологы")
    worker.click(SUBMIT)
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")

    case.refresh_from_db()
    assert case.status == Case.Status.PLAN_SUBMITTED
    resubmitted = case.plans.get(status=CasePlan.Status.SUBMITTED)
    assert resubmitted.actions.get().action == "Әлеуметтік патронаж және мектеп психологы"
    assert resubmitted.summary == "Отбасын қолдау, мектепке қатысуды бақылау."
    worker.goto(f"{worker.base_url}/")
    assert worker.locator("#returned-plans").count() == 0
    assert worker.get_attribute("html", "lang") == locale
    assert not a11y.violations, a11y.violations


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_second_save_from_a_stale_copy_keeps_the_text_and_says_why(
    new_page, a11y, personas, locale
):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="planning",
    )
    first = new_page(locale)
    log_in(first, "caseworker_pavlodar")
    second = first.context.new_page()  # a second tab of the same session
    second.base_url = first.base_url
    write_plan(first, case, "Бірінші қойындыдағы жоспар.", "Патронаж")
    write_plan(second, case, "Екінші қойындыда терілген мәтін.", "Психолог кеңесі")

    first.click(SUBMIT)
    first.wait_for_url(f"{first.base_url}/cases/{case.pk}/")
    second.click(SUBMIT)
    second.wait_for_url(f"{second.base_url}/cases/{case.pk}/plan/")

    summary = second.locator(".error-summary")
    assert _stale_message(case, locale) in summary.inner_text()
    assert second.input_value("#id_summary") == "Екінші қойындыда терілген мәтін."
    assert second.input_value("#id_action_1") == "Психолог кеңесі"
    assert second.get_attribute("html", "lang") == locale
    a11y.check(second, "case plan (stale copy)")
    assert case.plans.count() == 1
    assert case.plans.get().summary == "Бірінші қойындыдағы жоспар."
    assert not a11y.violations, a11y.violations
