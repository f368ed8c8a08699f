"""Named people, organisations and records for tests: synthetic, never real people.

Everything here is a plain function; `tests/conftest.py` turns it into fixtures.
Names are stable: view and browser tests are written against them.

Places (loaded by the places data migration, plus one district made here)
    pavlodar        Pavlodar Region, KATO 550000000 (region 55)
    pavlodar_city   a district-level place inside region 55 (KATO 551010000)
    astana          Astana, KATO 710000000 (region 71)

Organisations
    dept_pavlodar   child rights department, Pavlodar Region
    dept_astana     child rights department, Astana
    school_pavlodar a school in Pavlodar city
    police_pavlodar juvenile police inspectors, Pavlodar city
    centre_111      the 111 contact centre (Astana)
    ministry        Committee for the Protection of Children's Rights (Astana)
    family_centre_pavlodar  a family support centre in Pavlodar city, in the service
                    directory (family support, parenting programme; covers region 55),
                    kept by dept_pavlodar

Users (all active; password PERSONA_PASSWORD; username = the persona name)
    caseworker_pavlodar, caseworker2_pavlodar   caseworkers at dept_pavlodar,
                                                both supervised by supervisor_pavlodar
    supervisor_pavlodar                         supervisor at dept_pavlodar
    caseworker_astana                           caseworker at dept_astana,
                                                supervised by supervisor_astana
    supervisor_astana                           supervisor at dept_astana
    operator_111                                111 operator at centre_111
    school_reporter                             reporter at school_pavlodar
    regional_analyst_pavlodar                   analyst at dept_pavlodar
    national_analyst, auditor                   at ministry
    coordinator_ministry                        programme coordinator at ministry (national)
    coordinator_pavlodar                        programme coordinator at dept_pavlodar (region 55)
    administrator                               no organisation; staff and superuser
    provider_pavlodar                           service provider staff at
                                                family_centre_pavlodar

Records, made through the services so they are valid the way production data is:
    make_child(*, actor, place=None, **fields) -> Child
    make_report(*, actor, place=None, concerns=("neglect",), urgency="routine",
                children=None, **fields) -> Report
    make_screened_in_case(*, screener, worker=None, report=None, child=None,
                          concerns=("neglect",), place=None) -> Case
    make_case(*, worker, supervisor, status="assessment", concerns=("neglect",),
              child=None, place=None) -> Case   # walks the workflow to `status`
    version_of(case) -> int   # the stored version, for a service's mandatory `version`
    Steps it uses, also usable alone: assess(case, *, actor, risk_level="medium"),
    submit_plan(case, *, actor), send_police_notifications(case, *, actor, police),
    all_no_answers() -> {question code: "no"}.
    make_referral(case, *, actor, provider=None, service="family_support") -> Referral
    make_housing_department(personas) -> (Organisation, User)   # housing support, region 55
    write_safety_plan(case, *, actor) -> SafetyPlan   # reviewed in two weeks
    More people: make_user(username, *, role, organisation, supervisor=None).
"""

import datetime as dt
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import cache
from itertools import count

from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Role
from qorgau.cases.choices import Urgency
from qorgau.cases.models import AssessmentQuestion, Case, PoliceNotification, Report
from qorgau.cases.services.assessment import case_assess
from qorgau.cases.services.closure import case_closure_decide, case_closure_request
from qorgau.cases.services.followup import police_notification_send
from qorgau.cases.services.plans import PlannedAction, plan_decide, plan_submit
from qorgau.cases.services.reports import (
    DescribedChild,
    report_create,
    report_link_child,
    report_screen_in,
)
from qorgau.children.models import Child, Sex
from qorgau.children.services import child_register
from qorgau.places.models import Place
from qorgau.programmes.models import Programme
from qorgau.referrals.models import Provider, Referral, ServiceType
from qorgau.referrals.services import Consent, Shared, referral_send
from qorgau.safety.models import SafetyPlan, ScreeningQuestion
from qorgau.safety.services import PlanSteps, safety_plan_write

PERSONA_PASSWORD = "synthetic-persona-pass-2026"

PAVLODAR_KATO = "550000000"
PAVLODAR_CITY_KATO = "551010000"
ASTANA_KATO = "710000000"

_serial = count(1)


@cache
def _password_hash() -> str:
    # Hashed once per run: the default hasher is deliberately slow.
    return make_password(PERSONA_PASSWORD)


@dataclass(frozen=True)
class Personas:
    """Every persona by name: `personas.supervisor_pavlodar` or `personas["auditor"]`."""

    pavlodar: Place
    pavlodar_city: Place
    astana: Place
    dept_pavlodar: Organisation
    dept_astana: Organisation
    school_pavlodar: Organisation
    police_pavlodar: Organisation
    centre_111: Organisation
    ministry: Organisation
    family_centre_pavlodar: Organisation
    caseworker_pavlodar: User
    caseworker2_pavlodar: User
    supervisor_pavlodar: User
    caseworker_astana: User
    supervisor_astana: User
    operator_111: User
    school_reporter: User
    regional_analyst_pavlodar: User
    national_analyst: User
    auditor: User
    coordinator_ministry: User
    coordinator_pavlodar: User
    administrator: User
    provider_pavlodar: User

    def __getitem__(self, name: str):
        return getattr(self, name)

    def users(self) -> dict[str, User]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), User)
        }

    def __iter__(self) -> Iterator[str]:
        return iter(f.name for f in fields(self))


USER_NAMES = (
    "caseworker_pavlodar",
    "caseworker2_pavlodar",
    "supervisor_pavlodar",
    "caseworker_astana",
    "supervisor_astana",
    "operator_111",
    "school_reporter",
    "regional_analyst_pavlodar",
    "national_analyst",
    "auditor",
    "coordinator_ministry",
    "coordinator_pavlodar",
    "administrator",
    "provider_pavlodar",
)


def make_place(*, kato: str, name: str, parent: Place, kind: str = Place.Kind.DISTRICT) -> Place:
    place, _ = Place.objects.get_or_create(
        kato=kato,
        defaults={
            "kind": kind,
            "parent": parent,
            "name_kk": name,
            "name_ru": name,
            "name_en": name,
        },
    )
    return place


def make_organisation(*, name: str, kind: str, place: Place) -> Organisation:
    return Organisation.objects.create(name=name, kind=kind, place=place)


def make_user(
    username: str,
    *,
    role: str,
    organisation: Organisation | None,
    supervisor: User | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    return User.objects.create(
        username=username,
        password=_password_hash(),
        role=role,
        organisation=organisation,
        supervisor=supervisor,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@example.test",
        # The administrator works in Django's admin, as in the demo.
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )


def ensure_reference_data() -> None:
    """Transactional tests (the browser's) flush the database, data migrations included;
    the rows those migrations load come back here, from the migrations' own loaders."""
    from django.apps import apps

    loaders = {
        "qorgau.places.migrations.0002_load_regions_and_cities": Place.objects.exists,
        "qorgau.cases.migrations.0002_risk_assessment_questions": (
            AssessmentQuestion.objects.exists
        ),
        "qorgau.programmes.migrations.0002_load_programmes": Programme.objects.exists,
        "qorgau.referrals.migrations.0002_service_taxonomy": ServiceType.objects.exists,
        "qorgau.safety.migrations.0002_asq_instrument": ScreeningQuestion.objects.exists,
    }
    for module, present in loaders.items():
        if not present():
            importlib.import_module(module).load(apps, None)


def make_personas() -> Personas:
    ensure_reference_data()
    pavlodar = Place.objects.get(kato=PAVLODAR_KATO)
    astana = Place.objects.get(kato=ASTANA_KATO)
    pavlodar_city = make_place(kato=PAVLODAR_CITY_KATO, name="Pavlodar city", parent=pavlodar)
    K = Organisation.Kind
    dept_pavlodar = make_organisation(
        name="Pavlodar child rights department", kind=K.CHILD_RIGHTS_DEPARTMENT, place=pavlodar
    )
    dept_astana = make_organisation(
        name="Astana child rights department", kind=K.CHILD_RIGHTS_DEPARTMENT, place=astana
    )
    school_pavlodar = make_organisation(
        name="School No. 7, Pavlodar", kind=K.SCHOOL, place=pavlodar_city
    )
    police_pavlodar = make_organisation(
        name="Pavlodar juvenile inspectors", kind=K.POLICE, place=pavlodar_city
    )
    centre_111 = make_organisation(
        name="111 contact centre", kind=K.CONTACT_CENTRE_111, place=astana
    )
    ministry = make_organisation(
        name="Committee for the Protection of Children's Rights", kind=K.MINISTRY, place=astana
    )
    family_centre_pavlodar = make_organisation(
        name="Pavlodar family support centre", kind=K.FAMILY_SUPPORT, place=pavlodar_city
    )
    directory_entry = Provider.objects.create(
        organisation=family_centre_pavlodar,
        maintained_by=dept_pavlodar,
        waiting_days=5,
        hours="Mon-Fri 9:00-18:00",
        phone="+7 7182 000000",
    )
    directory_entry.services.set(
        ServiceType.objects.filter(code__in=["family_support", "parenting_programme"])
    )
    directory_entry.coverage.set([pavlodar])
    supervisor_pavlodar = make_user(
        "supervisor_pavlodar",
        role=Role.SUPERVISOR,
        organisation=dept_pavlodar,
        first_name="Gulnara",
        last_name="Sadykova",
    )
    supervisor_astana = make_user(
        "supervisor_astana",
        role=Role.SUPERVISOR,
        organisation=dept_astana,
        first_name="Marat",
        last_name="Omarov",
    )
    return Personas(
        pavlodar=pavlodar,
        pavlodar_city=pavlodar_city,
        astana=astana,
        dept_pavlodar=dept_pavlodar,
        dept_astana=dept_astana,
        school_pavlodar=school_pavlodar,
        police_pavlodar=police_pavlodar,
        centre_111=centre_111,
        ministry=ministry,
        family_centre_pavlodar=family_centre_pavlodar,
        caseworker_pavlodar=make_user(
            "caseworker_pavlodar",
            role=Role.CASEWORKER,
            organisation=dept_pavlodar,
            supervisor=supervisor_pavlodar,
            first_name="Aliya",
            last_name="Bekova",
        ),
        caseworker2_pavlodar=make_user(
            "caseworker2_pavlodar",
            role=Role.CASEWORKER,
            organisation=dept_pavlodar,
            supervisor=supervisor_pavlodar,
            first_name="Daniyar",
            last_name="Serikov",
        ),
        supervisor_pavlodar=supervisor_pavlodar,
        caseworker_astana=make_user(
            "caseworker_astana",
            role=Role.CASEWORKER,
            organisation=dept_astana,
            supervisor=supervisor_astana,
            first_name="Saule",
            last_name="Nurova",
        ),
        supervisor_astana=supervisor_astana,
        operator_111=make_user("operator_111", role=Role.OPERATOR_111, organisation=centre_111),
        school_reporter=make_user(
            "school_reporter", role=Role.SCHOOL_REPORTER, organisation=school_pavlodar
        ),
        regional_analyst_pavlodar=make_user(
            "regional_analyst_pavlodar", role=Role.REGIONAL_ANALYST, organisation=dept_pavlodar
        ),
        national_analyst=make_user(
            "national_analyst", role=Role.NATIONAL_ANALYST, organisation=ministry
        ),
        auditor=make_user("auditor", role=Role.AUDITOR, organisation=ministry),
        coordinator_ministry=make_user(
            "coordinator_ministry", role=Role.PROGRAMME_COORDINATOR, organisation=ministry
        ),
        coordinator_pavlodar=make_user(
            "coordinator_pavlodar", role=Role.PROGRAMME_COORDINATOR, organisation=dept_pavlodar
        ),
        administrator=make_user("administrator", role=Role.ADMINISTRATOR, organisation=None),
        provider_pavlodar=make_user(
            "provider_pavlodar",
            role=Role.SERVICE_PROVIDER,
            organisation=family_centre_pavlodar,
            first_name="Asel",
            last_name="Karimova",
        ),
    )


# Records -------------------------------------------------------------------------------


def _default_place(actor: User) -> Place:
    assert actor.organisation is not None, "this persona has no organisation"
    return actor.organisation.place


def make_child(*, actor: User, place: Place | None = None, **fields_) -> Child:
    """A registered child; defaults to a girl without an IIN in the actor's place."""
    values = {
        "first_name": "Aruzhan",
        "last_name": f"Testova{next(_serial)}",
        "birth_date": dt.date(2014, 3, 9),
        "sex": Sex.FEMALE,
        **fields_,
    }
    return child_register(actor=actor, place=place or _default_place(actor), **values)


def make_report(
    *,
    actor: User,
    place: Place | None = None,
    concerns: Sequence[str] = ("neglect",),
    urgency: str = Urgency.ROUTINE,
    children: Sequence[DescribedChild] | None = None,
    **fields_,
) -> Report:
    """A report recorded by `actor`; by default about one described, unlinked child."""
    values = {"reporter_type": "school", "narrative": "Synthetic report for tests.", **fields_}
    return report_create(
        actor=actor,
        place=place or _default_place(actor),
        urgency=urgency,
        concerns=list(concerns),
        children=children or [DescribedChild(description="Girl, about 10, grade 4")],
        **values,
    )


def make_screened_in_case(
    *,
    screener: User,
    worker: User | None = None,
    report: Report | None = None,
    child: Child | None = None,
    concerns: Sequence[str] = ("neglect",),
    place: Place | None = None,
) -> Case:
    """Screen a report in (a new one about `child`, registered if not given)."""
    worker = worker or screener
    if report is None:
        child = child or make_child(actor=screener, place=place)
        report = make_report(
            actor=screener,
            place=place or child.place,
            concerns=concerns,
            children=[DescribedChild(child=child)],
        )
    for link in report.children.filter(child__isnull=True):
        report_link_child(
            actor=screener, report=report, link=link, child=make_child(actor=screener, place=place)
        )
    return report_screen_in(actor=screener, report=report, worker=worker)


def version_of(case: Case) -> int:
    """The case's version as stored now: what a person who just loaded its page holds."""
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def all_no_answers() -> dict[str, str]:
    return dict.fromkeys(AssessmentQuestion.objects.values_list("code", flat=True), "no")


def assess(case: Case, *, actor: User, risk_level: str = "medium") -> None:
    case_assess(
        actor=actor,
        case=case,
        version=version_of(case),
        answers=all_no_answers(),
        risk_level=risk_level,
        reasoning="Synthetic assessment.",
        immediate_danger=False,
        safety_decision="safe",
    )


def submit_plan(case: Case, *, actor: User) -> None:
    plan_submit(
        actor=actor,
        case=case,
        version=version_of(case),
        summary="Weekly visits and school support.",
        actions=[
            PlannedAction(
                goal="Regular school attendance",
                action="Meet the class teacher",
                responsible=actor.organisation,
                due_date=timezone.localdate() + dt.timedelta(days=14),
            )
        ],
    )


def send_police_notifications(case: Case, *, actor: User, police: Organisation) -> None:
    for notification in PoliceNotification.objects.filter(case=case, sent_at__isnull=True):
        police_notification_send(actor=actor, case=case, notification=notification, police=police)


def make_case(
    *,
    worker: User,
    supervisor: User,
    status: str = Case.Status.ASSESSMENT,
    concerns: Sequence[str] = ("neglect",),
    child: Child | None = None,
    place: Place | None = None,
) -> Case:
    """A case of `worker` walked through the real services up to `status`.

    The supervisor screens the report in and approves; the worker does the work.
    Police notifications (notifiable concerns) are sent before a closure request.
    """
    order = list(Case.Status.values)
    target = order.index(Case.Status(status))
    case = make_screened_in_case(
        screener=supervisor, worker=worker, child=child, concerns=concerns, place=place
    )
    steps = [
        lambda: assess(case, actor=worker),
        lambda: submit_plan(case, actor=worker),
        lambda: plan_decide(actor=supervisor, case=case, version=version_of(case), approve=True),
        lambda: _request_closure(case, worker=worker),
        lambda: case_closure_decide(
            actor=supervisor, case=case, version=version_of(case), approve=True
        ),
    ]
    for step in steps[:target]:
        step()
    case.refresh_from_db()
    assert case.status == status, f"make_case reached {case.status}, not {status}"
    return case


def _request_closure(case: Case, *, worker: User) -> None:
    police = Organisation.objects.filter(kind=Organisation.Kind.POLICE).first()
    if police is not None:
        send_police_notifications(case, actor=worker, police=police)
    case_closure_request(
        actor=worker,
        case=case,
        version=version_of(case),
        reason="goals_met",
        outcome="improved",
        note="Attendance regular for two months.",
    )


class SecondFactorClient(Client):
    """`force_login` also completes the second factor, as a real login must.

    Tests of the login itself (tests/accounts) use the plain `login`/`post` path.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="authenticator", defaults={"confirmed": True}
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def make_referral(
    case: Case,
    *,
    actor: User,
    provider: Organisation | None = None,
    service: str = "family_support",
) -> Referral:
    """A referral of the case's first child, sent with the caregiver's and child's consent."""
    provider = provider or Organisation.objects.get(name="Pavlodar family support centre")
    return referral_send(
        actor=actor,
        case=case,
        child=case.children.first(),
        service=ServiceType.objects.get(code=service),
        provider=provider.provider,
        consent=Consent(basis="consent", child=True, caregiver=True),
        shared=Shared(reason="Parenting support after neglect.", contact="+7 700 000 0000"),
    )


def make_housing_department(personas: "Personas") -> tuple[Organisation, User]:
    """The akimat's housing department in Pavlodar, in the directory with housing support
    for region 55 (kept by dept_pavlodar), and a member of its staff, `housing_pavlodar`."""
    department = make_organisation(
        name="Pavlodar akimat housing department",
        kind=Organisation.Kind.HOUSING_DEPARTMENT,
        place=personas.pavlodar_city,
    )
    entry = Provider.objects.create(
        organisation=department, maintained_by=personas.dept_pavlodar, waiting_days=30
    )
    entry.services.set(ServiceType.objects.filter(code="housing_support"))
    entry.coverage.set([personas.pavlodar])
    staff = make_user(
        "housing_pavlodar",
        role=Role.SERVICE_PROVIDER,
        organisation=department,
        first_name="Dana",
        last_name="Zhumabekova",
    )
    return department, staff


def write_safety_plan(case: Case, *, actor: User) -> SafetyPlan:
    return safety_plan_write(
        actor=actor,
        case=case,
        child=case.children.first(),
        steps=PlanSteps(
            warning_signs="Stays in her room, stops eating",
            coping="Drawing, music",
            distraction="Aunt's house; the sports club",
            people="Aunt Saule +7 700 000 0001",
            professionals="111, 150, school psychologist",
            environment="Medicines locked away",
        ),
        review_on=timezone.localdate() + dt.timedelta(days=14),
    )
