"""The synthetic demo dataset: deterministic, complete, consistent, built once."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone, translation

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Role
from qorgau.cases.choices import POLICE_NOTIFIABLE, SENSITIVE
from qorgau.cases.models import (
    Assessment,
    AssessmentQuestion,
    Case,
    CasePlan,
    PoliceNotification,
    Report,
    TimelineEntry,
    Transfer,
)
from qorgau.cases.timeline import KINDS
from qorgau.children.iin import parse_iin
from qorgau.children.models import Child
from qorgau.children.services import search_key
from qorgau.demo.builder import build_demo, delete_demo
from qorgau.demo.credentials import DEMO_PASSWORD
from qorgau.referrals.models import Referral

SMALL = 60


def named_children():
    """The children the builder makes; a few more are recorded without a name at
    screening ("unknown, about 7 years, girl", demo/casework.py)."""
    return Child.objects.exclude(first_name="")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def demo(db, today):
    return build_demo(children=SMALL, seed=11, today=today)


def _snapshot() -> dict[str, list]:
    return {
        "children": list(
            Child.objects.order_by("pk").values_list(
                "iin", "last_name", "first_name", "middle_name", "birth_date", "sex", "place__kato"
            )
        ),
        "reports": list(
            Report.objects.order_by("pk").values_list(
                "received_at", "status", "narrative", "reporter_type"
            )
        ),
        "cases": list(Case.objects.order_by("pk").values_list("status", "opened_at", "version")),
        "timeline": TimelineEntry.objects.count(),
    }


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_data_and_another_seed_does_not(today):
    build_demo(children=SMALL, seed=5, today=today)
    first = _snapshot()
    delete_demo()
    assert Child.objects.count() == 0
    build_demo(children=SMALL, seed=5, today=today)
    assert _snapshot() == first
    delete_demo()
    build_demo(children=SMALL, seed=6, today=today)
    other = _snapshot()
    assert [c[0] for c in other["children"]] != [c[0] for c in first["children"]]


def test_it_builds_the_children_and_reports_asked_for(demo):
    assert named_children().count() == SMALL
    assert Report.objects.count() >= SMALL * 1.5  # plus the fixed scenarios per region


def test_every_regional_role_has_a_user_in_pavlodar_astana_and_almaty(demo):
    roles = [Role.CASEWORKER, Role.SUPERVISOR, Role.SCHOOL_REPORTER, Role.REGIONAL_ANALYST]
    missing = [
        (role, region)
        for role in roles
        for region in ("55", "71", "75")
        if not User.objects.filter(role=role, organisation__place__kato__startswith=region)
    ]
    assert missing == []


def test_national_roles_and_the_administrator_exist_and_log_in(demo):
    for username, role in [
        ("operator111", Role.OPERATOR_111),
        ("analyst.national", Role.NATIONAL_ANALYST),
        ("auditor", Role.AUDITOR),
        ("admin", Role.ADMINISTRATOR),
    ]:
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="operator111").organisation.kind == "contact_centre_111"
    assert User.objects.get(username="school.almaty").organisation.kind == "school"


def test_caseworkers_have_their_regions_supervisor(demo):
    worker = User.objects.get(username="caseworker.pavlodar")
    assert worker.supervisor == User.objects.get(username="supervisor.pavlodar")
    assert not User.objects.filter(role=Role.CASEWORKER, supervisor=None).exists()


def test_there_is_an_organisation_of_every_kind(demo):
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == set(Organisation.Kind.values)


def test_every_iin_is_valid_and_agrees_with_birth_date_and_sex(demo):
    children = list(Child.objects.all())
    with_iin = [c for c in children if c.iin]
    assert 0 < len(with_iin) < len(children)  # some children have no known IIN
    for child in with_iin:
        facts = parse_iin(child.iin)
        assert (facts.birth_date, facts.sex) == (child.birth_date, child.sex), child.iin


def test_children_are_plausible(demo, today):
    for child in named_children().select_related("place"):
        assert child.search_key == search_key(
            child.last_name, child.first_name, child.middle_name, child.other_spelling
        )
        assert 0 <= (today - child.birth_date).days < 18 * 366
        assert child.place.parent_id is not None  # a district, not just the region
        assert child.family.exists()


def test_every_case_status_is_present(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Case.Status.values)


def test_every_referral_status_is_present(demo):
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Referral.Status.values)


def test_housing_and_family_programme_referrals_in_every_status(demo):
    from qorgau.referrals.models import HousingNeed

    for service in ("housing_support", "parenting_programme", "mediation"):
        rows = Referral.objects.filter(service__code=service)
        assert set(rows.values_list("status", flat=True)) == set(Referral.Status.values), service
    housing = Referral.objects.filter(service__code="housing_support")
    assert not housing.filter(housing_need__isnull=True).exists()
    assert set(housing.values_list("provider__kind", flat=True)) == {"housing_dept"}
    assert set(HousingNeed.objects.values_list("status", flat=True)) == {"open", "resolved"}
    assert set(HousingNeed.objects.values_list("kind", flat=True)) == set(HousingNeed.Kind.values)
    # Providers took their time to accept: the demo's hours to acceptance have a spread.
    accepted = Referral.objects.filter(answered_at__isnull=False).exclude(status="declined")
    assert len({r.answered_at - r.sent_at for r in accepted}) > 3


def test_restriction_and_police_notices_follow_the_concerns(demo):
    for case in Case.objects.prefetch_related("reports__concerns", "police_notifications"):
        concerns = {c.concern for r in case.reports.all() for c in r.concerns.all()}
        assert case.restricted == bool(concerns & SENSITIVE), case.pk
        notified = {code for n in case.police_notifications.all() for code in n.concerns.split(",")}
        assert notified == {str(c) for c in concerns & POLICE_NOTIFIABLE}, case.pk


def test_case_histories_are_consistent(demo):
    now = timezone.now()
    assert not TimelineEntry.objects.filter(at__gt=now).exists()
    assert set(TimelineEntry.objects.values_list("kind", flat=True)) <= set(KINDS)
    questions = set(AssessmentQuestion.objects.filter(active=True).values_list("code", flat=True))
    for assessment in Assessment.objects.all():
        assert set(assessment.answers) == questions
    for case in Case.objects.prefetch_related("timeline", "reports"):
        kinds = [e.kind for e in case.timeline.all()]
        assert kinds[0] == "case_opened"
        assert min(r.received_at for r in case.reports.all()) <= case.opened_at
        if case.status == Case.Status.CLOSED:
            assert case.closed_at is not None and kinds[-1] == "closure_approved"
            assert not case.police_notifications.filter(sent_at=None).exists()
        if case.status != Case.Status.ASSESSMENT:
            assert case.assessments.exists() and case.risk_level
    assert not Case.objects.annotate(n=Count("children")).filter(n=0).exists()


def test_overdue_work_exists_for_the_pavlodar_caseworker(demo):
    now = timezone.now()
    worker = User.objects.get(username="caseworker.pavlodar")
    mine = Case.objects.filter(worker=worker)
    overdue_screening = Report.objects.filter(
        place__kato__startswith="55", status=Report.Status.NEW, screening_due_at__lt=now
    )
    assert overdue_screening.exists()
    assert mine.filter(status=Case.Status.ASSESSMENT, assessment_due_at__lt=now).exists()
    assert mine.filter(status=Case.Status.PLANNING, plan_due_at__lt=now).exists()
    assert PoliceNotification.objects.filter(case__in=mine, sent_at=None, due_at__lt=now).exists()
    assert Transfer.objects.filter(
        status=Transfer.Status.PENDING, requested_by=worker, due_at__lt=now
    ).exists()
    assert set(mine.values_list("status", flat=True)) >= {
        Case.Status.ASSESSMENT,
        Case.Status.PLANNING,
        Case.Status.PLAN_SUBMITTED,
        Case.Status.ACTIVE,
        Case.Status.CLOSURE_REQUESTED,
    }


def test_the_pavlodar_supervisor_has_plans_and_closures_by_others_to_approve(demo):
    supervisor = User.objects.get(username="supervisor.pavlodar")
    plans = CasePlan.objects.filter(
        status=CasePlan.Status.SUBMITTED, case__organisation=supervisor.organisation
    )
    assert plans.exists()
    assert not plans.filter(submitted_by=supervisor).exists()
    closures = Case.objects.filter(
        status=Case.Status.CLOSURE_REQUESTED, organisation=supervisor.organisation
    )
    assert closures.exists()
    assert not closures.filter(closure_requested_by=supervisor).exists()


@pytest.mark.django_db
def test_running_demo_twice_does_not_duplicate_anything():
    out = StringIO()
    call_command("demo", children=30, stdout=out)
    counts = (Child.objects.count(), Report.objects.count(), Case.objects.count())
    assert "caseworker.pavlodar" in out.getvalue()
    out = StringIO()
    call_command("demo", children=30, stdout=out)
    assert "already here" in out.getvalue()
    assert "caseworker.pavlodar" in out.getvalue()  # the logins again
    assert (Child.objects.count(), Report.objects.count(), Case.objects.count()) == counts
    assert User.objects.filter(username="caseworker.pavlodar").count() == 1


@pytest.mark.django_db
def test_seed_refuses_to_build_over_a_demo_and_rebuilds_with_reset():
    call_command("seed", children=20, seed=3, stdout=StringIO())
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed", children=20, seed=3, stdout=StringIO())
    call_command("seed", children=25, seed=3, reset=True, stdout=StringIO())
    assert named_children().count() == 25


def test_every_timeline_entry_of_the_demo_reads_as_a_sentence(demo):
    from qorgau.cases.models import TimelineEntry
    from qorgau.cases.timeline import describe

    raw = {e.kind for e in TimelineEntry.objects.all() if describe(e) == e.kind}
    assert not raw, f"entries shown as their code: {sorted(raw)}"


@pytest.mark.django_db
def test_a_dataset_built_in_chunks_is_the_same_for_the_same_seed(today):
    build_demo(children=SMALL, seed=5, today=today, chunk=25)  # three transactions
    first = _snapshot()
    assert len([c for c in first["children"] if c[2]]) == SMALL  # named ones
    delete_demo()
    build_demo(children=SMALL, seed=5, today=today, chunk=25)
    assert _snapshot() == first
    iins = [c[0] for c in first["children"] if c[0]]
    assert len(iins) == len(set(iins))


@pytest.mark.django_db
def test_staff_grow_with_the_children_and_carry_a_caseload_near_the_target(today):
    from qorgau.demo.builder import SUPERVISOR_SPAN

    build_demo(children=600, seed=3, today=today, chunk=250, cases_per_worker=3)
    workers = User.objects.filter(role=Role.CASEWORKER).select_related("organisation__place")
    per_region = Counter(w.organisation.place.region_code for w in workers)
    children = Counter(k[:2] for k in Child.objects.values_list("place__kato", flat=True))
    big, small = max(per_region, key=children.__getitem__), min(per_region, key=per_region.get)
    assert per_region[big] > per_region[small] >= 2  # the personas' two at least
    open_cases = Counter(
        Case.objects.exclude(status=Case.Status.CLOSED).values_list("worker_id", flat=True)
    )
    staffed = [w for w in workers if per_region[w.organisation.place.region_code] > 2]
    load = sum(open_cases[w.pk] for w in staffed) / len(staffed)
    assert 1.5 <= load <= 6, load  # about the target of 3 open cases each
    for case in Case.objects.select_related("worker__organisation", "region"):
        assert case.worker.organisation.place.region_code == case.region.region_code
    leads = Counter(w.supervisor_id for w in workers)
    assert max(leads.values()) <= SUPERVISOR_SPAN
    assert all(w.supervisor.organisation_id == w.organisation_id for w in workers)


def _keys_and_indexes() -> list[tuple[str, str]]:
    from django.db import connection

    from qorgau.demo.builder import BULK

    tables = [m._meta.db_table for m in BULK]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s) "
            "UNION ALL SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
            "FROM pg_index WHERE indrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [tables, tables],
        )
        return cursor.fetchall()


@pytest.mark.django_db
def test_a_chunked_build_leaves_every_key_and_index_as_it_was_and_keeps_to_them(today):
    from django.db import IntegrityError, connection

    if connection.vendor != "postgresql":
        pytest.skip("keys and indexes are set aside on PostgreSQL only")
    before = _keys_and_indexes()
    assert any("gin_trgm_ops" in definition for _, definition in before)
    build_demo(children=SMALL, seed=5, today=today, chunk=25)  # three chunks: bulk load
    assert _keys_and_indexes() == before
    with pytest.raises(IntegrityError):  # the foreign keys are checked again
        TimelineEntry.objects.create(case_id=10**9, at=timezone.now(), actor_id=1, kind="x")


def test_the_demo_shows_overrides_a_delegation_unknown_children_and_contact_notes(demo):
    from qorgau.accounts.models import ApprovalDelegation
    from qorgau.cases.models import ContactNote
    from qorgau.cases.selectors import approvals_waiting, risk_overrides
    from qorgau.cases.workflow import may_approve

    supervisor = User.objects.get(username="supervisor.pavlodar")
    waiting = risk_overrides(actor=supervisor).filter(signoff=Assessment.SignOff.PENDING)
    assert waiting.count() == 2
    assert sum(case.signoff_waiting for case in approvals_waiting(actor=supervisor)) == 2
    deputy = User.objects.get(username="caseworker2.pavlodar")
    assert ApprovalDelegation.objects.live().filter(delegator=supervisor, deputy=deputy).exists()
    assert may_approve(deputy)
    unknown = Child.objects.filter(first_name="", created_by=supervisor).order_by("pk")
    with translation.override("en"):
        assert [child.full_name for child in unknown] == [
            "Unknown, about 7 years, girl",
            "Unknown, about 10 years, boy",
        ]
    assert all(child.report_links.filter(report__status=Report.Status.NEW) for child in unknown)
    assert ContactNote.objects.filter(recorded_by__username="caseworker.pavlodar").count() == 3
