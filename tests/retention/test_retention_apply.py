import datetime as dt

from personas import make_case
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import Case, Report, TimelineEntry, Visit
from qorgau.children.models import Child, FamilyMember
from qorgau.monitoring.casedata import overview
from qorgau.retention.holds import legal_hold_place
from qorgau.retention.models import Anonymisation
from qorgau.retention.services import PLACEHOLDER, retention_apply, retention_plan

from .conftest import CHILD_NAME, IIN


def _history_values(model, pk, field):
    return set(model.history.filter(id=pk).values_list(field, flat=True))


def test_apply_removes_personal_data_and_keeps_the_statistics(
    old_case, screened_out_report, after_retention
):
    child = old_case.children.get()
    report = old_case.reports.get()
    kept = Case.objects.values("status", "risk_level", "region", "opened_at", "closed_at")
    case_facts = kept.get(pk=old_case.pk)
    concerns = sorted(report.concern_codes)

    run = retention_apply(today=after_retention)

    assert run.counts["cases"] == 1 and run.counts["children"] == 2 and run.counts["reports"] == 2
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.middle_name) == (PLACEHOLDER, "", "")
    assert child.iin is None and getattr(child, "iin_hash", None) is None
    assert child.address == "" and child.search_key == "" and child.school is None
    # Statistics keep the sex, the year of birth and the place.
    assert child.sex == "F" and child.birth_date == dt.date(2006, 7, 1)
    assert child.birth_date_estimated and child.place.region_code == "55"
    mother = FamilyMember.objects.get(child=child)
    assert mother.full_name == PLACEHOLDER and mother.phone == ""
    assert mother.relationship == "mother" and mother.is_caregiver

    report.refresh_from_db()
    assert report.narrative == PLACEHOLDER and report.reporter_name == ""
    assert sorted(report.concern_codes) == concerns and report.status == "screened_in"
    assert kept.get(pk=old_case.pk) == case_facts
    old_case.refresh_from_db()
    assert old_case.closure_note == ""
    visit = Visit.objects.get(case=old_case)
    assert visit.findings == PLACEHOLDER and visit.participants == ""
    assert old_case.assessments.get().reasoning == PLACEHOLDER
    assert old_case.plans.get().summary == PLACEHOLDER

    screened_out_report.refresh_from_db()
    assert screened_out_report.narrative == PLACEHOLDER
    assert screened_out_report.reporter_contact == "" and screened_out_report.screening_note == ""
    assert screened_out_report.screen_out_reason == "no_concern"


def test_the_field_history_and_the_timeline_lose_the_personal_data_too(
    old_case, screened_out_report, after_retention
):
    child = old_case.children.get()
    retention_apply(today=after_retention)

    assert _history_values(Child, child.pk, "last_name") == {""}
    assert _history_values(Child, child.pk, "iin") == {None}
    visit = Visit.objects.get(case=old_case)
    assert _history_values(Visit, visit.pk, "findings") == {PLACEHOLDER}
    assert _history_values(Report, screened_out_report.pk, "narrative") == {PLACEHOLDER}
    linked = TimelineEntry.objects.get(report=screened_out_report, kind="child_linked")
    assert linked.details["child"] == PLACEHOLDER
    # Nothing anywhere in the timeline still names the child.
    for entry in TimelineEntry.objects.all():
        assert CHILD_NAME not in str(entry.details) and "Zhaksylykova" not in str(entry.details)


def test_apply_leaves_a_trace_of_ids_and_counts_only(old_case, after_retention):
    run = retention_apply(today=after_retention)
    entry = TimelineEntry.objects.get(case=old_case, kind="anonymised")
    assert entry.details == {"run": run.pk}
    marked = set(Anonymisation.objects.filter(run=run).values_list("kind", "record_id"))
    assert ("case", old_case.pk) in marked
    assert ("child", old_case.children.get().pk) in marked
    assert not AccessLogEntry.objects.filter(reason__contains=CHILD_NAME).exists()


def test_the_statistics_overview_is_the_same_before_and_after(
    old_case, screened_out_report, national_analyst, supervisor_pavlodar, after_retention
):
    before = [overview(actor=national_analyst), overview(actor=supervisor_pavlodar)]
    retention_apply(today=after_retention)
    after = [overview(actor=national_analyst), overview(actor=supervisor_pavlodar)]
    assert after == before


def test_applying_twice_changes_nothing_the_second_time(
    old_case, screened_out_report, after_retention
):
    retention_apply(today=after_retention)
    child = old_case.children.get()
    snapshot = (
        list(Child.objects.values()),
        list(Report.objects.values()),
        TimelineEntry.objects.count(),
        Child.history.count(),
        Anonymisation.objects.count(),
    )

    second = retention_apply(today=after_retention)

    assert set(second.counts.values()) == {0}
    assert retention_plan(today=after_retention).empty
    assert snapshot == (
        list(Child.objects.values()),
        list(Report.objects.values()),
        TimelineEntry.objects.count(),
        Child.history.count(),
        Anonymisation.objects.count(),
    )
    assert Child.objects.get(pk=child.pk).first_name == PLACEHOLDER


def test_a_held_case_is_kept_whole(old_case, supervisor_pavlodar, after_retention):
    legal_hold_place(actor=supervisor_pavlodar, case=old_case, reason="Court case 2-114")
    run = retention_apply(today=after_retention)
    assert run.counts["cases"] == 0
    assert old_case.children.get().last_name == CHILD_NAME
    assert Visit.objects.get(case=old_case).findings.startswith("Aigerim")


def test_a_child_with_one_old_closed_case_and_one_open_case_is_not_anonymised(
    old_case, caseworker_pavlodar, supervisor_pavlodar, after_retention
):
    child = old_case.children.get()
    open_case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, child=child)

    run = retention_apply(today=after_retention)

    assert run.counts["cases"] == 1 and run.counts["children"] == 0
    child.refresh_from_db()
    assert child.last_name == CHILD_NAME and child.iin == IIN
    assert Visit.objects.get(case=old_case).findings == PLACEHOLDER
    assert open_case.reports.get().narrative != PLACEHOLDER


def test_small_batches_give_the_same_result(
    old_case, screened_out_report, caseworker_pavlodar, supervisor_pavlodar, after_retention
):
    run = retention_apply(today=after_retention, batch_size=1)
    assert (run.counts["cases"], run.counts["reports"], run.counts["children"]) == (1, 2, 2)
    assert retention_plan(today=after_retention).empty


def test_referrals_screenings_and_safety_plans_lose_their_personal_data(
    old_case, after_retention, caseworker_pavlodar, personas
):
    from django.utils import timezone

    from qorgau.referrals.models import Referral, ReferralSession, ServiceType
    from qorgau.safety.models import SafetyPlan, Screening

    child = old_case.children.get()
    now = timezone.now()
    referral = Referral.objects.create(
        case=old_case,
        child=child,
        provider=personas.family_centre_pavlodar,
        service=ServiceType.objects.get(code="family_support"),
        consent_basis="consent",
        caregiver_consent=True,
        reason="Mother drinks",
        shared_name=CHILD_NAME,
        shared_contact="+7 700 123 4567",
        outcome="Attended all sessions",
        sent_by=caseworker_pavlodar,
        sent_at=now,
        accept_due_at=now,
    )
    ReferralSession.objects.create(
        referral=referral,
        held_on=timezone.localdate(now),
        note="Cried",
        recorded_by=caseworker_pavlodar,
    )
    screening = Screening.objects.create(
        case=old_case,
        child=child,
        performed_by=caseworker_pavlodar,
        performed_at=now,
        answers={"wished_dead": "yes"},
        result="positive",
    )
    plan = SafetyPlan.objects.create(
        case=old_case,
        child=child,
        warning_signs="Stays in her room",
        coping="Music",
        distraction="Aunt",
        people="Aunt Saule",
        professionals="150",
        environment="Pills locked",
        review_on=timezone.localdate(now),
        written_by=caseworker_pavlodar,
        written_at=now,
    )

    run = retention_apply(today=after_retention)

    assert (run.counts["referrals"], run.counts["screenings"], run.counts["safety_plans"]) == (
        1,
        1,
        1,
    )
    referral.refresh_from_db()
    assert referral.reason == PLACEHOLDER
    assert (referral.shared_name, referral.shared_contact, referral.outcome) == ("", "", "")
    assert referral.sessions.get().note == ""
    screening.refresh_from_db()
    assert screening.answers == {} and screening.result == "positive"
    plan.refresh_from_db()
    assert plan.warning_signs == PLACEHOLDER and plan.people == PLACEHOLDER


def test_housing_needs_lose_their_text_and_keep_kind_dates_and_status(
    old_case, after_retention, caseworker_pavlodar
):
    from django.utils import timezone

    from qorgau.referrals.models import HousingNeed

    now = timezone.now()
    need = HousingNeed.objects.create(
        case=old_case,
        child=old_case.children.get(),
        kind="eviction_risk",
        identified_on=timezone.localdate(now),
        note="Sleeps at a neighbour's",
        status="resolved",
        outcome="Flat from the akimat",
        resolved_on=timezone.localdate(now),
        recorded_by=caseworker_pavlodar,
        recorded_at=now,
    )

    run = retention_apply(today=after_retention)

    assert run.counts["housing_needs"] == 1
    need.refresh_from_db()
    assert (need.note, need.outcome) == ("", "")
    assert (need.kind, need.status, need.resolved_on) == (
        "eviction_risk",
        "resolved",
        timezone.localdate(now),
    )
