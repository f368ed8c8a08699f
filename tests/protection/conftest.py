"""Records with every encrypted field filled in, through the services."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from personas import make_case, make_child, make_report
from qorgau.cases.models import Assessment, Case, CasePlan, Report, Visit
from qorgau.cases.services.followup import visit_record
from qorgau.children.models import Child, FamilyMember
from qorgau.children.services import family_member_add

IIN = "080615510903"  # a published valid IIN: a boy born 2008-06-15
NARRATIVE = "Synthetic: neighbours hear a child crying at night, Satpaev street 12."


@dataclass
class Filled:
    child: Child
    member: FamilyMember
    report: Report
    case: Case
    assessment: Assessment
    plan: CasePlan
    visit: Visit

    def plaintext(self) -> dict[tuple[type[Model], str], tuple[int, str]]:
        """(model, field) -> (pk, the value as written), for every encrypted field."""
        return {
            (Child, "iin"): (self.child.pk, IIN),
            (Child, "disability_note"): (self.child.pk, "Synthetic: hearing aid, left ear"),
            (FamilyMember, "phone"): (self.member.pk, "+7 701 555 01 23"),
            (Report, "narrative"): (self.report.pk, NARRATIVE),
            (Report, "reporter_name"): (self.report.pk, "Synthetic Reporter Name"),
            (Report, "reporter_contact"): (self.report.pk, "+7 702 555 44 55"),
            (Case, "closure_note"): (self.case.pk, "Attendance regular for two months."),
            (Assessment, "reasoning"): (self.assessment.pk, "Synthetic assessment."),
            (Assessment, "answers"): (self.assessment.pk, '"no"'),
            (CasePlan, "summary"): (self.plan.pk, "Weekly visits and school support."),
            (Visit, "findings"): (self.visit.pk, "Synthetic: the flat was cold, no food."),
        }


@pytest.fixture
def filled(personas) -> Filled:
    return fill(personas)


def fill(personas) -> Filled:
    caseworker_pavlodar = personas.caseworker_pavlodar
    supervisor_pavlodar = personas.supervisor_pavlodar
    child = make_child(
        actor=caseworker_pavlodar,
        first_name="Nurlan",
        birth_date=dt.date(2008, 6, 15),
        sex="M",
        iin=IIN,
        disability=True,
        disability_note="Synthetic: hearing aid, left ear",
    )
    member = family_member_add(
        actor=caseworker_pavlodar,
        child=child,
        relationship="mother",
        full_name="Synthetic Mother",
        phone="+7 701 555 01 23",
    )
    report = make_report(
        actor=personas.operator_111,
        place=personas.pavlodar_city,
        narrative=NARRATIVE,
        reporter_name="Synthetic Reporter Name",
        reporter_contact="+7 702 555 44 55",
    )
    case = make_case(
        worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="closure_requested"
    )
    visit = visit_record(
        actor=caseworker_pavlodar,
        case=case,
        kind="home",
        visited_on=timezone.localdate(),
        findings="Synthetic: the flat was cold, no food.",
    )
    return Filled(
        child=child,
        member=member,
        report=report,
        case=case,
        assessment=case.assessments.get(),
        plan=case.plans.get(),
        visit=visit,
    )


def raw_value(model: type[Model], field: str, pk: int) -> str | None:
    """The stored value itself, past the ORM."""
    q = connection.ops.quote_name
    column = model._meta.get_field(field).column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q(column)} FROM {q(model._meta.db_table)} WHERE {q(model._meta.pk.column)} = %s",  # noqa: S608, E501
            [pk],
        )
        return cursor.fetchone()[0]


def raw_values(model: type[Model], field: str) -> list[str]:
    q = connection.ops.quote_name
    column = model._meta.get_field(field).column  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q(column)} FROM {q(model._meta.db_table)}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]
