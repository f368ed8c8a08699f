"""A ministry coordinator reads the programme dashboard and the workforce, a region's
coordinator reports its measures, in Kazakh and Russian, audited by axe."""

import io

import pytest

from e2e.browser import log_in
from qorgau.programmes.models import MeasureReport, ResponsibleBody
from qorgau.programmes.plan import plan_import
from qorgau.programmes.synthetic import synthetic_plan

HEADINGS = {
    "kk": ("Бағыттар мен мәртебелер бойынша іс-шаралар", "Кадрлар штат нормативімен салыстырғанда"),
    "ru": ("Мероприятия по направлениям и статусам", "Кадры в сравнении со штатным нормативом"),
}


@pytest.fixture
def plan(personas):
    out = io.BytesIO()
    synthetic_plan().save(out)
    out.seek(0)
    assert plan_import(source=out, programme_code="qazaqstan-balalary").stored
    ResponsibleBody.objects.filter(code="akimat-55").update(organisation=personas.dept_pavlodar)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_ministry_sees_the_programme_and_the_workforce(new_page, a11y, plan, language):
    page = new_page(language)
    log_in(page, "coordinator_ministry")
    measures, workforce = HEADINGS[language]
    page.goto(f"{page.base_url}/programmes/qazaqstan-balalary/")
    assert page.locator("caption", has_text=measures).is_visible()
    assert page.locator("tfoot td").first.inner_text() != ""
    a11y.check(page, f"dashboard {language}")
    page.goto(f"{page.base_url}/programmes/qazaqstan-balalary/measures/?late=1")
    a11y.check(page, f"measures {language}")
    page.goto(f"{page.base_url}/workforce/")
    assert page.locator("h1", has_text=workforce).is_visible()
    a11y.check(page, f"workforce {language}")
    assert not a11y.violations, a11y.violations


def test_a_region_reports_its_measures_for_the_quarter(new_page, a11y, plan):
    page = new_page("ru")
    log_in(page, "coordinator_pavlodar")
    page.goto(f"{page.base_url}/programmes/qazaqstan-balalary/progress/")
    page.click("form.inline button")
    a11y.check(page, "progress form")
    page.locator("select[name$='-status']").first.select_option("in_progress")
    comment = page.locator("input[name$='-comment']").first
    comment.fill("Working group set up")
    comment.press("Enter")  # the base template's first submit button is the language switch
    page.wait_for_selector(".message.success")
    assert MeasureReport.objects.filter(
        body__code="akimat-55", comment="Working group set up", status="in_progress"
    ).exists()
    assert not a11y.violations, a11y.violations
