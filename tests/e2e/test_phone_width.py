"""The pages a specialist opens in the field, on a phone-width screen, audited by axe."""

import pytest

from e2e.browser import log_in
from personas import make_case


@pytest.mark.parametrize("locale", ["ru"])
def test_work_pages_are_accessible_and_fit_a_phone(
    new_page, a11y, personas, caseworker_pavlodar, supervisor_pavlodar, locale
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    page = new_page(locale)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "supervisor_pavlodar")
    for path in ("/", case.get_absolute_url(), "/statistics/", "/approvals/", "/children/"):
        page.goto(f"{page.base_url}{path}")
        a11y.check(page, f"{path} at 390 px")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is wider than the phone by {overflow}px"
    assert not a11y.violations, a11y.violations
