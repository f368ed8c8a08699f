"""Every route, every persona: who gets the page and who gets a 404.

Adding a URL without declaring its rule in RULES makes this suite fail, so no route
ships without an access decision. Forbidden and non-existent look the same (404).
A rule that allows a redirect names where it leads (`redirect=`): a 302 to the login
or to the second-factor page is a refusal, never an allowance.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from personas import (
    USER_NAMES,
    make_case,
    make_child,
    make_referral,
    make_report,
    write_safety_plan,
)
from qorgau.accounts.services import delegation_create
from qorgau.attachments.services import attachment_add
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import PlanAction
from qorgau.children.services import family_member_add
from qorgau.grants.services import case_access_grant, emergency_access_start
from qorgau.linkage.models import CandidatePair, LinkRun, MergeRequest
from qorgau.linkage.services import access_request_create, child_merge
from qorgau.monitoring.services import stats_import
from qorgau.notifications.models import Kind, Notification
from qorgau.programmes.models import Indicator, Programme
from qorgau.referrals.services import housing_need_record
from qorgau.retention.exports import personal_data_export_create
from qorgau.retention.holds import legal_hold_place
from qorgau.surveys.models import Survey
from qorgau.workforce.models import Specialist

STAFF_PAVLODAR = {"caseworker_pavlodar", "caseworker2_pavlodar", "supervisor_pavlodar"}
STAFF = STAFF_PAVLODAR | {"caseworker_astana", "supervisor_astana"}
REPORTERS = {"operator_111", "school_reporter"}
SUPERVISORS = {"supervisor_pavlodar", "supervisor_astana"}
STATS = SUPERVISORS | {"regional_analyst_pavlodar", "national_analyst", "auditor"}
EVERYONE = set(USER_NAMES)
AUDITORS = {"auditor"}
COORDINATORS = {"coordinator_ministry", "coordinator_pavlodar"}
PROGRAMME_READERS = COORDINATORS | {"regional_analyst_pavlodar", "national_analyst"}
# Region 55's staffing: its own people and the national ones, never Astana's.
WORKFORCE_PAVLODAR = {
    "supervisor_pavlodar",
    "regional_analyst_pavlodar",
    "coordinator_pavlodar",
    "national_analyst",
    "coordinator_ministry",
}
PROVIDERS = {"provider_pavlodar"}
# Who reports dept_pavlodar's posts and specialists.
STAFFING_PAVLODAR = {"supervisor_pavlodar", "coordinator_pavlodar", "coordinator_ministry"}


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]  # personas that get 200 on GET
    args: str = ""  # which record the URL takes: "", "report", "child", "case", ...
    method: str = "get"
    # For POST-only routes: what an allowed persona gets for an empty form.
    allowed_status: tuple[int, ...] = (200,)
    # Where an allowed persona's 302 leads: a route name and the key of its arguments in
    # `records`. A redirect anywhere else (to the login, to the second factor) is a refusal.
    redirect: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if (302 in self.allowed_status) != (self.redirect is not None):
            raise ValueError("a rule that allows a 302 says where it leads (redirect=...)")


def rule(allowed: set[str], **kwargs: object) -> Rule:
    return Rule(allowed=frozenset(allowed), **kwargs)  # type: ignore[arg-type]


RULES: dict[str, Rule] = {
    "my-work": rule(EVERYONE),
    "approvals": rule(SUPERVISORS),
    "risk-overrides": rule(SUPERVISORS),
    # The live risk suggestion: who may assess the case (its worker and supervisor).
    "assessment-suggestion": rule(
        {"caseworker_pavlodar", "supervisor_pavlodar"}, args="case", method="post"
    ),
    "statistics": rule(STATS),
    "survey-list": rule(STATS),
    "survey-detail": rule(STATS, args="survey"),
    "statistics-export": rule(STATS, args="statistics-export"),
    "statistics-pdf": rule(STATS),
    # Official statistics are imported by national analysts only.
    "statistics-import": rule({"national_analyst"}),
    "report-new": rule(STAFF | REPORTERS),
    "report-detail": rule(STAFF_PAVLODAR | {"operator_111"}, args="report"),
    "report-link": rule(
        STAFF_PAVLODAR,
        args="report",
        method="post",
        allowed_status=(302,),
        redirect=("report-detail", "report"),
    ),
    "report-screen": rule(STAFF_PAVLODAR, args="report", method="post", allowed_status=(400,)),
    # Reviewing screened-out reports: supervisors who see the report.
    "screen-out-reviews": rule(SUPERVISORS),
    "screen-out-review": rule({"supervisor_pavlodar"}, args="report"),
    "child-search": rule(STAFF),
    "child-new": rule(STAFF),
    "child-detail": rule(STAFF_PAVLODAR, args="child"),
    "child-edit": rule(STAFF_PAVLODAR, args="child"),
    "family-member-edit": rule(STAFF_PAVLODAR, args="family-member"),
    "family-member-new": rule(STAFF_PAVLODAR, args="child", method="post", allowed_status=(400,)),
    "case-detail": rule(STAFF_PAVLODAR, args="case"),
    # caseworker2 sees the case but is not its worker: the action page sends them back.
    "case-action": rule(
        STAFF_PAVLODAR,
        args="case-action",
        allowed_status=(200, 302),
        redirect=("case-detail", "case"),
    ),
    # Recording a plan action's outcome: case staff who work on it get the case page
    # back with the empty form's errors on the action's row; others see no case.
    "plan-action": rule(STAFF_PAVLODAR, args="plan-action", method="post", allowed_status=(400,)),
    # The contact log: whoever sees the case reads it (caseworker2 without the form).
    "case-contacts": rule(STAFF_PAVLODAR, args="case"),
    "police-notification": rule(
        STAFF_PAVLODAR,
        args="police",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    # Prevention programmes and the workforce: aggregates, no personal data.
    "programme-list": rule(PROGRAMME_READERS),
    "programme-dashboard": rule(PROGRAMME_READERS, args="programme"),
    "programme-export": rule(PROGRAMME_READERS, args="programme"),
    "programme-pdf": rule(PROGRAMME_READERS, args="programme"),
    "programme-measures": rule(PROGRAMME_READERS, args="programme"),
    "programme-indicator": rule(PROGRAMME_READERS, args="programme-indicator"),
    "progress-report": rule(COORDINATORS, args="programme"),
    "indicator-value-report": rule(COORDINATORS, args="programme"),
    "activity-report": rule(COORDINATORS | {"school_reporter"}),
    "activity-upload": rule(COORDINATORS | {"school_reporter"}),
    "activity-late": rule(PROGRAMME_READERS),
    "workforce-overview": rule(SUPERVISORS | PROGRAMME_READERS),
    "workforce-region": rule(WORKFORCE_PAVLODAR, args="region"),
    # Posts and specialists: a department's supervisor, the coordinators of its region.
    "workforce-posts": rule(SUPERVISORS | COORDINATORS),
    "workforce-specialists": rule(STAFFING_PAVLODAR, args="department"),
    "workforce-specialist": rule(STAFFING_PAVLODAR, args="specialist"),
    "api-case-list": rule(STAFF),
    "api-case-detail": rule(STAFF_PAVLODAR, args="case"),
    "api-report-create": rule(STAFF | REPORTERS, method="post", allowed_status=(400,)),
    "api-report-status": rule(STAFF_PAVLODAR | {"operator_111"}, args="report"),
    "api-statistics": rule(STATS),
    "api-statistics-casework": rule(STATS),
    "api-referral-list": rule(STAFF | PROVIDERS),
    "api-referral-detail": rule(STAFF_PAVLODAR | PROVIDERS, args="referral"),
    "api-schema": rule(EVERYONE),
    # One's own account: setting up the second factor (already set up: sent on to
    # verify), entering a code, new recovery codes, confirming the password again.
    "two-factor-setup": rule(EVERYONE, allowed_status=(302,), redirect=("two-factor-verify", "")),
    "two-factor-verify": rule(EVERYONE),
    "recovery-codes-new": rule(EVERYONE),
    "reauthenticate": rule(EVERYONE),
    # Delegating one's approvals: supervisors; ending one only its delegator.
    "delegations": rule(SUPERVISORS),
    "delegation-revoke": rule(
        {"supervisor_pavlodar"},
        args="delegation",
        method="post",
        allowed_status=(302,),
        redirect=("delegations", ""),
    ),
    # Grants on a case: its organisation's supervisor; the form answers with a redirect.
    "grant-new": rule(
        {"supervisor_pavlodar"},
        args="case",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    "grant-revoke": rule(
        {"supervisor_pavlodar"},
        args="grant",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    # Emergency access: case staff, after confirming their password (hence the redirect).
    "emergency-access": rule(STAFF, allowed_status=(302,), redirect=("reauthenticate", "")),
    "emergency-review": rule(
        {"supervisor_pavlodar"},
        args="emergency",
        method="post",
        allowed_status=(302,),
        redirect=("my-work", ""),
    ),
    # Legal holds: supervisors who see the case; an empty reason is refused (400).
    "case-hold": rule({"supervisor_pavlodar"}, args="case", method="post", allowed_status=(400,)),
    # A hold on a child: supervisors who can see the child (an empty reason: a message).
    "child-hold": rule(
        {"supervisor_pavlodar"},
        args="child",
        method="post",
        allowed_status=(302,),
        redirect=("child-detail", "child"),
    ),
    "child-hold-lift": rule(
        {"supervisor_pavlodar"},
        args="child-hold",
        method="post",
        allowed_status=(302,),
        redirect=("child-detail", "child"),
    ),
    "case-hold-lift": rule(
        {"supervisor_pavlodar"},
        args="hold",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    # Exports of personal data: supervisors, after confirming their password (hence the
    # redirect); the download only for the supervisor who made the export.
    "export-new": rule(SUPERVISORS, allowed_status=(302,), redirect=("reauthenticate", "")),
    "export-download": rule({"supervisor_pavlodar"}, args="export"),
    # Attachments: case staff who see the record add files (the form answers with a
    # redirect to the record); a file is read by whoever the gate lets see its record.
    "case-attachment-add": rule(
        STAFF_PAVLODAR,
        args="case",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    # A report also takes files from the reporter who made it (the 111 operator here).
    "report-attachment-add": rule(
        STAFF_PAVLODAR | {"operator_111"},
        args="report",
        method="post",
        allowed_status=(302,),
        redirect=("report-detail", "report"),
    ),
    "child-attachment-add": rule(
        STAFF_PAVLODAR,
        args="child",
        method="post",
        allowed_status=(302,),
        redirect=("child-detail", "child"),
    ),
    "attachment-download": rule(STAFF_PAVLODAR, args="attachment"),
    # Removing a file: who attached it (caseworker_pavlodar) or a supervisor who sees it;
    # the empty form answers with a redirect to the case, saying a reason is needed.
    "attachment-remove": rule(
        {"caseworker_pavlodar", "supervisor_pavlodar"},
        args="attachment",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    # The printed case file (page and PDF): whoever the gate lets see the case.
    "case-print": rule(STAFF_PAVLODAR, args="case"),
    "case-pdf": rule(STAFF_PAVLODAR, args="case"),
    # Notifications: each person their own; opening one leads to its record.
    "notifications": rule(EVERYONE),
    "notifications-all-read": rule(
        EVERYONE, method="post", allowed_status=(302,), redirect=("notifications", "")
    ),
    "notification-open": rule(
        {"caseworker_pavlodar"},
        args="notification",
        method="post",
        allowed_status=(302,),
        redirect=("case-detail", "case"),
    ),
    # The team page (caseload, overdue by worker): supervisors.
    "team": rule(SUPERVISORS),
    # Change history: whoever the gate lets see the record, and auditors (no values).
    "child-history": rule(STAFF_PAVLODAR | AUDITORS, args="child"),
    "case-history": rule(STAFF_PAVLODAR | AUDITORS, args="case"),
    # One child, one record (qorgau.linkage): merging is for supervisors who see both
    # records; asking another office is for whoever registers children; the requests
    # to an office are answered by its supervisors.
    "child-duplicates": rule({"supervisor_pavlodar"}, args="child"),
    "child-merge": rule({"supervisor_pavlodar"}, args="child-pair"),
    "merge-undo": rule(
        {"supervisor_pavlodar"},
        args="merge",
        method="post",
        allowed_status=(302,),
        redirect=("child-detail", "merge-kept"),
    ),
    "access-requests": rule(SUPERVISORS),
    "access-requests-sent": rule(STAFF),
    "access-request-new": rule(
        STAFF, method="post", allowed_status=(302,), redirect=("child-search", "")
    ),
    "access-request-answer": rule(
        {"supervisor_pavlodar"},
        args="access-request",
        method="post",
        allowed_status=(302,),
        redirect=("access-requests", ""),
    ),
    # The batch model's review queue: supervisors, each pair for those who see both
    # records; its match weights (no personal data): administrators.
    "review-queue": rule(SUPERVISORS),
    "review-pair": rule({"supervisor_pavlodar"}, args="pair"),
    "link-model": rule({"administrator"}),
    # Switching automatic merging (an empty form: 400, nothing switched).
    "link-auto-merge": rule({"administrator"}, method="post", allowed_status=(400,)),
    # Merges across offices: the supervisors of the office asked to approve.
    "merge-requests": rule(SUPERVISORS),
    "merge-request": rule({"supervisor_pavlodar"}, args="merge-request"),
    # The access log: auditors only.
    "audit-search": rule(AUDITORS),
    "audit-child": rule(AUDITORS, args="child"),
    "audit-record": rule(AUDITORS, args="audit-record"),
    "audit-record-export": rule(AUDITORS, args="audit-record"),
    "audit-user": rule(AUDITORS, args="audit-user"),
    "audit-user-export": rule(AUDITORS, args="audit-user"),
    # A written reason in the log: auditors, after confirming their password (hence the
    # redirect).
    "audit-entry-reason": rule(
        AUDITORS, args="audit-entry", allowed_status=(302,), redirect=("reauthenticate", "")
    ),
    # The service directory: case staff search it; its department's supervisors keep it.
    "provider-directory": rule(STAFF),
    "provider-edit": rule({"supervisor_pavlodar"}, args="provider"),
    # A referral from a case: who works on it; caseworker2 sees the case but is not its
    # worker, and is sent back to the case page.
    "referral-new": rule(
        STAFF_PAVLODAR,
        args="case",
        allowed_status=(200, 302),
        redirect=("case-detail", "case"),
    ),
    # A referral: staff who see its case, and the provider it was sent to; only the
    # provider takes its steps (an empty form: back to the referral with the error).
    "referral-detail": rule(STAFF_PAVLODAR | PROVIDERS, args="referral"),
    "referral-step": rule(
        PROVIDERS,
        args="referral-step",
        method="post",
        allowed_status=(302,),
        redirect=("referral-detail", "referral"),
    ),
    "referral-inbox": rule(PROVIDERS),
    # Withdrawing: case staff who see the referral (an empty form: back to the referral
    # with the error; the service then lets only who works on the case withdraw).
    "referral-withdraw": rule(
        STAFF_PAVLODAR,
        args="referral",
        method="post",
        allowed_status=(302,),
        redirect=("referral-detail", "referral"),
    ),
    # Suicide-risk screening and the safety plan: who works on the case (caseworker2,
    # who only sees it, is sent back to it); the printable plan: whoever sees the case.
    "screening-new": rule(
        STAFF_PAVLODAR, args="case", allowed_status=(200, 302), redirect=("case-detail", "case")
    ),
    "safety-plan": rule(
        STAFF_PAVLODAR, args="case", allowed_status=(200, 302), redirect=("case-detail", "case")
    ),
    "safety-plan-print": rule(STAFF_PAVLODAR, args="safety-case"),
    "referral-office": rule(SUPERVISORS),
    # Referral and housing indicators (aggregates): supervisors (their office), regional
    # analysts (their region), national analysts (the country); not auditors.
    "referral-indicators": rule(SUPERVISORS | {"regional_analyst_pavlodar", "national_analyst"}),
    # A housing need on a case: who works on it; caseworker2 sees the case but is not its
    # worker, and is sent back to the case page.
    "housing-need-new": rule(
        STAFF_PAVLODAR, args="case", allowed_status=(200, 302), redirect=("case-detail", "case")
    ),
    "housing-need-resolve": rule(
        STAFF_PAVLODAR,
        args="housing",
        allowed_status=(200, 302),
        redirect=("case-detail", "case"),
    ),
}
# Routes outside the rule table, each for a stated reason.
UNRULED = {
    "login": "public by nature",
    "logout": "POST of one's own session",
    "set_language": "Django's language switch, no data",
}


def _named_routes(patterns: list, prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django admin: staff-only by Django's own checks
            names |= _named_routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_route_has_an_access_rule():
    routes = _named_routes(get_resolver().url_patterns)
    undeclared = routes - RULES.keys() - UNRULED.keys()
    assert not undeclared, f"routes without an access rule: {sorted(undeclared)}"
    assert not (RULES.keys() - routes), "rules for routes that no longer exist"


@pytest.fixture
def records(personas):
    case = make_case(
        worker=personas["caseworker_pavlodar"],
        supervisor=personas["supervisor_pavlodar"],
        status="assessment",
        concerns=("physical",),
    )
    report = make_report(actor=personas["operator_111"], place=personas.pavlodar_city)
    child = make_child(actor=personas["caseworker_pavlodar"], place=personas.pavlodar_city)
    link = report.children.get()
    stats_import(
        actor=None,
        kind="offences",
        file_name="offences.csv",
        content=b"year,region,group,count\n2024,55,sexual,12\n2025,55,sexual,9\n",
    )
    survey = Survey.objects.create(
        name="mics-access",
        title="Access test survey",
        layout=Survey.Layout.MICS6,
        imported_at=timezone.now(),
        folder="surveys/mics-access",
    )
    grant = case_access_grant(
        actor=personas["supervisor_pavlodar"],
        case=case,
        user=personas["caseworker2_pavlodar"],
        reason="Covers for the worker on leave",
    )
    emergency = emergency_access_start(
        actor=personas["caseworker_pavlodar"],
        case=case,
        reason="Police called at night about this child, worker unreachable",
    )
    hold = legal_hold_place(
        actor=personas["supervisor_pavlodar"], case=case, reason="Court proceedings"
    )
    member = family_member_add(
        actor=personas["caseworker_pavlodar"],
        child=child,
        relationship="mother",
        full_name="Synthetic Mother",
    )
    child_hold = legal_hold_place(
        actor=personas["supervisor_pavlodar"], child=child, reason="Custody proceedings"
    )
    export = personal_data_export_create(
        actor=personas["supervisor_pavlodar"], reason="Court request", password="x" * 16
    )
    active = make_case(
        worker=personas["caseworker_pavlodar"],
        supervisor=personas["supervisor_pavlodar"],
        status="active",
    )
    planned = PlanAction.objects.filter(plan__case=active).first()
    programme = Programme.objects.get(code="qazaqstan-balalary")
    indicator = Indicator.objects.create(
        programme=programme,
        code="1.1",
        name_kk="k",
        name_ru="r",
        unit="%",
        baseline_year=2025,
        baseline_value=1,
    )
    delegation = delegation_create(
        actor=personas["supervisor_pavlodar"],
        deputy=personas["caseworker2_pavlodar"],
        starts_on=timezone.localdate() + dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=40),
        reason="Leave",
    )
    referral = make_referral(case, actor=personas["caseworker_pavlodar"])
    need = housing_need_record(
        actor=personas["caseworker_pavlodar"],
        case=case,
        child=case.children.first(),
        kind="eviction_risk",
        identified_on=timezone.localdate(),
    )
    write_safety_plan(active, actor=personas["caseworker_pavlodar"])
    attachment = attachment_add(
        actor=personas["caseworker_pavlodar"],
        upload=SimpleUploadedFile("order.pdf", b"%PDF-1.4\n%%EOF\n"),
        case=case,
    )
    notification = Notification.objects.create(
        user=personas["caseworker_pavlodar"],
        kind=Kind.DEADLINE_SOON,
        key=f"case:{case.pk}:assessment",
        reference=case.reference,
        step="assessment",
        url=case.get_absolute_url(),
        created_at=timezone.now(),
    )
    twin = make_child(actor=personas["caseworker_pavlodar"], place=personas.pavlodar_city)
    kept, merged = (
        make_child(actor=personas["caseworker_pavlodar"], place=personas.pavlodar_city)
        for _ in range(2)
    )
    merge = child_merge(
        actor=personas["supervisor_pavlodar"], kept=kept, merged=merged, reason="One girl"
    )
    asked = access_request_create(actor=personas["caseworker_astana"], child=child)
    run = LinkRun.objects.create(
        started_at=timezone.now(),
        finished_at=timezone.now(),
        review_threshold=0.5,
        high_threshold=0.99,
    )
    pair = CandidatePair.objects.create(
        run=run, left=child, right=twin, probability=0.8, weight=2.0, evidence=[]
    )
    merge_request = MergeRequest.objects.create(
        kept=child,
        merged=twin,
        reason="One girl",
        requested_by=personas["supervisor_astana"],
        requested_at=timezone.now(),
        organisation=personas.dept_pavlodar,
    )
    specialist = Specialist.objects.create(
        organisation=personas.dept_pavlodar,
        full_name="Aigerim Test",
        position="Chief specialist",
        started_on=dt.date(2025, 1, 1),
    )
    return {
        "department": {"pk": personas.dept_pavlodar.pk},
        "specialist": {"pk": specialist.pk},
        "pair": {"pk": pair.pk},
        "merge-request": {"pk": merge_request.pk},
        "child-pair": {"pk": child.pk, "other": twin.pk},
        "merge": {"pk": merge.pk},
        "merge-kept": {"pk": kept.pk},
        "access-request": {"pk": asked.pk},
        "notification": {"pk": notification.pk},
        "attachment": {"pk": attachment.pk},
        "delegation": {"pk": delegation.pk},
        "safety-case": {"pk": active.pk},
        "provider": {"pk": personas.family_centre_pavlodar.provider.pk},
        "referral": {"pk": referral.pk},
        "housing": {"pk": case.pk, "need_pk": need.pk},
        "referral-step": {"pk": referral.pk, "step": "decline"},
        "plan-action": {"pk": active.pk, "action_pk": planned.pk},
        "hold": {"pk": case.pk, "hold_pk": hold.pk},
        "child-hold": {"pk": child.pk, "hold_pk": child_hold.pk},
        "family-member": {"pk": child.pk, "member_pk": member.pk},
        "export": {"export_id": export.pk},
        "grant": {"pk": grant.pk},
        "emergency": {"pk": emergency.pk},
        "post:report-link": {"link": link.pk, "child": child.pk},
        "": {},
        "report": {"pk": report.pk},
        "child": {"pk": child.pk},
        "case": {"pk": case.pk},
        "audit-record": {"kind": "case", "pk": case.pk},
        "audit-user": {"username": "caseworker_pavlodar"},
        "audit-entry": {"pk": AccessLogEntry.objects.get(action="emergency").pk},
        "survey": {"name": survey.name},
        "programme": {"code": programme.code},
        "programme-indicator": {"code": programme.code, "indicator": indicator.code},
        "region": {"kato": personas.pavlodar.kato},
        "statistics-export": {"table": "offences", "fmt": "csv"},
        "case-action": {"pk": case.pk, "action": "assess"},
        "police": {
            "pk": case.pk,
            "notification_pk": case.police_notifications.get().pk,
            "step": "acknowledge",
        },
    }


def _request(client, name: str, rule_: Rule, records):
    url = reverse(name, kwargs=records[rule_.args])
    if rule_.method == "post":
        data = records.get(f"post:{name}", {})
        if name.startswith("api-"):  # the API takes JSON only
            return client.post(url, data, content_type="application/json")
        return client.post(url, data)
    return client.get(url)


def _outcome(response) -> int | str:
    """The status, or for a redirect the path it leads to: one 302 is not another."""
    if response.status_code == 302:
        return f"302 {urlsplit(response['Location']).path}"
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_each_persona_gets_exactly_what_the_rule_allows(client, personas, records, name):
    rule_ = RULES[name]
    allowed: set[int | str] = {s for s in rule_.allowed_status if s != 302}
    if rule_.redirect is not None:
        target, args = rule_.redirect
        allowed.add(f"302 {reverse(target, kwargs=records[args])}")
    outcomes = {}
    for persona in USER_NAMES:
        client.force_login(personas[persona])
        outcomes[persona] = _outcome(_request(client, name, rule_, records))
        client.logout()
    leaks = {p: s for p, s in outcomes.items() if p not in rule_.allowed and s != 404}
    refused = {p: s for p, s in outcomes.items() if p in rule_.allowed and s not in allowed}
    assert not leaks, f"{name}: personas that must get 404 did not: {leaks}"
    assert not refused, (
        f"{name}: allowed personas got {refused}, expected {sorted(allowed, key=str)}"
    )


@pytest.mark.parametrize("name", sorted(RULES))
def test_anonymous_visitors_get_nothing(client, records, name):
    rule_ = RULES[name]
    response = _request(client, name, rule_, records)
    if name.startswith("api-"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
