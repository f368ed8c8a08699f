"""A housing need walked in a real browser, in Kazakh and in Russian.

The caseworker records a child's risk of eviction on the case page (the form opens in
place), refers the child from it to the akimat's housing support (prefilled), the
housing department's staff member accepts and completes the referral, the caseworker
sees the outcome on the case page, and the supervisor's referral indicators count it.
Every page axe-clean.
"""

import pytest

from e2e.browser import log_in
from personas import make_case, make_housing_department
from qorgau.referrals.models import HousingNeed, Referral

SUBMIT = "main form.stack button[type=submit]"
NOTE = {"kk": "Пәтер иесі үйден шығуды талап етеді.", "ru": "Хозяин требует освободить квартиру."}
OUTCOME = {
    "kk": "Отбасына әлеуметтік пәтер берілді.",
    "ru": "Семье предоставлена арендная квартира.",
}


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_housing_need_is_referred_answered_shown_and_counted(
    new_page, a11y, personas, settings, locale
):
    settings.QORGAU_SUPPRESS_BELOW = 1  # one referral: show it rather than hide it
    _department, staff = make_housing_department(personas)
    case = make_case(
        worker=personas.caseworker_pavlodar,
        supervisor=personas.supervisor_pavlodar,
        status="active",
    )
    worker = new_page(locale)
    log_in(worker, "caseworker_pavlodar")
    worker.goto(f"{worker.base_url}/cases/{case.pk}/")
    # The form opens in place (HTMX) and the need is recorded from it.
    worker.click(f"a[href='/cases/{case.pk}/housing/new/']")
    worker.wait_for_selector("#housing-need-form")
    worker.check("input[name=kind][value=eviction_risk]")
    worker.fill("#housing_note", NOTE[locale])
    a11y.check(worker, "case page with the housing need form")
    worker.click("#housing-need-form button[type=submit]")
    worker.wait_for_selector(".housing-needs")
    assert NOTE[locale] in worker.inner_text(".housing-needs")
    need = HousingNeed.objects.get(case=case)

    worker.click(f"a[href='/cases/{case.pk}/referrals/new/?housing={need.pk}']")
    worker.check("input[name=provider]")
    worker.check("#id_caregiver_consent")
    worker.check("#id_child_consent")
    a11y.check(worker, "housing referral, prefilled")
    worker.click(SUBMIT)
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")
    referral = Referral.objects.get(case=case)
    assert (referral.service.code, referral.housing_need) == ("housing_support", need)

    provider = new_page(locale)
    log_in(provider, staff.username)
    provider.click(f"a[href='/referrals/{referral.pk}/']")
    a11y.check(provider, "housing referral (provider)")
    provider.click(f"form[action='/referrals/{referral.pk}/accept/'] button")
    provider.wait_for_selector(f"form[action='/referrals/{referral.pk}/outcome/']")
    provider.check("input[name=completed][value=yes]")
    provider.fill("#id_outcome", OUTCOME[locale])
    provider.click(f"form[action='/referrals/{referral.pk}/outcome/'] button")
    provider.wait_for_selector("text=" + OUTCOME[locale])

    worker.goto(f"{worker.base_url}/cases/{case.pk}/")
    assert OUTCOME[locale] in worker.inner_text(".referral-outcome")
    assert referral.reference in worker.inner_text(".housing-needs")
    a11y.check(worker, "case page with the housing referral's outcome")

    supervisor = new_page(locale)
    log_in(supervisor, "supervisor_pavlodar")
    supervisor.goto(f"{supervisor.base_url}/referrals/indicators/")
    housing_row = supervisor.locator("#referrals-by-service tbody tr").filter(
        has_text=referral.service.name_kk if locale == "kk" else referral.service.name_ru
    )
    cells = housing_row.locator("td").all_inner_texts()
    assert cells[0] == "1"  # sent
    assert cells[1].startswith("100")  # accepted
    assert cells[2].startswith("100")  # completed
    assert supervisor.locator("#housing-needs tfoot td").last.inner_text() == "1"  # still open
    a11y.check(supervisor, "referral indicators")
    assert not a11y.violations, a11y.violations
