"""Screening has one rule table (cases/screening.py): the page offers what it allows,
the services accept exactly that, and a crafted request the table forbids is refused."""

import pytest
from django.db import transaction
from django.urls import reverse

from personas import make_child, make_report
from qorgau.cases.models import Case, Report
from qorgau.cases.screening import RULES, Step, allowed_steps, refusal
from qorgau.cases.services.reports import (
    DescribedChild,
    report_link_child,
    report_screen_in,
    report_screen_out,
)
from qorgau.cases.workflow import TransitionError


class _Undo(Exception):
    """Raised to roll back a service call that was only a probe."""


def _service_accepts(step: Step, user, report: Report) -> bool:
    """Whether the service takes the step, with valid input; nothing is kept."""
    try:
        with transaction.atomic():
            if step == Step.LINK_CHILD:
                link = report.children.filter(child=None).first() or report.children.first()
                report_link_child(
                    actor=user, report=report, link=link, child=make_child(actor=user)
                )
            elif step == Step.SCREEN_IN:
                report_screen_in(actor=user, report=report, worker=user)
            else:
                report_screen_out(
                    actor=user, report=report, reason="duplicate", note="Checked with the school."
                )
            raise _Undo
    except _Undo:
        return True
    except TransitionError:
        return False


def _page_offers(client, report: Report) -> set[Step]:
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    context = page.context
    offered = set()
    if context.get("can_link"):
        offered.add(Step.LINK_CHILD)
    if context.get("screen_in_form"):
        offered.add(Step.SCREEN_IN)
    if context.get("screen_out_form"):
        offered.add(Step.SCREEN_OUT)
    html = page.content.decode()
    assert ('name="decision" value="in"' in html) == (Step.SCREEN_IN in offered)
    assert ('name="decision" value="out"' in html) == (Step.SCREEN_OUT in offered)
    assert ("?report=" in html) == (Step.LINK_CHILD in offered)
    return offered


def _reports(personas) -> dict[str, Report]:
    """A report in each situation screening meets."""
    screener = personas.supervisor_pavlodar
    linked = make_report(
        actor=personas.school_reporter,
        children=[DescribedChild(child=make_child(actor=screener))],
    )
    in_ = make_report(
        actor=personas.school_reporter,
        children=[DescribedChild(child=make_child(actor=screener))],
    )
    report_screen_in(actor=screener, report=in_, worker=personas.caseworker_pavlodar)
    out = make_report(actor=personas.school_reporter)
    report_screen_out(
        actor=screener, report=out, reason="no_concern", note="Checked with the school."
    )
    return {
        "new, a child not yet identified": make_report(actor=personas.school_reporter),
        "new, every child identified": linked,
        "screened in": Report.objects.get(pk=in_.pk),
        "screened out": Report.objects.get(pk=out.pk),
    }


@pytest.mark.parametrize("who", ["caseworker_pavlodar", "supervisor_pavlodar"])
def test_the_report_page_offers_exactly_the_steps_the_services_accept(client, personas, who):
    user = personas[who]
    client.force_login(user)
    for situation, report in _reports(personas).items():
        accepted = {step for step in Step if _service_accepts(step, user, report)}
        assert _page_offers(client, report) == accepted, situation
        assert allowed_steps(user, report) == accepted, situation


def test_the_table_allows_a_new_reports_steps_and_nothing_once_screened(personas):
    user = personas.caseworker_pavlodar
    reports = _reports(personas)
    assert allowed_steps(user, reports["new, a child not yet identified"]) == {
        Step.LINK_CHILD,
        Step.SCREEN_OUT,
    }
    assert allowed_steps(user, reports["new, every child identified"]) == {
        Step.SCREEN_IN,
        Step.SCREEN_OUT,
    }
    assert allowed_steps(user, reports["screened in"]) == set()
    assert allowed_steps(user, reports["screened out"]) == set()
    for name in ("school_reporter", "operator_111", "regional_analyst_pavlodar"):
        assert allowed_steps(personas[name], reports["new, every child identified"]) == set()


def test_each_rule_of_the_table_refuses_with_its_own_code(personas):
    report = make_report(actor=personas.school_reporter)
    codes = {
        refusal(personas.school_reporter, report, Step.SCREEN_OUT).code,
        refusal(personas.caseworker_pavlodar, report, Step.SCREEN_IN).code,
    }
    report_screen_out(
        actor=personas.caseworker_pavlodar,
        report=report,
        reason="duplicate",
        note="Checked with the school.",
    )
    report.refresh_from_db()
    codes.add(refusal(personas.caseworker_pavlodar, report, Step.SCREEN_OUT).code)
    identified = make_report(
        actor=personas.school_reporter,
        children=[DescribedChild(child=make_child(actor=personas.supervisor_pavlodar))],
    )
    codes.add(refusal(personas.caseworker_pavlodar, identified, Step.LINK_CHILD).code)
    staff_without_office = personas.caseworker_pavlodar
    staff_without_office.organisation = None
    codes.add(refusal(staff_without_office, identified, Step.SCREEN_IN).code)
    assert codes == {rule.code for rule in RULES}


def test_a_crafted_screen_in_with_a_child_not_identified_is_refused(
    client, personas, caseworker_pavlodar
):
    report = make_report(actor=personas.school_reporter)
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("report-screen", args=[report.pk]),
        {"decision": "in", "in-worker": caseworker_pavlodar.pk, "in-note": "Crafted"},
    )
    assert response.status_code == 400
    assert "Find or register every child" in response.content.decode()
    assert "screen_in_form" not in response.context, "still not offered"
    report.refresh_from_db()
    assert report.status == Report.Status.NEW and not Case.objects.exists()


def test_a_crafted_screen_out_of_a_screened_in_report_is_refused(
    client, personas, caseworker_pavlodar
):
    report = _reports(personas)["screened in"]
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("report-screen", args=[report.pk]), {"decision": "out", "out-reason": "duplicate"}
    )
    assert response.status_code == 400
    assert "already been screened" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.screen_out_reason) == (Report.Status.SCREENED_IN, "")


def test_a_crafted_link_on_a_screened_report_is_refused(client, personas, caseworker_pavlodar):
    report = _reports(personas)["screened out"]
    link = report.children.get()
    child = make_child(actor=caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("report-link", args=[report.pk]), {"link": link.pk, "child": child.pk}
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already been screened" in m for m in messages)
    link.refresh_from_db()
    assert link.child_id is None


def test_an_identified_child_of_a_report_is_not_replaced_by_another(personas):
    first = make_child(actor=personas.caseworker_pavlodar)
    report = make_report(
        actor=personas.school_reporter,
        children=[DescribedChild(child=first), DescribedChild(description="Brother, about 6")],
    )
    identified = report.children.get(child=first)
    with pytest.raises(TransitionError) as exc:
        report_link_child(
            actor=personas.caseworker_pavlodar,
            report=report,
            link=identified,
            child=make_child(actor=personas.caseworker_pavlodar),
        )
    assert exc.value.code == "identified"
    identified.refresh_from_db()
    assert identified.child == first
