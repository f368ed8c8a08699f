"""A positive suicide-risk screen in a real browser, in Kazakh and in Russian: the
caseworker answers the ASQ, is taken to the safety plan, writes it, and the case page
asks for the referral to psychological care until it is sent. Every page axe-clean."""

import datetime as dt

import pytest
from django.utils import timezone

from e2e.browser import log_in
from personas import make_case
from qorgau.accounts.models import Organisation
from qorgau.referrals.models import Provider, ServiceType
from qorgau.safety.models import SafetyPlan, Screening

SUBMIT = "main form.stack button[type=submit]"


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_positive_screen_leads_to_a_safety_plan_and_a_referral(new_page, a11y, personas, locale):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    psychologists = Organisation.objects.create(
        name="Pavlodar psychologists",
        kind=Organisation.Kind.PSYCHOLOGICAL_SERVICE,
        place=personas.pavlodar,
    )
    care = ServiceType.objects.get(code="psychological_counselling")
    entry = Provider.objects.create(
        organisation=psychologists, maintained_by=personas.dept_pavlodar
    )
    entry.services.set([care])
    entry.coverage.set([personas.pavlodar])

    page = new_page(locale)
    log_in(page, "caseworker_pavlodar")
    page.goto(f"{page.base_url}/cases/{case.pk}/screening/")
    page.select_option("#id_child", index=1)
    for code in ("better_off_dead", "thoughts_past_week", "tried_before"):
        page.check(f"input[name=q_{code}][value=no]")
    page.check("input[name=q_wished_dead][value=yes]")
    page.check("input[name=q_thoughts_now][value=no]")
    a11y.check(page, "screening")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/safety-plan/")
    assert Screening.objects.get(case=case).result == Screening.Result.POSITIVE
    page.select_option("#id_child", index=1)
    for name in ("warning_signs", "coping", "distraction", "people", "environment"):
        page.fill(f"#id_{name}", "…")
    page.fill("#id_review_on", "2030-01-15")
    a11y.check(page, "safety plan")
    # The review date is checked against its horizon: fix it to two weeks ahead.
    page.click(SUBMIT)
    page.wait_for_selector("#id_review_on[aria-invalid=true]")
    page.fill("#id_review_on", (timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    assert SafetyPlan.objects.filter(case=case).exists()
    a11y.check(page, "case page, referral outstanding")
    page.click(f"main .notice a[href='/cases/{case.pk}/referrals/new/']")
    page.select_option("#need", str(care.pk))
    page.click("main form.inline button[type=submit]")
    page.select_option("#id_child", index=1)
    page.select_option("#id_service", str(care.pk))
    page.check("input[name=provider]")
    page.check("#id_caregiver_consent")
    page.check("#id_child_consent")
    page.fill("#id_reason", "Positive ASQ screen")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")
    assert page.locator("main .notice[role=alert]").count() == 0
    assert not a11y.violations, a11y.violations
