"""The journey a report takes, walked by the people who take it, in a real browser.

A 111 operator records a report; a caseworker registers the child, screens the report
in, assesses the risk and writes a plan; the supervisor approves the plan; the
caseworker asks to close the case and the supervisor approves the closure. Every page
on the way is checked with axe-core against WCAG 2.1 AA. Selectors are ids and names,
so the same journey runs in every interface language.
"""

import re

import pytest

from e2e.browser import log_in
from qorgau.cases.models import Case, Report

SUBMIT = "main form.stack button[type=submit]"


def record_report(page, a11y, place_pk: int) -> None:
    page.click("a[href='/reports/new/']")
    a11y.check(page, "report form")
    page.select_option("#id_reporter_type", "hotline_111")
    page.check("input[name=urgency][value=urgent]")
    page.check("input[name=concerns][value=neglect]")
    page.select_option("#id_place", str(place_pk))
    page.fill("#id_narrative", "Ребёнок часто один дома без еды, соседи слышат плач.")
    page.fill("#id_children-0-description", "Девочка около 8 лет, кв. 12")
    # A second box comes and goes through HTMX, keeping what was typed in the first.
    page.click("button[name=add_child]")
    page.fill("#id_children-1-description", "Её брат?")
    page.click("button[name=remove_child][value='1']")
    page.wait_for_selector("#id_children-1-description", state="detached")
    assert page.input_value("#id_children-0-description") == "Девочка около 8 лет, кв. 12"
    page.click("button[name=record]")
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    a11y.check(page, "report status (reporter)")


def screen_in_with_a_new_child(page, a11y, report: Report) -> None:
    page.goto(f"{page.base_url}/")
    a11y.check(page, "my work (caseworker)")
    page.click(f"a[href='/reports/{report.pk}/']")
    a11y.check(page, "report screening")
    page.click("a[href*='/children/new/']")
    a11y.check(page, "register child")
    page.fill("#id_last_name", "Жұмабаева")
    page.fill("#id_first_name", "Әсел")
    page.select_option("#id_sex", "F")
    page.fill("#id_birth_date", "2017-05-20")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/reports/{report.pk}/")
    page.click("form:has(input[name=decision][value=in]) button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    a11y.check(page, "case page (new)")


def assess(page, a11y) -> None:
    page.click("a[href$='/assess/']")
    a11y.check(page, "risk assessment")
    for radio in page.query_selector_all("fieldset input[type=radio][value=no]"):
        radio.check()
    page.select_option("#id_risk_level", "medium")
    page.fill("#id_reasoning", "Систематическое пренебрежение, мать готова к работе.")
    page.select_option("#id_safety_decision", "safety_plan")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/cases/\d+/$"))


def write_plan(page, a11y) -> None:
    page.click("a[href$='/plan/']")
    a11y.check(page, "case plan")
    page.fill("#id_summary", "Поддержка семьи и контроль посещаемости школы.")
    page.fill("#id_goal_1", "Ребёнок накормлен и под присмотром")
    page.fill("#id_action_1", "Социальный патронаж семьи")
    page.select_option("#id_responsible_1", index=1)
    page.fill("#id_due_1", "2030-01-15")
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/cases/\d+/$"))


def approve(page, a11y, case: Case, decision: str) -> None:
    page.goto(f"{page.base_url}/approvals/")
    a11y.check(page, "approvals")
    page.click(f"a[href='/cases/{case.pk}/{decision}/']")
    a11y.check(page, decision)
    page.check("input[name=decision][value=approve]")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


def request_closure(page, a11y, case: Case) -> None:
    page.goto(f"{page.base_url}/cases/{case.pk}/")
    a11y.check(page, "case page (active)")
    page.click("a[href$='/close/']")
    a11y.check(page, "closure request")
    page.select_option("#id_reason", "goals_met")
    page.select_option("#id_outcome", "improved")
    page.fill("#id_note", "Цели плана достигнуты, риск снижен.")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


@pytest.mark.parametrize("locale", ["en", "kk"])
def test_a_report_is_carried_to_a_closed_case(new_page, a11y, personas, locale):
    operator = new_page(locale)
    log_in(operator, "operator_111")
    record_report(operator, a11y, personas.pavlodar_city.pk)
    report = Report.objects.get()

    worker = new_page(locale)
    log_in(worker, "caseworker_pavlodar")
    screen_in_with_a_new_child(worker, a11y, report)
    case = Case.objects.get()
    assess(worker, a11y)
    write_plan(worker, a11y)

    supervisor = new_page(locale)
    log_in(supervisor, "supervisor_pavlodar")
    approve(supervisor, a11y, case, "plan-decision")
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE

    request_closure(worker, a11y, case)
    approve(supervisor, a11y, case, "closure-decision")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert case.children.get().first_name == "Әсел"
    kinds = list(case.timeline.values_list("kind", flat=True))
    assert kinds[0] == "case_opened" and kinds[-1] == "closure_approved"

    supervisor.goto(f"{supervisor.base_url}/cases/{case.pk}/")
    assert supervisor.get_attribute("html", "lang") == locale
    a11y.check(supervisor, "case page (closed)")
    assert a11y.pages >= 14
    assert not a11y.violations, a11y.violations
