from personas import make_case, make_child
from qorgau.retention.holds import legal_hold_lift, legal_hold_place
from qorgau.retention.services import retention_plan

from .conftest import later


def test_the_dry_run_lists_exactly_what_is_past_retention(
    old_case, screened_out_report, caseworker_pavlodar, supervisor_pavlodar
):
    open_case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    child = old_case.children.get()
    linked = screened_out_report.children.get().child

    plan = retention_plan(today=later(5))

    assert plan.cases == [old_case.pk]
    assert plan.reports == sorted([old_case.reports.get().pk, screened_out_report.pk])
    assert plan.children == sorted([child.pk, linked.pk])
    assert open_case.pk not in plan.cases


def test_nothing_is_due_before_the_period_ends(old_case, screened_out_report):
    plan = retention_plan(today=later(0))
    assert plan.empty
    # One year on, the screened-out report is due; the closed case is not yet.
    plan = retention_plan(today=later(1))
    assert plan.cases == [] and plan.reports == [screened_out_report.pk]


def test_the_periods_are_configuration(settings, old_case):
    settings.QORGAU_RETENTION_YEARS = 10
    assert retention_plan(today=later(6)).cases == []
    assert retention_plan(today=later(10)).cases == [old_case.pk]


def test_a_held_case_is_kept_with_its_reports_and_children(old_case, supervisor_pavlodar):
    hold = legal_hold_place(actor=supervisor_pavlodar, case=old_case, reason="Court case 2-114")
    plan = retention_plan(today=later(5))
    assert plan.empty

    legal_hold_lift(actor=supervisor_pavlodar, hold=hold)
    assert retention_plan(today=later(5)).cases == [old_case.pk]


def test_a_hold_on_a_child_keeps_the_child_and_their_cases(old_case, supervisor_pavlodar):
    child = old_case.children.get()
    legal_hold_place(actor=supervisor_pavlodar, child=child, reason="Prosecutor's request")
    assert retention_plan(today=later(5)).empty


def test_a_child_with_an_open_case_is_kept_while_the_old_case_goes(
    old_case, caseworker_pavlodar, supervisor_pavlodar
):
    child = old_case.children.get()
    make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, child=child)
    plan = retention_plan(today=later(5))
    assert plan.cases == [old_case.pk]
    assert child.pk not in plan.children


def test_a_child_with_a_report_awaiting_screening_is_kept(old_case, caseworker_pavlodar):
    from personas import make_report
    from qorgau.cases.services.reports import DescribedChild

    child = old_case.children.get()
    make_report(actor=caseworker_pavlodar, children=[DescribedChild(child=child)])
    assert child.pk not in retention_plan(today=later(5)).children


def test_a_child_never_reported_is_not_touched(caseworker_pavlodar, old_case):
    bystander = make_child(actor=caseworker_pavlodar)
    assert bystander.pk not in retention_plan(today=later(5)).children
