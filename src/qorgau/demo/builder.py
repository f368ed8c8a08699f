"""Build the synthetic demo dataset: deterministic for a seed and a day.

The historical bulk is written with bulk_create, shaped as the services would have
left it (statuses, deadlines, versions, restricted flag, police notifications,
timeline). Every random choice comes from one `random.Random(seed)`, and nothing
iterates over a set or an unordered query, so the same seed on the same day gives
the same people, IINs, reports and cases.
"""

import contextlib
import datetime as dt
import json
import math
import multiprocessing
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone

from qorgau.accounts.models import ApprovalDelegation, Organisation, User
from qorgau.accounts.roles import Role
from qorgau.cases import rollups
from qorgau.cases.choices import (
    POLICE_NOTIFIABLE,
    SENSITIVE,
    ClosureReason,
    Concern,
    Outcome,
    ReporterType,
    RiskLevel,
    SafetyDecision,
    ScreenOutReason,
    Urgency,
)
from qorgau.cases.models import (
    Assessment,
    AssessmentQuestion,
    Case,
    CasePlan,
    PlanAction,
    PoliceNotification,
    Report,
    ReportChild,
    ReportConcern,
    TimelineEntry,
    Transfer,
    Visit,
)
from qorgau.cases.services.assessment import suggest_level
from qorgau.children.iin import make_iin
from qorgau.children.models import Child, FamilyMember, Sex
from qorgau.children.services import search_key
from qorgau.demo import names, rows, texts
from qorgau.demo.casework import build_casework
from qorgau.demo.credentials import DEMO_PASSWORD
from qorgau.demo.geography import NATIONAL_REGION, PERSONA_REGIONS, REGIONS, district_kato
from qorgau.demo.personas import demo_users, personas
from qorgau.demo.referrals import (
    NEW_KINDS,
    PROVIDER_KINDS,
    build_directory,
    build_programmes_and_housing,
    build_referrals,
)
from qorgau.demo.screenings import build_screenings
from qorgau.places.models import Place
from qorgau.programmes.demo import delete_demo_progress

K = Organisation.Kind
S = Case.Status
H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
YEARS = 3
HOTLINE_111_START = dt.date(2023, 10, 16)  # 111 works 24/7 since this day
# Staffing: a caseworker carries about CASES_PER_WORKER open cases (30-80 in practice),
# a supervisor leads up to SUPERVISOR_SPAN caseworkers. OPEN_CASES_PER_CHILD is what
# this builder leaves open at the end, measured at 20,000 children.
CASES_PER_WORKER = 50
SUPERVISOR_SPAN = 8
OPEN_CASES_PER_CHILD = 0.155
# Children built and written per transaction: bounds memory whatever the size.
CHUNK_CHILDREN = 20_000

# Reporter types and concerns, in rough proportions (weights, not percentages).
REPORTER_WEIGHTS: dict[str, float] = {
    ReporterType.HOTLINE_111: 24,
    ReporterType.SCHOOL: 26,
    ReporterType.POLICE: 11,
    ReporterType.HEALTH: 8,
    ReporterType.PARENT: 10,
    ReporterType.NEIGHBOUR: 6,
    ReporterType.CHILD: 3,
    ReporterType.ANONYMOUS: 6,
    ReporterType.NGO: 3,
    ReporterType.OTHER: 3,
}
CONCERN_WEIGHTS: dict[str, float] = {
    Concern.BULLYING: 17,
    Concern.CYBERBULLYING: 11,
    Concern.NEGLECT: 19,
    Concern.DOMESTIC: 9,
    Concern.PHYSICAL: 9,
    Concern.PSYCHOLOGICAL: 9,
    Concern.SEXUAL: 2,
    Concern.SUICIDE: 3,
    Concern.LABOUR: 2,
    Concern.MARRIAGE: 0.5,
    Concern.MISSING: 5,
    Concern.TRAFFICKING: 0.3,
    Concern.ONLINE_HARM: 5,
    Concern.OTHER: 3,
}
# Concerns that often come together.
COMPANIONS: dict[str, str] = {
    Concern.BULLYING: Concern.CYBERBULLYING,
    Concern.CYBERBULLYING: Concern.BULLYING,
    Concern.DOMESTIC: Concern.PSYCHOLOGICAL,
    Concern.PHYSICAL: Concern.DOMESTIC,
    Concern.NEGLECT: Concern.PSYCHOLOGICAL,
    Concern.SUICIDE: Concern.BULLYING,
    Concern.MISSING: Concern.NEGLECT,
    Concern.ONLINE_HARM: Concern.CYBERBULLYING,
}
SCREEN_IN_RATE: dict[str, float] = {
    Concern.SEXUAL: 0.95,
    Concern.SUICIDE: 0.95,
    Concern.PHYSICAL: 0.85,
    Concern.TRAFFICKING: 0.9,
    Concern.MARRIAGE: 0.85,
    Concern.DOMESTIC: 0.75,
    Concern.NEGLECT: 0.7,
    Concern.MISSING: 0.65,
    Concern.PSYCHOLOGICAL: 0.6,
    Concern.LABOUR: 0.6,
    Concern.BULLYING: 0.5,
    Concern.CYBERBULLYING: 0.45,
    Concern.ONLINE_HARM: 0.5,
    Concern.OTHER: 0.3,
}
SCREEN_OUT_WEIGHTS: dict[str, float] = {
    ScreenOutReason.NO_CONCERN: 40,
    ScreenOutReason.DUPLICATE: 12,
    ScreenOutReason.OTHER_AGENCY: 20,
    ScreenOutReason.INSUFFICIENT: 20,
    ScreenOutReason.OUT_OF_AREA: 8,
}


@dataclass
class Family:
    region: str
    place: Place
    kazakh: bool
    surname: str
    father: tuple[str, ...]
    traditional: bool
    address: str
    languages: str
    members: list[tuple[str, str, dt.date, bool, bool]]  # relationship, name, born, care, lives
    children: list[Child] = field(default_factory=list)


@dataclass(slots=True)
class Entry:
    """A timeline entry to write: about 11 a child, so not a model instance."""

    at: dt.datetime
    actor: User
    kind: str
    case: Case | None
    report: Report | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Scenario:
    """A case in a chosen state, so that every user's "my work" has something in it."""

    stop: str  # the case status to end in
    days_ago: float  # when the report came in
    concern: str
    worker: str = "caseworker"  # or "caseworker2"
    police_sent: bool = True
    overdue_action: bool = False
    returned_plan: bool = False


SCENARIOS = (
    Scenario(S.ASSESSMENT, 1.2, Concern.BULLYING),
    Scenario(S.ASSESSMENT, 6, Concern.NEGLECT),  # assessment overdue
    Scenario(S.ASSESSMENT, 2.5, Concern.SEXUAL, police_sent=False),  # police overdue, restricted
    Scenario(S.PLANNING, 5, Concern.DOMESTIC),
    Scenario(S.PLANNING, 16, Concern.NEGLECT, returned_plan=True),  # plan overdue
    Scenario(S.PLAN_SUBMITTED, 9, Concern.PHYSICAL),
    Scenario(S.PLAN_SUBMITTED, 12, Concern.CYBERBULLYING, worker="caseworker2"),
    Scenario(S.ACTIVE, 45, Concern.PSYCHOLOGICAL, overdue_action=True),
    Scenario(S.ACTIVE, 90, Concern.SUICIDE),  # restricted
    Scenario(S.ACTIVE, 40, Concern.NEGLECT),  # transferred (pending) in Pavlodar and Almaty
    Scenario(S.CLOSURE_REQUESTED, 70, Concern.BULLYING),
    Scenario(S.CLOSURE_REQUESTED, 60, Concern.NEGLECT, worker="caseworker2"),
    Scenario(S.CLOSED, 120, Concern.BULLYING),
)
# Recent reports still waiting for screening: (days ago, urgency, described only).
NEW_REPORTS = (
    (0.3, Urgency.ROUTINE, False),
    (1.6, Urgency.URGENT, False),
    (3.2, Urgency.ROUTINE, True),
    (0.2, Urgency.IMMEDIATE, False),
    (0.5, Urgency.ROUTINE, True),
    (2.1, Urgency.ROUTINE, False),
)
# Pending transfers between regions: (from, to, days ago). The first is overdue.
TRANSFERS = (("55", "71", 6.0), ("75", "55", 1.0))


def demo_exists() -> bool:
    from qorgau.demo.personas import MARKER_USERNAMES

    return User.objects.filter(username__in=MARKER_USERNAMES).exists()


@transaction.atomic
def delete_demo() -> None:
    """Remove what the demo built (people, reports, cases, users); places and
    organisations stay, and are reused by the next build."""
    users = User.objects.filter(demo_users())
    delete_demo_progress(users)
    cases = Case.objects.filter(Q(worker__in=users) | Q(reports__created_by__in=users))
    case_ids = list(cases.values_list("pk", flat=True).distinct())
    Report.objects.filter(Q(created_by__in=users) | Q(case__in=case_ids)).delete()
    Case.objects.filter(pk__in=case_ids).delete()
    Child.objects.filter(created_by__in=users).delete()
    ApprovalDelegation.objects.filter(Q(delegator__in=users) | Q(deputy__in=users)).delete()
    users.delete()


class Builder:
    def __init__(
        self,
        *,
        children: int,
        seed: int,
        today: dt.date,
        reports: int | None = None,
        chunk: int = CHUNK_CHILDREN,
        cases_per_worker: float = CASES_PER_WORKER,
        jobs: int = 1,
    ):
        self.n_children = children
        self.n_reports = reports if reports is not None else round(children * 1.5)
        self.seed = seed
        self.chunk = chunk
        self.jobs = jobs
        self.cases_per_worker = cases_per_worker
        self.rng = random.Random(seed)
        self.today = today
        self.tz = tz = timezone.get_current_timezone()
        # The data ends at midnight that starts `today`: rebuilt on the same day, it is
        # the same data; everything in it lies in the past.
        self.end = dt.datetime.combine(today, dt.time(0, 0), tzinfo=tz)
        self.start = self.end - dt.timedelta(days=365 * YEARS)
        self.deadline = {k: dt.timedelta(hours=v) for k, v in settings.QORGAU_DEADLINES.items()}
        self.questions = list(AssessmentQuestion.objects.filter(active=True))
        self.slug = {r.code: r.slug for r in REGIONS}
        self.region_place: dict[str, Place] = {}
        self.districts: dict[str, list[Place]] = {}
        self.orgs: dict[str, dict[str, list[Organisation]]] = {}
        self.users: dict[str, User] = {}
        self.caseworkers: dict[str, list[User]] = {}  # region code -> its caseworkers
        self.screeners: dict[str, list[User]] = {}  # who screens the region's reports
        self.used_iins: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.start_chunk(0)

    def start_chunk(self, index: int) -> None:
        """Forget the rows written; chunk 0 draws from the seed itself, so a dataset of
        one chunk is the same as before chunks existed."""
        if index:
            self.rng = random.Random(f"{self.seed}:{index}")
        self.iin_lane = (index, max(1, math.ceil(self.n_children / self.chunk)))
        self.families: dict[str, list[Family]] = {}
        # Rows to write, in dependency order.
        self.children: list[Child] = []
        self.child_created: list[dt.datetime] = []
        self.members: list[FamilyMember] = []
        self.reports: list[Report] = []
        self.report_created: list[dt.datetime] = []
        self.concerns: list[ReportConcern] = []
        self.links: list[ReportChild] = []
        self.cases: list[Case] = []
        self.case_children: list[tuple[Case, Child]] = []
        self.assessments: list[Assessment] = []
        self.plans: list[CasePlan] = []
        self.actions: list[PlanAction] = []
        self.visits: list[Visit] = []
        self.notices: list[PoliceNotification] = []
        self.transfers: list[Transfer] = []
        self.timeline: list[Entry] = []
        self.joined: list[tuple[Entry, Report]] = []
        self.open_cases: dict[int, list[Case]] = {}  # id(child) -> cases, for joins
        self.case_closed_at: dict[int, dt.datetime | None] = {}
        self.first_seen: dict[int, dt.datetime] = {}
        self.last_event: dict[int, dt.datetime] = {}
        self.plan_actions: dict[int, list[PlanAction]] = {}

    # ----------------------------------------------------------------- helpers
    def pick(self, weights: Mapping[Any, float]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def hours(self, lo: float, hi: float) -> dt.timedelta:
        return dt.timedelta(hours=self.rng.uniform(lo, hi))

    def workday(self, at: dt.datetime) -> dt.datetime:
        """Move a staff action into working hours (9:00-18:00) on or after `at`."""
        local = timezone.localtime(at, self.tz)
        if local.hour < 9:
            local = local.replace(hour=9, minute=self.rng.randint(0, 59))
        elif local.hour >= 18:
            local = (local + DAY).replace(hour=9, minute=self.rng.randint(0, 59))
        return local

    def entry(
        self,
        at: dt.datetime,
        actor: User,
        kind: str,
        *,
        case: Case | None = None,
        report: Report | None = None,
        **details: Any,
    ) -> "Entry":
        item = Entry(at, actor, kind, case, report, details)
        self.timeline.append(item)
        if case is not None:
            self.last_event[id(case)] = max(at, self.last_event.get(id(case), at))
        return item

    def person_name(
        self, kazakh: bool, sex: str, rng: random.Random | None = None
    ) -> tuple[str, str]:
        rng = rng or self.rng
        if kazakh:
            men = [kk for kk, _ in names.KAZAKH_FATHERS]
            first = rng.choice(names.KAZAKH_MOTHERS if sex == "F" else men)
            last = rng.choice(names.KAZAKH_SURNAMES)
        else:
            men = [name for name, _, _ in names.RUSSIAN_FATHERS]
            first = rng.choice(names.RUSSIAN_MOTHERS if sex == "F" else men)
            last = rng.choice(names.RUSSIAN_SURNAMES)
        return first, names.feminine_surname(last) if sex == "F" else last

    # ------------------------------------------------------------ reference
    def build_places(self) -> None:
        for region in REGIONS:
            top = Place.objects.get(kato=f"{region.code}0000000")
            self.region_place[region.code] = top
            places = []
            for index, d in enumerate(region.districts):
                place, _ = Place.objects.get_or_create(
                    kato=district_kato(region.code, index),
                    defaults={
                        "kind": Place.Kind.DISTRICT,
                        "parent": top,
                        "name_kk": d.name_kk,
                        "name_ru": d.name_ru,
                        "name_en": d.name_en,
                    },
                )
                places.append(place)
            self.districts[region.code] = places

    def org(
        self,
        code: str,
        key: str,
        name: str,
        kind: str,
        place: Place,
        parent: Organisation | None = None,
    ) -> Organisation:
        obj, _ = Organisation.objects.get_or_create(
            name=name, place=place, defaults={"kind": kind, "parent": parent}
        )
        self.orgs.setdefault(code, {}).setdefault(key, []).append(obj)
        return obj

    def build_organisations(self) -> None:
        for index, region in enumerate(REGIONS):
            code, of, top = region.code, region.of_ru, self.region_place[region.code]
            dept = self.org(
                code,
                "dept",
                f"Управление по защите прав детей {of}",
                K.CHILD_RIGHTS_DEPARTMENT,
                top,
            )
            districts = self.districts[code]
            if code in PERSONA_REGIONS:
                d = districts[1]
                self.org(
                    code,
                    "office",
                    f"Отдел по защите прав детей: {d.name_ru}",
                    K.CHILD_RIGHTS_OFFICE,
                    d,
                    dept,
                )
            self.org(
                code, "guardianship", f"Орган опеки и попечительства {of}", K.GUARDIANSHIP, top
            )
            self.org(
                code,
                "police",
                f"Департамент полиции {of}: инспекция по делам несовершеннолетних",
                K.POLICE,
                top,
            )
            per_district = 2 if code in PERSONA_REGIONS else 1
            for j, d in enumerate(districts):
                for k in range(per_district):
                    number = 1 + (index * 17 + j * 11 + k * 29) % 97
                    kind = "Общеобразовательная школа" if k == 0 else "Школа-гимназия"
                    self.org(code, "school", f"{kind} № {number}", K.SCHOOL, d)
            self.org(code, "health", f"Детская больница {of}", K.HEALTH, top)
            self.org(code, "family_support", f"Центр поддержки семьи {of}", K.FAMILY_SUPPORT, top)
            self.org(
                code, "crisis_ngo", f"Кризисный центр для детей и семей {of}", K.CRISIS_NGO, top
            )
            for key in NEW_KINDS:
                kind, pattern, _services, _waiting = PROVIDER_KINDS[key]
                self.org(code, key, pattern.format(of=of), kind, top)
            self.org(
                code,
                "minors_commission",
                f"Комиссия по делам несовершеннолетних и защите их прав при акимате {of}",
                K.MINORS_COMMISSION,
                top,
            )
        astana = self.region_place[NATIONAL_REGION]
        self.org(NATIONAL_REGION, "111", "Единый контакт-центр 111", K.CONTACT_CENTRE_111, astana)
        self.org(
            NATIONAL_REGION,
            "ministry",
            "Комитет по охране прав детей Министерства просвещения Республики Казахстан",
            K.MINISTRY,
            astana,
        )

    def build_users(self) -> None:
        hashed = make_password(DEMO_PASSWORD)  # hashed once: the slow part of creating users
        share = {r.code: r.kazakh_share for r in REGIONS}
        batches: list[list[User]] = [[], []]
        for p in personas():
            # Provider staff came later: their own draws leave everyone else's as they were.
            rng = random.Random(f"{self.seed}:{p.username}") if p.org in PROVIDER_KINDS else None
            draw = rng or self.rng
            kazakh = draw.random() < share.get(p.region, 0.7)
            first, last = self.person_name(kazakh, draw.choice("MF"), rng)
            user = User(
                username=p.username,
                first_name=first,
                last_name=last,
                email=f"{p.username}@demo.qorgau.invalid",
                password=hashed,
                role=p.role,
                organisation=self.orgs[p.region][p.org][0] if p.org else None,
                is_staff=p.role == Role.ADMINISTRATOR,
                is_superuser=p.role == Role.ADMINISTRATOR,
                date_joined=self.start,
            )
            self.users[p.username] = user
            batches[bool(p.supervisor)].append(user)
        User.objects.bulk_create(batches[0])
        for p in personas():
            if p.supervisor:
                self.users[p.username].supervisor = self.users[p.supervisor]
        User.objects.bulk_create(batches[1])

    def build_staff(self) -> None:
        """Caseworkers in each region in proportion to its children, so that each carries
        about `cases_per_worker` open cases, and their supervisors. The personas are the
        first of them; the others are caseworker3.<region>, supervisor2.<region>, ..."""
        rng = random.Random(f"{self.seed}:staff")  # the personas' draws stay as they were
        hashed = self.users["caseworker.pavlodar"].password
        total = sum(r.weight for r in REGIONS)
        added: list[list[User]] = [[], []]  # supervisors first: caseworkers point at them
        for region in REGIONS:
            code, slug = region.code, region.slug
            open_cases = self.n_children * region.weight / total * OPEN_CASES_PER_CHILD
            size = max(2, round(open_cases / self.cases_per_worker))
            team = [self.staff(code, "caseworker"), self.staff(code, "caseworker2")]
            leads = [self.staff(code, "supervisor")]
            for number in range(3, size + 1):
                lead = (number - 1) // SUPERVISOR_SPAN
                if lead == len(leads):
                    user = self.staff_user(rng, f"supervisor{lead + 1}.{slug}", code, hashed)
                    user.role = Role.SUPERVISOR
                    leads.append(user)
                    added[0].append(user)
                user = self.staff_user(rng, f"caseworker{number}.{slug}", code, hashed)
                user.supervisor = leads[lead]
                team.append(user)
                added[1].append(user)
            self.caseworkers[code] = team
            self.screeners[code] = [leads[0], *team, *leads[1:]]
        for batch in added:
            User.objects.bulk_create(batch, batch_size=1000)

    def staff_user(self, rng: random.Random, username: str, code: str, hashed: str) -> User:
        region = next(r for r in REGIONS if r.code == code)
        first, last = self.person_name(rng.random() < region.kazakh_share, rng.choice("MF"), rng)
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.qorgau.invalid",
            password=hashed,
            role=Role.CASEWORKER,
            organisation=self.orgs[code]["dept"][0],
            date_joined=self.start,
        )
        self.users[username] = user
        return user

    def staff(self, code: str, role: str) -> User:
        return self.users[f"{role}.{self.slug[code]}"]

    # ------------------------------------------------------------- children
    def new_family(self, code: str) -> Family:
        rng = self.rng
        region = next(r for r in REGIONS if r.code == code)
        kazakh = rng.random() < region.kazakh_share
        if kazakh:
            surname = rng.choice(names.KAZAKH_SURNAMES)
            father: tuple[str, ...] = rng.choice(names.KAZAKH_FATHERS)
            mother_first = rng.choice(names.KAZAKH_MOTHERS)
            grandfather = rng.choice(names.KAZAKH_FATHERS)
            mother_middle = names.patronymic_kazakh(grandfather, "F", traditional=False)
            father_full = f"{surname} {father[0]} {rng.choice(names.KAZAKH_FATHERS)[1]}ович"
            languages = rng.choice(("казахский", "казахский, русский", "казахский, русский"))
        else:
            surname = rng.choice(names.RUSSIAN_SURNAMES)
            father = rng.choice(names.RUSSIAN_FATHERS)
            mother_first = rng.choice(names.RUSSIAN_MOTHERS)
            mother_middle = rng.choice(names.RUSSIAN_FATHERS)[2]
            father_full = f"{surname} {father[0]} {rng.choice(names.RUSSIAN_FATHERS)[1]}"
            languages = rng.choice(("русский", "русский", "русский, казахский"))
        place = rng.choice(self.districts[code])
        street = rng.choice(texts.STREETS)
        address = f"{street}, д. {rng.randint(1, 180)}, кв. {rng.randint(1, 120)}"
        family = Family(
            code,
            place,
            kazakh,
            surname,
            father,
            kazakh and rng.random() < 0.3,
            address,
            languages,
            [],
        )
        parents_born = self.today - dt.timedelta(days=rng.randint(25 * 365, 48 * 365))
        mother = f"{names.feminine_surname(surname)} {mother_first} {mother_middle}"
        family.members.append(("mother", mother, parents_born, True, rng.random() < 0.95))
        roll = rng.random()
        if roll < 0.65:
            family.members.append(
                (
                    "father",
                    father_full,
                    parents_born - DAY * rng.randint(0, 2000),
                    True,
                    rng.random() < 0.85,
                )
            )
        elif roll < 0.75:
            step = self.person_name(kazakh, "M")
            family.members.append(
                ("stepfather", f"{step[1]} {step[0]}", parents_born - DAY * 900, True, True)
            )
        if rng.random() < 0.2:
            gran = self.person_name(kazakh, "F")
            family.members.append(
                (
                    "grandparent",
                    f"{gran[1]} {gran[0]}",
                    parents_born - DAY * 365 * 24,
                    rng.random() < 0.5,
                    rng.random() < 0.5,
                )
            )
        self.families.setdefault(code, []).append(family)
        return family

    def new_child(self, family: Family, creator: User) -> Child:
        rng = self.rng
        sex = rng.choice((Sex.MALE, Sex.FEMALE))
        if family.kazakh:
            pool: Sequence[str] = names.KAZAKH_BOYS if sex == Sex.MALE else names.KAZAKH_GIRLS
        else:
            pool = names.RUSSIAN_BOYS if sex == Sex.MALE else names.RUSSIAN_GIRLS
        taken = [c.first_name for c in family.children]
        first = rng.choice([n for n in pool if n not in taken] or pool)
        last = names.feminine_surname(family.surname) if sex == Sex.FEMALE else family.surname
        if family.kazakh:
            middle = names.patronymic_kazakh(family.father, sex, traditional=family.traditional)
        else:
            middle = family.father[1] if sex == Sex.MALE else family.father[2]
        age_days = rng.randint(20, 18 * 365 - 20)
        birth = self.today - dt.timedelta(days=age_days)
        iin = None
        if rng.random() < 0.85:
            # Each chunk draws serials from its own lane: chunks built in parallel
            # cannot give two children the same IIN.
            lane, lanes = self.iin_lane
            while iin is None or iin in self.used_iins:
                serial = rng.randint(0, (9998 - lane) // lanes) * lanes + lane + 1
                iin = make_iin(birth, sex, serial)
            self.used_iins.add(iin)
        other = f"{names.to_latin(last)} {names.to_latin(first)}" if rng.random() < 0.15 else ""
        disabled = rng.random() < 0.04
        age = age_days // 365
        school = None
        if 6 <= age <= 17 and rng.random() < 0.93:
            here = [s for s in self.orgs[family.region]["school"] if s.place_id == family.place.pk]
            school = rng.choice(here or self.orgs[family.region]["school"])
        child: Child = rows.new(
            Child,
            last_name=last,
            first_name=first,
            middle_name=middle,
            other_spelling=other,
            search_key=search_key(last, first, middle, other),
            birth_date=birth,
            birth_date_estimated=iin is None and rng.random() < 0.3,
            sex=sex,
            iin=iin,
            place=family.place,
            region_code=family.place.region_code,
            address=family.address,
            languages=family.languages,
            disability=disabled,
            disability_note=rng.choice(texts.DISABILITY_NOTES) if disabled else "",
            school=school,
            created_by=creator,
        )
        family.children.append(child)
        self.children.append(child)
        # Registered with the first report about the child (see save), or some day.
        born = timezone.make_aware(dt.datetime.combine(birth, dt.time(12)))
        self.child_created.append(max(self.start, born) + DAY * rng.randint(0, 30))
        for relationship, full_name, adult_born, caregiver, lives in family.members:
            self.members.append(
                rows.new(
                    FamilyMember,
                    child=child,
                    relationship=relationship,
                    full_name=full_name,
                    birth_date=adult_born,
                    is_caregiver=caregiver,
                    lives_with_child=lives,
                )
            )
        return child

    def build_children(self, count: int, *, first: bool) -> None:
        rng = self.rng
        codes = [r.code for r in REGIONS]
        weights = [r.weight for r in REGIONS]
        # Two families in every persona region first, so even a tiny demo has their work.
        queue = [c for c in PERSONA_REGIONS for _ in range(2)] if first else []
        made = 0
        while made < count:
            code = queue.pop(0) if queue else rng.choices(codes, weights=weights)[0]
            family = self.new_family(code)
            size = rng.choices((1, 2, 3, 4), weights=(45, 35, 15, 5))[0]
            creator = rng.choice(self.caseworkers[code])
            for _ in range(min(size, count - made)):
                self.new_child(family, creator)
                made += 1

    # -------------------------------------------------------------- reports
    def reporter_for(self, at: dt.datetime, concern: str) -> str:
        weights = dict(REPORTER_WEIGHTS)
        if at.date() < HOTLINE_111_START:
            weights[ReporterType.HOTLINE_111] = 0
            weights[ReporterType.NGO] = 8  # the 150 helpline and NGOs before 111
        if concern in (Concern.BULLYING, Concern.CYBERBULLYING, Concern.SUICIDE):
            weights[ReporterType.SCHOOL] *= 2
        if concern in (Concern.NEGLECT, Concern.PHYSICAL):
            weights[ReporterType.HEALTH] *= 2
            weights[ReporterType.NEIGHBOUR] *= 2
        return str(self.pick(weights))

    def creator_for(self, code: str, reporter: str) -> User:
        if reporter == ReporterType.HOTLINE_111:
            return self.users["operator111"]
        school = f"school.{self.slug[code]}"
        if reporter == ReporterType.SCHOOL and school in self.users:
            return self.users[school]
        return self.rng.choice(self.caseworkers[code])

    def narrative(self, concern: str, child: Child | None, age: int, kazakh: bool) -> str:
        rng = self.rng
        use_kk = kazakh and concern in texts.NARRATIVES_KK and rng.random() < 0.45
        templates = texts.NARRATIVES_KK if use_kk else texts.NARRATIVES_RU
        template = rng.choice(templates.get(concern, texts.NARRATIVES_RU["other"]))
        school = child.school.name if child and child.school else "школе"
        name = child.first_name if child else ("аты белгісіз" if use_kk else "имя неизвестно")
        age = max(age, 1)
        return template.format(child=name, age=texts.years_ru(age), n=age, school=school)

    def description(self, age: int, name: str) -> str:
        age = max(age, 1)
        template = self.rng.choice(texts.DESCRIBED_CHILD)
        return template.format(age=texts.years_ru(age), n=age, school="школе", name=name)

    def choose_children(self, code: str, at: dt.datetime) -> tuple[Family | None, list[Child]]:
        day = at.date() - dt.timedelta(days=7)
        for _ in range(12):
            family = self.rng.choice(self.families[code])
            born = [c for c in family.children if c.birth_date and c.birth_date < day]
            if born:
                k = self.rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
                return family, self.rng.sample(born, min(k, len(born)))
        return None, []

    def add_report(
        self,
        *,
        code: str,
        at: dt.datetime,
        urgency: str | None = None,
        concern: str | None = None,
        status: str | None = None,
        described: bool = False,
        scenario: Scenario | None = None,
    ) -> Report:
        rng = self.rng
        family, kids = self.choose_children(code, at)
        if not kids:
            described = True
        concern = concern or str(self.pick(CONCERN_WEIGHTS))
        codes = [concern]
        if concern in COMPANIONS and rng.random() < 0.2:
            codes.append(COMPANIONS[concern])
        reporter = self.reporter_for(at, concern)
        if urgency is None:
            severe = bool(set(codes) & (POLICE_NOTIFIABLE | {Concern.MISSING}))
            urgency = self.pick(
                {
                    Urgency.IMMEDIATE: 35 if severe else 3,
                    Urgency.URGENT: 35,
                    Urgency.ROUTINE: 30 if severe else 62,
                }
            )
        kid = kids[0] if kids else None
        age = self.age_at(kid, at) if kid else rng.randint(4, 16)
        creator = self.creator_for(code, reporter)
        place = family.place if family else rng.choice(self.districts[code])
        report: Report = rows.new(
            Report,
            received_at=at,
            reporter_type=reporter,
            reporter_name=self.reporter_name(reporter, creator),
            reporter_contact=creator.organisation.name
            if reporter == ReporterType.SCHOOL and creator.organisation
            else "",
            incident_date=(at - DAY * rng.randint(0, 6)).date() if rng.random() < 0.7 else None,
            place=place,
            region_code=place.region_code,
            incident_address=family.address if family and rng.random() < 0.5 else "",
            narrative=self.narrative(
                concern, kid if not described else None, age, family.kazakh if family else False
            ),
            urgency=urgency,
            screening_due_at=at
            + self.deadline["screening_immediate" if urgency == Urgency.IMMEDIATE else "screening"],
            created_by=creator,
        )
        self.reports.append(report)
        self.report_created.append(at)
        self.concerns += [rows.new(ReportConcern, report=report, concern=c) for c in codes]
        self.entry(at, creator, "report_received", report=report)
        if status is None:
            status = self.screening_outcome(report, codes, at)
        if status == Report.Status.NEW:
            self.describe_children(report, kids, at, described=described)
            return report
        screener = rng.choice(self.screeners[code])
        if scenario is not None:
            screener = self.staff(code, "supervisor")
        delay = report.screening_due_at - at
        factor = rng.uniform(0.1, 0.9) if rng.random() < 0.85 or scenario else rng.uniform(1.1, 3)
        screened_at = at + delay * factor
        if screened_at >= self.end:
            self.describe_children(report, kids, at, described=described)
            return report
        report.screened_by, report.screened_at = screener, screened_at
        for child in kids:
            self.first_seen.setdefault(id(child), at)
        if status == Report.Status.SCREENED_OUT or not kids:
            reason = str(self.pick(SCREEN_OUT_WEIGHTS))
            if described or not kids:
                reason = ScreenOutReason.INSUFFICIENT
            report.status = Report.Status.SCREENED_OUT
            report.screen_out_reason = reason
            report.screening_note = texts.SCREEN_OUT_NOTES[reason]
            self.describe_children(report, kids, at, described=described)
            self.entry(screened_at, screener, "report_screened_out", report=report, reason=reason)
            return report
        # Screened in: a described child was found or registered, then linked.
        hearsay = reporter in (
            ReporterType.HOTLINE_111,
            ReporterType.ANONYMOUS,
            ReporterType.NEIGHBOUR,
        )
        for child in kids:
            if hearsay and rng.random() < 0.5:
                text = self.description(self.age_at(child, at), child.first_name)
                link = rows.new(ReportChild, report=report, child=child, description=text)
                self.links.append(link)
                linked_at = max(at + (screened_at - at) / 2, screened_at - self.hours(0.05, 0.5))
                self.entry(
                    linked_at, screener, "child_linked", report=report, child=child.full_name
                )
            else:
                self.links.append(rows.new(ReportChild, report=report, child=child))
        report.status = Report.Status.SCREENED_IN
        report.screening_note = rng.choice(texts.SCREEN_IN_NOTES)
        joinable = self.joinable_case(kids, screened_at, codes)
        if joinable is not None and scenario is None and rng.random() < 0.7:
            report.case = joinable
            item = self.entry(screened_at, screener, "report_joined", case=joinable)
            self.joined.append((item, report))
            for child in kids:
                self.case_children.append((joinable, child))  # duplicates go in save()
            self.entry(screened_at, screener, "report_screened_in", report=report, case=joinable)
            return report
        case = self.open_case(report, kids, codes, screener, screened_at, scenario)
        report.case = case
        return report

    def reporter_name(self, reporter: str, creator: User) -> str:
        if reporter == ReporterType.SCHOOL:
            return creator.get_full_name()
        if reporter in (ReporterType.PARENT, ReporterType.NEIGHBOUR) and self.rng.random() < 0.5:
            first, last = self.person_name(self.rng.random() < 0.6, self.rng.choice("MF"))
            return f"{last} {first}"
        return ""

    def age_at(self, child: Child, at: dt.datetime) -> int:
        born = child.birth_date or at.date()
        return (at.date() - born).days // 365

    def screening_outcome(self, report: Report, codes: Sequence[str], at: dt.datetime) -> str:
        rng = self.rng
        age = self.end - at
        if (age < 1.5 * DAY and rng.random() < 0.7) or (age < 6 * DAY and rng.random() < 0.35):
            return Report.Status.NEW
        rate = max(SCREEN_IN_RATE[c] for c in codes)
        return Report.Status.SCREENED_IN if rng.random() < rate else Report.Status.SCREENED_OUT

    def describe_children(
        self, report: Report, kids: list[Child], at: dt.datetime, *, described: bool
    ) -> None:
        if described or not kids:
            for _ in range(max(1, len(kids))):
                name = self.rng.choice(names.KAZAKH_GIRLS + names.RUSSIAN_BOYS)
                text = self.description(self.rng.randint(3, 16), name)
                self.links.append(rows.new(ReportChild, report=report, description=text))
            return
        for child in kids:
            self.links.append(rows.new(ReportChild, report=report, child=child))

    def joinable_case(
        self, kids: list[Child], at: dt.datetime, codes: Sequence[str]
    ) -> Case | None:
        # Joins that would need a police notice or restriction are left to new cases.
        if set(codes) & (POLICE_NOTIFIABLE | SENSITIVE):
            return None
        for child in kids:
            for case in self.open_cases.get(id(child), []):
                closure = self.case_closed_at.get(id(case))
                if case.opened_at < at and (closure is None or at < closure):
                    return case
        return None

    # ---------------------------------------------------------------- cases
    def open_case(
        self,
        report: Report,
        kids: list[Child],
        codes: Sequence[str],
        screener: User,
        opened: dt.datetime,
        scenario: Scenario | None,
    ) -> Case:
        rng = self.rng
        code = report.place.region_code
        if scenario:
            worker = self.staff(code, scenario.worker)
        else:
            worker = rng.choice(self.caseworkers[code])
        supervisor = worker.supervisor or self.staff(code, "supervisor")
        concerns = set(codes)
        case: Case = rows.new(
            Case,
            organisation=screener.organisation,
            region=self.region_place[code],
            worker=worker,
            status=S.ASSESSMENT,
            restricted=bool(concerns & SENSITIVE),
            opened_at=opened,
            assessment_due_at=opened + self.deadline["assessment"],
            plan_due_at=opened + self.deadline["plan"],
            version=1,
        )
        self.cases.append(case)
        for child in kids:
            self.case_children.append((case, child))
            self.open_cases.setdefault(id(child), []).append(case)
        self.entry(opened, screener, "case_opened", case=case)
        self.entry(opened, screener, "report_screened_in", report=report, case=case)
        notice: PoliceNotification | None = None
        notifiable = sorted(concerns & POLICE_NOTIFIABLE)
        if notifiable:
            joined = ",".join(notifiable)
            notice = rows.new(
                PoliceNotification,
                case=case,
                concerns=joined,
                due_at=opened + self.deadline["police_notification"],
            )
            self.notices.append(notice)
            self.entry(opened, screener, "police_due", case=case, concerns=joined)
            if scenario is None or scenario.police_sent:
                late = scenario is None and rng.random() < 0.1
                sent = opened + (self.hours(26, 72) if late else self.hours(1, 20))
                if sent < self.end:
                    self.police_sent(case, notice, worker, sent, code)
        self.case_story(case, worker, supervisor, kids, concerns, report.urgency, notice, scenario)
        self.case_closed_at[id(case)] = case.closed_at
        return case

    def police_sent(
        self, case: Case, notice: PoliceNotification, worker: User, sent: dt.datetime, code: str
    ) -> None:
        notice.sent_at, notice.sent_by = sent, worker
        notice.police = self.orgs[code]["police"][0]
        self.entry(sent, worker, "police_sent", case=case)
        ack = sent + self.hours(4, 120)
        if ack < self.end and self.rng.random() < 0.85:
            notice.acknowledged_at = ack
            notice.police_reference = f"ЕРДР {ack:%y}{code}{self.rng.randint(100000, 999999)}"
            self.entry(
                ack,
                worker,
                "police_acknowledged",
                case=case,
                police_reference=notice.police_reference,
            )

    def case_story(
        self,
        case: Case,
        worker: User,
        supervisor: User,
        kids: list[Child],
        concerns: set[str],
        urgency: str,
        notice: PoliceNotification | None,
        scenario: Scenario | None,
    ) -> None:
        """Walk the case through the workflow until the data ends (or the scenario's stop)."""
        rng, end = self.rng, self.end
        stop = scenario.stop if scenario else S.CLOSED
        code = case.region.region_code
        if stop == S.ASSESSMENT:
            return
        quick = scenario is not None  # scenarios must reach their stop before today
        late = not quick and rng.random() < 0.12
        t = case.opened_at + (self.hours(80, 200) if late else self.hours(4, 30 if quick else 66))
        t = self.workday(t)
        if t >= end:
            return
        # A home visit usually comes with the assessment.
        if rng.random() < 0.8:
            self.visit(case, worker, "home", t - self.hours(0, 3))
        assessment = self.assess(case, worker, t, kids, concerns, urgency)
        case.status, case.risk_level = S.PLANNING, assessment.risk_level
        case.version += 1
        self.entry(t, worker, "assessed", case=case, risk_level=assessment.risk_level)
        if stop == S.PLANNING and not (scenario and scenario.returned_plan):
            return
        low = assessment.risk_level == RiskLevel.LOW
        if scenario is None and low and rng.random() < 0.5:
            self.close(
                case,
                worker,
                supervisor,
                t + self.hours(20, 200),
                ClosureReason.NO_RISK,
                notice,
                stop,
            )
            return
        # The plan, sometimes returned once for changes.
        t = self.workday(t + self.hours(24, 60 if quick else 160))
        returned = scenario.returned_plan if scenario else rng.random() < 0.15
        if t >= end:
            return
        plan = self.plan(case, worker, t, code, kids)
        case.status = S.PLAN_SUBMITTED
        case.version += 1
        self.entry(t, worker, "plan_submitted", case=case)
        if stop == S.PLAN_SUBMITTED:
            return
        t = self.workday(t + self.hours(4, 30 if quick else 70))
        if t >= end:
            return
        plan.decided_by, plan.decided_at = supervisor, t
        case.version += 1
        if returned:
            plan.status = CasePlan.Status.RETURNED
            plan.decision_note = rng.choice(texts.PLAN_RETURN_NOTES)
            case.status = S.PLANNING
            self.entry(t, supervisor, "plan_returned", case=case)
            if stop == S.PLANNING:
                return
            t = self.workday(t + self.hours(30, 100))
            if t >= end:
                return
            plan = self.plan(case, worker, t, code, kids)
            case.status = S.PLAN_SUBMITTED
            case.version += 1
            self.entry(t, worker, "plan_submitted", case=case)
            t = self.workday(t + self.hours(4, 70))
            if t >= end:
                return
            plan.decided_by, plan.decided_at = supervisor, t
            case.version += 1
        plan.status = CasePlan.Status.APPROVED
        case.status = S.ACTIVE
        self.entry(t, supervisor, "plan_approved", case=case)
        # Work on the plan: visits, actions done, until closure is asked.
        if scenario:
            active_for = dt.timedelta(days=rng.uniform(5, 12))
        else:
            active_for = dt.timedelta(
                days=rng.uniform(20, 120) if rng.random() < 0.75 else rng.uniform(120, 420)
            )
        close_at = self.workday(t + active_for)
        if stop == S.ACTIVE:
            close_at = end
        visits_until = min(close_at, end)
        for _ in range(rng.randint(1, 4)):
            when = t + (visits_until - t) * rng.uniform(0.05, 0.95)
            self.visit(case, worker, rng.choice(("home", "school", "office", "phone")), when)
        actions = self.plan_actions[id(plan)]
        for action in actions:
            due = timezone.make_aware(dt.datetime.combine(action.due_date, dt.time(17)))
            if due < visits_until and rng.random() < 0.85:
                action.status = PlanAction.Status.DONE
                action.outcome_note = "Выполнено"
        if scenario and scenario.overdue_action:
            actions[0].due_date = (end - 4 * DAY).date()
            actions[0].status = PlanAction.Status.PLANNED
            actions[0].outcome_note = ""
        if close_at >= end or stop == S.ACTIVE:
            return
        for action in actions:
            if action.status == PlanAction.Status.PLANNED:
                action.status = PlanAction.Status.CANCELLED
                action.outcome_note = "Не требуется: цели достигнуты"
        reason = self.pick(
            {
                ClosureReason.GOALS_MET: 72,
                ClosureReason.REFUSED: 10,
                ClosureReason.MOVED: 9,
                ClosureReason.OTHER: 9,
            }
        )
        self.close(case, worker, supervisor, close_at, reason, notice, stop)

    def close(
        self,
        case: Case,
        worker: User,
        supervisor: User,
        at: dt.datetime,
        reason: str,
        notice: PoliceNotification | None,
        stop: str,
    ) -> None:
        if notice is not None:
            if notice.sent_at is None:
                return  # the service refuses closure until the police are notified
            at = max(at, notice.sent_at + H)
        at = self.workday(at)
        if at >= self.end:
            return
        outcome_weights: dict[str, dict[str, float]] = {
            ClosureReason.GOALS_MET: {
                Outcome.IMPROVED: 85,
                Outcome.UNCHANGED: 10,
                Outcome.PLACED: 5,
            },
            ClosureReason.NO_RISK: {Outcome.UNCHANGED: 60, Outcome.IMPROVED: 40},
            ClosureReason.REFUSED: {Outcome.UNCHANGED: 70, Outcome.WORSENED: 30},
        }
        outcome = str(self.pick(outcome_weights.get(reason, {Outcome.UNCHANGED: 1})))
        case.status = S.CLOSURE_REQUESTED
        case.closure_reason, case.outcome = reason, outcome
        case.closure_note = texts.CLOSURE_NOTES[reason]
        case.closure_requested_by = worker
        case.version += 1
        self.entry(at, worker, "closure_requested", case=case, reason=reason)
        if stop == S.CLOSURE_REQUESTED:
            return
        decided = self.workday(at + self.hours(3, 100))
        if decided >= self.end:
            return
        case.status, case.closed_at = S.CLOSED, decided
        case.version += 1
        self.entry(decided, supervisor, "closure_approved", case=case, outcome=outcome)

    def assess(
        self,
        case: Case,
        worker: User,
        at: dt.datetime,
        kids: list[Child],
        concerns: set[str],
        urgency: str,
    ) -> Assessment:
        rng = self.rng
        answers: dict[str, str] = {}
        young = any(self.age_at(c, at) < 6 or c.disability for c in kids)
        likely = {
            "injury": 0.7 if concerns & {Concern.PHYSICAL, Concern.DOMESTIC} else 0.03,
            "sexual_harm": 0.9 if Concern.SEXUAL in concerns else 0.0,
            "self_harm": 0.9 if Concern.SUICIDE in concerns else 0.02,
            "repeat_harm": 0.55
            if concerns & {Concern.BULLYING, Concern.PHYSICAL, Concern.DOMESTIC}
            else 0.2,
            "abuser_access": 0.5 if concerns & POLICE_NOTIFIABLE else 0.1,
            "caregiver_substance": 0.45 if Concern.NEGLECT in concerns else 0.08,
            "caregiver_unable": 0.5 if concerns & {Concern.NEGLECT, Concern.DOMESTIC} else 0.1,
            "basic_needs": 0.75 if Concern.NEGLECT in concerns else 0.05,
            "young_or_disabled": 1.0 if young else 0.0,
            "out_of_school": 0.35
            if concerns & {Concern.NEGLECT, Concern.BULLYING, Concern.MISSING}
            else 0.05,
            "no_support": 0.25,
        }
        for q in self.questions:
            roll = rng.random()
            if roll < likely.get(q.code, 0.1):
                answers[q.code] = "yes"
            else:
                answers[q.code] = "unknown" if rng.random() < 0.06 else "no"
        immediate = urgency == Urgency.IMMEDIATE and rng.random() < 0.4
        score, suggested = suggest_level(self.questions, answers, immediate_danger=immediate)
        levels = list(RiskLevel)
        index = levels.index(RiskLevel(suggested))
        if not immediate and rng.random() < 0.12:  # the specialist's judgement differs
            index = max(0, min(len(levels) - 1, index + rng.choice((-1, 1))))
        level = levels[index]
        if immediate:
            decision = self.pick(
                {
                    SafetyDecision.EMERGENCY: 40,
                    SafetyDecision.RELATIVES: 35,
                    SafetyDecision.SAFETY_PLAN: 25,
                }
            )
        elif level in (RiskLevel.HIGH, RiskLevel.CRITICAL):
            decision = self.pick({SafetyDecision.SAFETY_PLAN: 70, SafetyDecision.RELATIVES: 30})
        else:
            decision = self.pick({SafetyDecision.SAFE: 65, SafetyDecision.SAFETY_PLAN: 35})
        assessment: Assessment = rows.new(
            Assessment,
            case=case,
            performed_by=worker,
            performed_at=at,
            answers=answers,
            score=score,
            suggested_level=suggested,
            risk_level=level,
            reasoning=rng.choice(texts.ASSESSMENT_REASONING),
            immediate_danger=immediate,
            safety_decision=decision,
        )
        self.assessments.append(assessment)
        return assessment

    def plan(
        self, case: Case, worker: User, at: dt.datetime, code: str, kids: list[Child]
    ) -> CasePlan:
        rng = self.rng
        plan: CasePlan = rows.new(
            CasePlan,
            case=case,
            status=CasePlan.Status.SUBMITTED,
            submitted_by=worker,
            submitted_at=at,
            summary=rng.choice(texts.PLAN_SUMMARIES),
        )
        self.plans.append(plan)
        school = next((c.school for c in kids if c.school), None)
        for goal, action, kind in rng.sample(texts.PLAN_ACTIONS, rng.randint(2, 4)):
            if kind == "school" and school is not None:
                responsible = school
            else:
                responsible = self.orgs[code]["dept" if kind == "child_rights_dept" else kind][0]
            due = (at + DAY * rng.randint(7, 60)).date()
            item = rows.new(
                PlanAction,
                plan=plan,
                goal=goal,
                action=action,
                responsible=responsible,
                due_date=due,
            )
            self.actions.append(item)
            self.plan_actions.setdefault(id(plan), []).append(item)
        return plan

    def visit(self, case: Case, worker: User, kind: str, at: dt.datetime) -> None:
        at = min(self.workday(at), self.end - 7 * H)
        if at < case.opened_at:
            at = case.opened_at + H
        day = timezone.localdate(at, self.tz)
        self.visits.append(
            rows.new(
                Visit,
                case=case,
                kind=kind,
                visited_on=day,
                performed_by=worker,
                participants=texts.VISIT_PARTICIPANTS[kind],
                findings=self.rng.choice(texts.VISIT_FINDINGS[kind]),
            )
        )
        self.entry(at, worker, "visit_recorded", case=case, visited_on=day.isoformat())

    def transfer(self, case: Case, to_code: str, at: dt.datetime) -> None:
        target = self.orgs[to_code]["dept"][0]
        worker = case.worker
        self.transfers.append(
            Transfer(
                case=case,
                from_organisation=case.organisation,
                to_organisation=target,
                reason=self.rng.choice(texts.TRANSFER_REASONS),
                requested_by=worker,
                requested_at=at,
                due_at=at + self.deadline["transfer_acceptance"],
            )
        )
        case.version += 1
        self.entry(at, worker, "transfer_requested", case=case, to=target.name)

    # ---------------------------------------------------------------- build
    def build_reports(self, count: int, *, first: bool) -> None:
        """`count` reports over the whole period; the first chunk adds the personas' work."""
        rng = self.rng
        span = (self.end - self.start).total_seconds()
        # More reports in recent years (111 and school QR codes): density grows to today.
        moments = sorted(
            self.end - dt.timedelta(seconds=span * (1 - math.sqrt(rng.random())))
            for _ in range(count)
        )
        codes = [r.code for r in REGIONS]
        weights = [r.weight for r in REGIONS]
        scheduled: list[tuple[dt.datetime, dict[str, Any]]] = []
        for at in moments:
            scheduled.append((at - self.hours(0, 1), {"code": rng.choices(codes, weights)[0]}))
        for code in PERSONA_REGIONS if first else ():
            for sc in SCENARIOS:
                at = self.end - dt.timedelta(days=sc.days_ago) - self.hours(0, 3)
                scheduled.append(
                    (
                        at,
                        {
                            "code": code,
                            "scenario": sc,
                            "concern": sc.concern,
                            "status": Report.Status.SCREENED_IN,
                        },
                    )
                )
            for days, urgency, described in NEW_REPORTS:
                at = self.end - dt.timedelta(days=days)
                scheduled.append(
                    (
                        at,
                        {
                            "code": code,
                            "urgency": urgency,
                            "described": described,
                            "status": Report.Status.NEW,
                        },
                    )
                )
        scheduled.sort(key=lambda item: item[0])
        for at, spec in scheduled:
            if not self.families.get(spec["code"]):
                spec["code"] = next(c for c in codes if self.families.get(c))
            self.add_report(at=at, **spec)
        if first:
            self.add_transfers()

    def add_transfers(self) -> None:
        for from_code, to_code, days in TRANSFERS:
            at = self.end - dt.timedelta(days=days) + 10.5 * H
            candidates = [
                c
                for c in self.cases
                if c.region.region_code == from_code
                and c.status == S.ACTIVE
                and not c.restricted
                and self.last_event[id(c)] < at - H
            ]
            # The region's first caseworker asked: it shows in caseworker.<region>'s work.
            first = self.staff(from_code, "caseworker")
            candidates.sort(key=lambda c: c.worker is first)
            if candidates:
                self.transfer(candidates[-1], to_code, at)

    def save(self) -> None:
        for child, created in zip(self.children, self.child_created, strict=True):
            child.created_at = min(created, self.first_seen.get(id(child), created))
        for case, child in self.case_children:
            if case.region.region_code != child.region_code:  # as cases.services.links
                child.linked_beyond_region = True
        rows.write(Child, self.children)
        rows.write(FamilyMember, self.members)
        rows.write(Case, self.cases)
        through = Case.children.through
        pairs = list(dict.fromkeys((case.pk, child.pk) for case, child in self.case_children))
        rows.write(through, [through(case_id=a, child_id=b) for a, b in pairs])
        for report, created in zip(self.reports, self.report_created, strict=True):
            report.created_at = created
        rows.write(Report, self.reports)
        rows.write(ReportConcern, self.concerns)
        rows.write(ReportChild, self.links)
        rows.write(Assessment, self.assessments)
        rows.write(CasePlan, self.plans)
        rows.write(PlanAction, self.actions)
        rows.write(Visit, self.visits)
        rows.write(PoliceNotification, self.notices)
        rows.write(Transfer, self.transfers)
        for item, report in self.joined:
            item.details = {"reference": report.reference}
        self.timeline.sort(key=lambda e: e.at)
        rows.write_values(
            TimelineEntry,
            ("case_id", "report_id", "at", "actor_id", "kind", "details"),
            (
                (
                    e.case and e.case.pk,
                    e.report and e.report.pk,
                    e.at,
                    e.actor.pk,
                    e.kind,
                    json.dumps(e.details, ensure_ascii=False),
                )
                for e in self.timeline
            ),
        )
        self.counts = Counter(
            children=len(self.children),
            family_members=len(self.members),
            reports=len(self.reports),
            cases=len(self.cases),
            timeline_entries=len(self.timeline),
            visits=len(self.visits),
            police_notifications=len(self.notices),
            plans=len(self.plans),
        )

    def chunk_sizes(self) -> list[tuple[int, int]]:
        """(children, reports) of each chunk: reports in proportion to children."""
        sizes = []
        made = reported = 0
        while made < self.n_children:
            children = min(self.chunk, self.n_children - made)
            made += children
            reports = round(self.n_reports * made / self.n_children) - reported
            reported += reports
            sizes.append((children, reports))
        return sizes

    def build(self) -> Counter[str]:
        """Reference data and staff in one transaction, then one per chunk of children."""
        with transaction.atomic():
            self.build_places()
            self.build_organisations()
            self.build_users()
            self.build_staff()
            directory_entries = build_directory(self)
        self.used_iins = {i for i in Child.objects.values_list("iin", flat=True) if i}
        chunks = list(enumerate(self.chunk_sizes()))
        # A build of several chunks loads its tables without keys and indexes (see
        # rows.bulk_load); one chunk, as `qorgau demo` and the tests build, needs not.
        loading = rows.bulk_load(BULK) if len(chunks) > 1 else contextlib.nullcontext()
        with loading:
            if self.jobs > 1 and len(chunks) > 1 and connection.vendor == "postgresql":
                global _forked
                _forked = self
                connections.close_all()  # each process opens its own
                with multiprocessing.get_context("fork").Pool(self.jobs) as pool:
                    for counts in pool.imap_unordered(_build_forked, chunks):
                        self.counts += counts
            else:
                for index, sizes in chunks:
                    self.counts += self.build_chunk(index, *sizes)
        referrals = (
            build_referrals(self, PERSONA_REGIONS)
            + build_programmes_and_housing(self, PERSONA_REGIONS)
            + build_screenings(self, PERSONA_REGIONS)
            + build_casework(self, PERSONA_REGIONS)
        )
        return Counter(users=len(self.users), providers=directory_entries) + self.counts + referrals

    def build_chunk(self, index: int, children: int, reports: int) -> Counter[str]:
        """Build and write one chunk in one transaction; its counts."""
        self.start_chunk(index)
        self.counts = Counter()
        with transaction.atomic():
            self.build_children(children, first=index == 0)
            self.build_reports(reports, first=index == 0)
            self.save()
        return self.counts


# The tables a chunk writes.
BULK = (
    Child,
    FamilyMember,
    Case,
    Case.children.through,
    Report,
    ReportConcern,
    ReportChild,
    Assessment,
    CasePlan,
    PlanAction,
    Visit,
    PoliceNotification,
    Transfer,
    TimelineEntry,
)
_forked: Builder | None = None  # the builder a forked worker process inherits


def _build_forked(chunk: tuple[int, tuple[int, int]]) -> Counter[str]:
    index, (children, reports) = chunk
    try:
        return _forked.build_chunk(index, children, reports)  # type: ignore[union-attr]
    finally:
        connections.close_all()


def build_demo(
    *,
    children: int,
    seed: int,
    today: dt.date | None = None,
    reports: int | None = None,
    chunk: int = CHUNK_CHILDREN,
    cases_per_worker: float = CASES_PER_WORKER,
    jobs: int = 1,
) -> Counter[str]:
    """Build the dataset, one transaction per chunk; the caller checks no demo exists yet."""
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise ValueError("The demo data cannot end in the future.")
    builder = Builder(
        children=children,
        seed=seed,
        today=today,
        reports=reports,
        chunk=chunk,
        cases_per_worker=cases_per_worker,
        jobs=jobs,
    )
    counts = builder.build()
    # The bulk load bypasses the services that keep monitoring's rollups: count it all.
    rebuilt = rollups.rebuild()
    counts["rollup_cells"] = rebuilt.report_cells + rebuilt.case_cells
    return counts
