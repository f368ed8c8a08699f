"""A supervisor reassigns a case and staff search by case and report number, walked in
a real browser in Kazakh and in Russian, every page checked with axe-core.

The supervisor hands a case to another worker of the office with a reason; the case's
timeline says so, and the new worker finds the case in their own list. A case number
and a report number typed into the search (Cyrillic letters too) land on the record;
a number of no record and one of a record in another region get the same answer.
"""

import os

import pytest
from django.utils import translation

from e2e.browser import log_in
from personas import make_case, make_report
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import Case

SUBMIT = "main form.stack button[type=submit]"
SCREENSHOTS = os.environ.get("QORGAU_SCREENSHOTS")
REASON = {"kk": "Айнұр демалыста, екі апта", "ru": "Айнур в отпуске две недели"}


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def _nothing_found(locale: str) -> str:
    with translation.override(locale):
        return translation.gettext("No child found.")


def reassign(page, a11y, case: Case, new_worker, locale: str) -> None:
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    page.click(f"nav.actions a[href='/cases/{case.pk}/reassign/']")
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/reassign/")
    a11y.check(page, "reassign the case")
    page.click(SUBMIT)  # no worker, no reason: both named, nothing lost
    page.wait_for_selector(".error-summary")
    a11y.check(page, "reassign the case (errors)")
    page.select_option("#id_worker", str(new_worker.pk))
    page.fill("#id_reason", REASON[locale])
    _shot(page, f"{locale}-reassign-form")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    timeline = page.locator(".timeline").inner_text()
    assert REASON[locale] in timeline and str(new_worker) in timeline
    a11y.check(page, "case page (reassigned)")
    _shot(page, f"{locale}-reassigned")


def search(page, text: str) -> None:
    page.goto(f"{page.base_url}/children/")
    page.fill("#id_q", text)
    page.press("#id_q", "Enter")


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_supervisor_reassigns_a_case_and_the_new_worker_has_it(new_page, a11y, personas, locale):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="active",
    )
    new_worker = personas.caseworker2_pavlodar
    supervisor = new_page(locale)
    log_in(supervisor, "supervisor_pavlodar")
    reassign(supervisor, a11y, case, new_worker, locale)
    case.refresh_from_db()
    assert case.worker == new_worker

    worker = new_page(locale)
    log_in(worker, "caseworker2_pavlodar")
    my_cases = worker.locator("section[aria-labelledby=cases-h] table")
    assert case.reference in my_cases.inner_text()
    a11y.check(worker, "my work (the new worker)")
    _shot(worker, f"{locale}-new-worker-list")
    my_cases.locator(f"a[href='/cases/{case.pk}/']").click()
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")
    assert REASON[locale] in worker.locator(".timeline").inner_text()
    assert worker.get_attribute("html", "lang") == locale
    assert not a11y.violations, a11y.violations


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_case_or_report_number_lands_on_the_record_and_others_get_one_answer(
    new_page, a11y, personas, locale
):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    report = make_report(actor=personas.operator_111, place=personas.pavlodar_city)
    elsewhere = make_case(worker=personas.caseworker_astana, supervisor=personas.supervisor_astana)
    page = new_page(locale)
    log_in(page, "caseworker_pavlodar")

    search(page, case.reference)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    a11y.check(page, "case page (found by number)")
    _shot(page, f"{locale}-case-by-number")

    cyrillic = "Р" + report.reference[1:]  # as a Russian keyboard types it
    search(page, cyrillic)
    page.wait_for_url(f"{page.base_url}/reports/{report.pk}/")
    assert report.reference in page.inner_text("h1")
    a11y.check(page, "report page (found by number)")

    answers = []
    for number in (f"C-{elsewhere.opened_at:%Y}-{elsewhere.pk + 1000:06d}", elsewhere.reference):
        search(page, number)
        page.wait_for_selector("#results p")
        assert page.url.startswith(f"{page.base_url}/children/")
        answers.append(page.locator("#results").inner_text())
        a11y.check(page, "search (nothing found)")
    assert answers[0] == answers[1] and _nothing_found(locale) in answers[0]
    _shot(page, f"{locale}-number-not-found")
    refused = AccessLogEntry.objects.filter(action="refused", record_kind="case")
    assert list(refused.values_list("record_id", flat=True)) == [elsewhere.pk]
    assert page.get_attribute("html", "lang") == locale
    assert not a11y.violations, a11y.violations
