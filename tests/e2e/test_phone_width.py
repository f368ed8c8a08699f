"""The pages a specialist opens, at phone and desktop width, audited by axe: nothing
wider than the screen, nothing spilling out of its column."""

import pytest

from e2e.browser import log_in
from personas import make_case

SPILL = """() => [...document.querySelectorAll('.columns > *')]
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => el.tagName + ' ' + (el.querySelector('h2') || {}).textContent)"""


@pytest.mark.parametrize("width", [390, 1280])
def test_work_pages_are_accessible_and_fit_the_screen(
    new_page, a11y, personas, caseworker_pavlodar, supervisor_pavlodar, width
):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    page = new_page("ru")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "supervisor_pavlodar")
    for path in (
        "/", case.get_absolute_url(), "/statistics/", "/approvals/", "/children/",
        "/referrals/indicators/",
    ):  # fmt: skip
        page.goto(f"{page.base_url}{path}")
        a11y.check(page, f"{path} at {width} px")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is wider than the screen by {overflow}px"
        assert not page.evaluate(SPILL), f"{path}: content spills out of its column"
    assert not a11y.violations, a11y.violations
