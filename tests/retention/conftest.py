"""Records for the retention tests: an old closed case full of personal data, and dates.

Services take `today` explicitly, so "six years later" needs no clock tricks.
"""

import datetime as dt

import pytest
from django.utils import timezone

from personas import make_case, make_child, make_report, version_of
from qorgau.cases.services.closure import case_closure_decide, case_closure_request
from qorgau.cases.services.followup import visit_record
from qorgau.cases.services.reports import report_link_child, report_screen_out
from qorgau.children.services import family_member_add

IIN = "061211600012"  # valid; a girl born 11 December 2006
CHILD_NAME = "Sarsenbayeva"


def later(years: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=round(365.25 * years) + 1)


@pytest.fixture
def after_retention():
    """A day more than five years (the default period) from now."""
    return later(5)


@pytest.fixture
def old_case(caseworker_pavlodar, supervisor_pavlodar):
    """A closed case about a child with an IIN, an address, a family and a visit."""
    child = make_child(
        actor=caseworker_pavlodar,
        last_name=CHILD_NAME,
        first_name="Aigerim",
        middle_name="Nurlanovna",
        birth_date=dt.date(2006, 12, 11),
        sex="F",
        address="Lenin street 12, flat 3",
    )
    # Assigned through the ORM: works whether the IIN column is plain or encrypted.
    child.iin = IIN
    child.save()
    family_member_add(
        actor=caseworker_pavlodar,
        child=child,
        relationship="mother",
        full_name="Sarsenbayeva Gulmira",
        phone="+7 701 000 00 00",
        is_caregiver=True,
    )
    case = make_case(
        worker=caseworker_pavlodar,
        supervisor=supervisor_pavlodar,
        status="active",
        child=child,
    )
    visit_record(
        actor=caseworker_pavlodar,
        case=case,
        kind="home",
        visited_on=timezone.localdate(),
        findings="Aigerim was at home with her mother; the flat was cold.",
        participants="Gulmira Sarsenbayeva",
    )
    case_closure_request(
        actor=caseworker_pavlodar,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Aigerim attends school again; the mother works.",
    )
    case_closure_decide(
        actor=supervisor_pavlodar, case=case, version=version_of(case), approve=True
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def screened_out_report(caseworker_pavlodar):
    """A report screened out without a case, its child linked (the name in the timeline)."""
    report = make_report(
        actor=caseworker_pavlodar,
        reporter_name="Neighbour Bolat",
        reporter_contact="+7 702 111 22 33",
        narrative="Crying heard at night from flat 5.",
    )
    child = make_child(actor=caseworker_pavlodar, last_name="Zhaksylykova")
    report_link_child(
        actor=caseworker_pavlodar, report=report, link=report.children.get(), child=child
    )
    return report_screen_out(
        actor=caseworker_pavlodar, report=report, reason="no_concern", note="Family known, fine."
    )
