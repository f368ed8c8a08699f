"""A referral walked in a real browser, in Kazakh and in Russian.

The caseworker refers the child of a case to the family support centre from the plan
action; the centre's staff member finds it on their home page, accepts it and records
the outcome; the caseworker sees the provider's report on the case page and the plan
action done. Every page axe-clean.
"""

import pytest

from e2e.browser import log_in
from personas import make_case
from qorgau.cases.models import PlanAction
from qorgau.referrals.models import Referral, ServiceType

SUBMIT = "main form.stack button[type=submit]"
OUTCOME = {"kk": "Ата-аналар бағдарламаны аяқтады.", "ru": "Родители завершили программу."}


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_caseworker_refers_the_provider_answers_the_case_shows_it(
    new_page, a11y, personas, locale
):
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="active",
    )
    action = PlanAction.objects.get(plan__case=case)
    worker = new_page(locale)
    log_in(worker, "caseworker_pavlodar")
    worker.goto(f"{worker.base_url}/cases/{case.pk}/")
    worker.click(f"a[href='/cases/{case.pk}/referrals/new/?action={action.pk}']")
    family = ServiceType.objects.get(code="family_support")
    worker.select_option("#need", str(family.pk))
    worker.click("main form.inline button[type=submit]")
    worker.select_option("#id_child", index=1)
    worker.select_option("#id_service", str(family.pk))
    worker.check("input[name=provider]")
    worker.check("#id_caregiver_consent")
    worker.check("#id_child_consent")
    worker.fill("#id_reason", "Parenting programme")
    a11y.check(worker, "new referral")
    worker.click(SUBMIT)
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")
    referral = Referral.objects.get(case=case)
    assert referral.plan_action == action

    provider = new_page(locale)
    log_in(provider, "provider_pavlodar")
    a11y.check(provider, "provider home")
    provider.click(f"a[href='/referrals/{referral.pk}/']")
    a11y.check(provider, "referral (provider)")
    provider.click(f"form[action='/referrals/{referral.pk}/accept/'] button")
    provider.wait_for_selector(f"form[action='/referrals/{referral.pk}/outcome/']")
    provider.check("input[name=completed][value=yes]")
    provider.fill("#id_outcome", OUTCOME[locale])
    a11y.check(provider, "referral accepted (provider)")
    provider.click(f"form[action='/referrals/{referral.pk}/outcome/'] button")
    provider.wait_for_selector("text=" + OUTCOME[locale])

    worker.goto(f"{worker.base_url}/cases/{case.pk}/")
    assert OUTCOME[locale] in worker.inner_text(".referral-outcome")
    action.refresh_from_db()
    assert action.status == PlanAction.Status.DONE
    a11y.check(worker, "case page with the provider's report")
    assert not a11y.violations, a11y.violations
