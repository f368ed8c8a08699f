"""The closure deadlock of issue 13, walked in a real browser, in Kazakh and Russian.

An Astana case moves to a district office of Pavlodar that has one supervisor. The
supervisor reads why it was sent, cannot accept it without naming its worker, and
names themselves; they hand the plan's open action to an organisation of Pavlodar,
ask to close the case, take the request back, and ask again. Four eyes bar them from
deciding their own request and the office has no other supervisor, so the decision
goes up to the regional department, whose supervisor closes the case. Every page on
the way is checked with axe-core against WCAG 2.1 AA.
"""

import pytest

from e2e.browser import log_in
from personas import make_case, make_organisation, make_user, version_of
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case, Transfer
from qorgau.cases.services.transfers import case_transfer_request
from qorgau.cases.workflow import open_plan_actions

SUBMIT = "main form.stack button[type=submit]"
WITHDRAWN = {"kk": "Істі жабу сұрауы кері қайтарылды", "ru": "Запрос на закрытие отозван"}
REASON = "Семья переехала в Павлодар, девочка учится в школе № 7."


@pytest.fixture
def office(personas):
    """A district office under the Pavlodar department, with its only supervisor."""
    office = make_organisation(
        name="Павлодар қаласының балалар құқықтарын қорғау бөлімі",
        kind=Organisation.Kind.CHILD_RIGHTS_OFFICE,
        place=personas.pavlodar_city,
    )
    office.parent = personas.dept_pavlodar
    office.save(update_fields=["parent"])
    make_user(
        "supervisor_office",
        role=Role.SUPERVISOR,
        organisation=office,
        first_name="Ainur",
        last_name="Karimova",
    )
    return office


@pytest.fixture
def sent(personas, office):
    """An active Astana case whose worker asked to send it to the office."""
    p = personas
    case = make_case(worker=p.caseworker_astana, supervisor=p.supervisor_astana, status="active")
    case_transfer_request(
        actor=p.caseworker_astana,
        case=case,
        version=version_of(case),
        to_organisation=office,
        reason=REASON,
    )
    return case


def accept_naming_the_worker(page, a11y, case: Case) -> None:
    page.goto(f"{page.base_url}/")
    a11y.check(page, "my work (receiving office)")
    incoming = page.locator("table.transfers tr", has_text=case.reference)
    assert REASON in incoming.inner_text()
    incoming.locator(f"a[href='/cases/{case.pk}/transfer-decision/']").click()
    a11y.check(page, "transfer decision")
    assert REASON in page.inner_text("main")
    page.check("input[name=decision][value=accept]")
    page.click(SUBMIT)  # without a worker
    page.wait_for_selector(".error-summary")
    a11y.check(page, "transfer decision (no worker)")
    assert page.locator(".field.has-error #id_worker").count() == 1
    page.select_option("#id_worker", label="Ainur Karimova")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


def hand_the_open_action_on(page, a11y, case: Case, to: Organisation) -> None:
    a11y.check(page, "case page (accepted, actions elsewhere)")
    page.click(f"main .notice a[href='/cases/{case.pk}/reassign-actions/']")
    a11y.check(page, "hand plan actions on")
    [action] = open_plan_actions(case)
    page.select_option(f"#id_responsible_{action.pk}", str(to.pk))
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


def request_closure(page, a11y, case: Case) -> None:
    page.click(f"a[href='/cases/{case.pk}/close/']")
    a11y.check(page, "closure request")
    page.select_option("#id_reason", "goals_met")
    page.select_option("#id_outcome", "improved")
    page.fill("#id_note", "Бала мектепке тұрақты барады, жаңа оқиғалар жоқ.")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


def withdraw_closure(page, a11y, case: Case) -> None:
    page.click(f"a[href='/cases/{case.pk}/closure-withdraw/']")
    a11y.check(page, "closure withdrawal")
    page.fill("#id_note", "Поступило новое сообщение о ребёнке.")
    page.click(SUBMIT)
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/")


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_transferred_case_is_closed_by_the_regional_department(
    new_page, a11y, personas, office, sent, locale
):
    boss = new_page(locale)
    log_in(boss, "supervisor_office")
    accept_naming_the_worker(boss, a11y, sent)
    sent.refresh_from_db()
    assert sent.worker.username == "supervisor_office"
    assert sent.transfers.get().status == Transfer.Status.ACCEPTED

    hand_the_open_action_on(boss, a11y, sent, to=personas.dept_pavlodar)
    assert [a.responsible for a in sent.plans.get().actions.all()] == [personas.dept_pavlodar]

    request_closure(boss, a11y, sent)
    # Four eyes: no decision on one's own request is offered.
    assert boss.locator(f"a[href='/cases/{sent.pk}/closure-decision/']").count() == 0
    withdraw_closure(boss, a11y, sent)
    sent.refresh_from_db()
    assert sent.status == Case.Status.ACTIVE
    request_closure(boss, a11y, sent)

    department = new_page(locale)
    log_in(department, "supervisor_pavlodar")
    department.goto(f"{department.base_url}/approvals/")
    a11y.check(department, "approvals (referred up)")
    row = department.locator("tr", has_text=sent.reference)
    assert office.name in row.locator(".tag").inner_text()
    row.locator(f"a[href='/cases/{sent.pk}/closure-decision/']").click()
    a11y.check(department, "closure decision (department)")
    department.check("input[name=decision][value=approve]")
    department.click(SUBMIT)
    department.wait_for_url(f"{department.base_url}/cases/{sent.pk}/")

    sent.refresh_from_db()
    assert sent.status == Case.Status.CLOSED
    kinds = list(sent.timeline.order_by("pk").values_list("kind", "actor__username"))
    assert kinds[-5:] == [
        ("action_reassigned", "supervisor_office"),
        ("closure_requested", "supervisor_office"),
        ("closure_withdrawn", "supervisor_office"),
        ("closure_requested", "supervisor_office"),
        ("closure_approved", "supervisor_pavlodar"),
    ]
    assert department.get_attribute("html", "lang") == locale
    assert WITHDRAWN[locale] in department.inner_text("main .timeline")
    a11y.check(department, "case page (closed by the department)")
    assert a11y.pages >= 11
    assert not a11y.violations, a11y.violations
