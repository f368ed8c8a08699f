"""A risk level below the instrument's suggestion, signed off by the supervisor, and the
contact log, walked in a real browser in Kazakh and in Russian, every page checked
with axe-core.

The caseworker answers the assessment and watches the suggested level change as the
answers are given (HTMX); choosing a lower level brings the request for a reason; the
case goes to the supervisor's approvals, who signs the lower level off. Then the
caseworker logs a phone call in the case's contact log.
"""

import os
import re

import pytest
from django.utils import timezone, translation

from e2e.browser import log_in
from personas import make_case
from qorgau.cases.choices import RiskLevel
from qorgau.cases.models import Assessment, Case

SUBMIT = "main form.stack button[type=submit]"
SCREENSHOTS = os.environ.get("QORGAU_SCREENSHOTS")  # a folder: pages saved there to look at


def _label(level: str, locale: str) -> str:
    with translation.override(locale):
        return str(RiskLevel(level).label)


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def assess_below_the_suggestion(page, a11y, case: Case, locale: str) -> None:
    page.goto(f"{page.base_url}/cases/{case.pk}/assess/")
    suggested = page.locator("#suggested-level")
    assert suggested.inner_text() == _label("low", locale)
    for radio in page.query_selector_all("fieldset input[type=radio][value=no]"):
        radio.check()
    # A red flag: the suggestion rises at once, without a reload.
    page.check("input[name=injury][value=yes]")
    page.wait_for_function(
        "text => document.querySelector('#suggested-level').textContent === text",
        arg=_label("high", locale),
    )
    page.select_option("#id_risk_level", "low")
    page.wait_for_selector("#below-suggestion")
    page.fill("#id_reasoning", "Көгеру мектептегі құлаудан, медбике растады.")
    page.fill("#id_override_reason", "Медбике құлауды көрді, басқа зақым белгісі жоқ.")
    a11y.check(page, "risk assessment (below the suggestion)")
    _shot(page, f"{locale}-1-assessment")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    a11y.check(page, "case page (sign-off pending)")
    _shot(page, f"{locale}-2-case-pending")


def sign_off(page, a11y, case: Case, locale: str) -> None:
    page.goto(f"{page.base_url}/approvals/")
    a11y.check(page, "approvals (risk sign-off)")
    page.click(f"a[href='/cases/{case.pk}/risk-signoff/']")
    assert "Медбике құлауды көрді" in page.locator("#pending-signoff").inner_text()
    page.check("input[name=decision][value=approve]")
    a11y.check(page, "risk sign-off")
    _shot(page, f"{locale}-3-signoff")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    page.goto(f"{page.base_url}/approvals/risk-overrides/")
    assert "Медбике құлауды көрді" in page.locator("#risk-overrides").inner_text()
    a11y.check(page, "risk overrides list")
    _shot(page, f"{locale}-4-overrides")


def log_a_call(page, a11y, case: Case, locale: str) -> None:
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    page.click("#contact-log-link")
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/contacts/")
    a11y.check(page, "contact log (empty)")
    page.select_option("#id_kind", "call")
    page.fill("#id_contacted_on", timezone.localdate().isoformat())
    page.fill("#id_with_whom", "Анасы, Гүлмира")
    page.fill("#id_summary", "Бейсенбіге үйге баруға келісті.")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/contacts/")
    log = page.locator("#contact-log").inner_text()
    assert "Анасы, Гүлмира" in log and "Бейсенбіге үйге баруға келісті." in log
    a11y.check(page, "contact log (one call)")
    _shot(page, f"{locale}-5-contacts")


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_lower_risk_level_is_signed_off_and_a_call_is_logged(new_page, a11y, personas, locale):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    worker = new_page(locale)
    log_in(worker, "caseworker_pavlodar")
    assess_below_the_suggestion(worker, a11y, case, locale)
    case.refresh_from_db()
    assert case.risk_level == "high"  # the suggestion counts until signed off
    assert case.assessments.get().signoff == Assessment.SignOff.PENDING

    supervisor = new_page(locale)
    log_in(supervisor, "supervisor_pavlodar")
    sign_off(supervisor, a11y, case, locale)
    case.refresh_from_db()
    assert case.risk_level == "low"
    assert case.assessments.get().signed_off_by == personas.supervisor_pavlodar

    log_a_call(worker, a11y, case, locale)
    assert case.contact_notes.get().recorded_by == personas.caseworker_pavlodar
    worker.goto(f"{worker.base_url}/cases/{case.pk}/")
    timeline = worker.locator(".timeline").inner_text()
    assert re.search(r"\d", timeline)
    kinds = list(case.timeline.values_list("kind", flat=True))
    assert kinds[-3:] == ["risk_override", "risk_signed_off", "contact_recorded"]
    assert worker.get_attribute("html", "lang") == locale
    assert not a11y.violations, a11y.violations
