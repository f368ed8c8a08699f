"""The home page's lists and the supervisor's queues as django-tables2 tables with
django-filter filters: sortable by their columns, filtered, paged lazily (no COUNT;
see `qorgau.tables`).

Each list has its own prefix beside the other lists of the page:
?cases=2 &cases-sort=opened_at &cases-risk_level=high, ?screen=2 &screen-urgency=urgent...
"""

import datetime as dt
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from qorgau.cases.choices import RiskLevel, ScreenOutReason, Urgency
from qorgau.cases.models import Assessment, Case, CasePlan, Report, Transfer
from qorgau.cases.selectors import Overdue
from qorgau.grants.models import EmergencyAccess
from qorgau.safety.models import Screening
from qorgau.tables import DateColumn

# Its parameters beside the other lists of the page:
# ?cases=2 &cases-sort=opened_at &cases-risk_level=high
PAGE_PARAM = "cases"


def _link(url: str, text: object) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text)


def _concerns(report: Report) -> SafeString:
    return format_html_join(", ", "{}", ((str(c),) for c in report.concerns.all()))


def _risk(level: str, label: object) -> SafeString:
    if not level:
        return format_html("{}", "—")
    return format_html('<span class="risk risk-{}">{}</span>', level, label)


class _Meta:
    attrs = {"tabindex": "0"}


# My cases ------------------------------------------------------------------------------


class MyCasesFilter(django_filters.FilterSet):
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Case.Status.choices if c[0] != Case.Status.CLOSED],
        empty_label=_("Any"),
    )

    class Meta:
        model = Case
        fields = ["risk_level", "status"]


class MyCasesTable(tables.Table):
    reference = tables.Column(verbose_name=_("Case"), order_by=("opened_at", "pk"))
    children = tables.Column(verbose_name=_("Children"), orderable=False, empty_values=())
    risk_level = tables.Column(verbose_name=_("Risk level"), order_by=("risk_rank",))
    status = tables.Column(verbose_name=_("Status"))
    opened_at = DateColumn(verbose_name=_("Opened"), format="SHORT_DATE_FORMAT")

    class Meta(_Meta):
        empty_text = _("You have no open cases.")

    def render_reference(self, record: Case) -> SafeString:
        link = _link(record.get_absolute_url(), record.reference)
        if record.restricted:
            return format_html('{} <span class="tag">{}</span>', link, _("restricted"))
        return link

    def render_children(self, record: Case) -> SafeString:
        return format_html_join("; ", "{}", ((c.full_name,) for c in record.children.all()))

    def render_risk_level(self, record: Case) -> SafeString:
        return _risk(record.risk_level, record.get_risk_level_display())


# Reports: to screen, and a reporter's own ---------------------------------------------


class ReportsToScreenFilter(django_filters.FilterSet):
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, empty_label=_("Any")
    )

    class Meta:
        model = Report
        fields = ["urgency"]


class MyReportsFilter(ReportsToScreenFilter):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Report.Status.choices, empty_label=_("Any")
    )

    class Meta:
        model = Report
        fields = ["status", "urgency"]


class _ReportsTable(tables.Table):
    reference = tables.Column(verbose_name=_("Report"), order_by=("received_at", "pk"))
    urgency = tables.Column(verbose_name=_("Urgency"), orderable=False)
    concerns = tables.Column(verbose_name=_("Concerns"), orderable=False, empty_values=())
    received_at = DateColumn(verbose_name=_("Received"), format="SHORT_DATETIME_FORMAT")

    def render_reference(self, record: Report) -> SafeString:
        return _link(record.get_absolute_url(), record.reference)

    def render_urgency(self, record: Report) -> SafeString:
        return format_html(
            '<span class="urgency urgency-{}">{}</span>',
            record.urgency,
            record.get_urgency_display(),
        )

    def render_concerns(self, record: Report) -> SafeString:
        return _concerns(record)


class ReportsToScreenTable(_ReportsTable):
    screening_due_at = DateColumn(verbose_name=_("Screen by"), format="SHORT_DATETIME_FORMAT")

    class Meta(_Meta):
        attrs = {"tabindex": "0", "class": "to-screen"}
        empty_text = _("No reports are waiting for screening.")
        sequence = ("reference", "urgency", "concerns", "received_at", "screening_due_at")


class MyReportsTable(_ReportsTable):
    status = tables.Column(verbose_name=_("Status"))

    class Meta(_Meta):
        attrs = {"tabindex": "0", "class": "my-reports"}
        empty_text = _("You have not recorded any reports yet.")
        order_by = ("-reference",)  # the newest first


# Approvals --------------------------------------------------------------------------


class ApprovalsFilter(django_filters.FilterSet):
    waiting = django_filters.ChoiceFilter(
        label=_("Waiting for"),
        choices=[
            ("plan", _("Case plan approval")),
            ("closure", _("Closure approval")),
            ("signoff", _("Risk level sign-off")),
        ],
        empty_label=_("Any"),
        method="waiting_for",
    )
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=_("Any")
    )

    class Meta:
        model = Case
        fields = ["waiting", "risk_level"]

    def waiting_for(self, rows: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if value == "plan":
            return rows.filter(status=Case.Status.PLAN_SUBMITTED)
        if value == "closure":
            return rows.filter(status=Case.Status.CLOSURE_REQUESTED)
        return rows.filter(Q(signoff_waiting=True))  # annotated by approvals_waiting


class ApprovalsTable(tables.Table):
    reference = tables.Column(verbose_name=_("Case"), order_by=("opened_at", "pk"))
    waiting = tables.TemplateColumn(
        template_name="web/_approval_waiting.html",
        verbose_name=_("Waiting for"),
        orderable=False,
        empty_values=(),
    )
    worker = tables.TemplateColumn(
        template_name="web/_approval_worker.html",
        verbose_name=_("Caseworker"),
        order_by=("worker__last_name", "worker__first_name", "worker__username"),
    )
    risk_level = tables.Column(verbose_name=_("Risk level"), order_by=("risk_rank",))

    class Meta(_Meta):
        attrs = {"tabindex": "0", "class": "approvals"}
        empty_text = _("Nothing is waiting for your approval.")

    def render_reference(self, record: Case) -> SafeString:
        return _link(record.get_absolute_url(), record.reference)

    def render_risk_level(self, record: Case) -> SafeString:
        return _risk(record.risk_level, record.get_risk_level_display())


class RiskOverridesFilter(django_filters.FilterSet):
    signoff = django_filters.ChoiceFilter(
        label=_("Sign-off"),
        choices=[c for c in Assessment.SignOff.choices if c[0]],
        empty_label=_("Any"),
    )

    class Meta:
        model = Assessment
        fields = ["signoff"]


class RiskOverridesTable(tables.Table):
    case = tables.Column(verbose_name=_("Case"), order_by=("case__opened_at", "case__pk"))
    child = tables.Column(verbose_name=_("Child"), orderable=False)
    risk_level = tables.Column(verbose_name=_("Chosen"), orderable=False)
    suggested_level = tables.Column(verbose_name=_("Suggested"), orderable=False)
    override_reason = tables.Column(verbose_name=_("Why lower"), orderable=False)
    performed_at = tables.Column(verbose_name=_("Assessed by"))
    signoff = tables.TemplateColumn(
        template_name="web/_risk_override_signoff.html",
        verbose_name=_("Sign-off"),
        orderable=False,
    )

    class Meta(_Meta):
        attrs = {"tabindex": "0", "id": "risk-overrides"}
        empty_text = _("No risk level has been chosen below the suggestion.")

    def render_case(self, record: Assessment) -> SafeString:
        return _link(record.case.get_absolute_url(), record.case.reference)

    def render_risk_level(self, record: Assessment) -> SafeString:
        return _risk(record.risk_level, record.get_risk_level_display())

    def render_suggested_level(self, record: Assessment) -> SafeString:
        return _risk(record.suggested_level, record.get_suggested_level_display())

    def render_override_reason(self, value: str) -> SafeString:
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in value.splitlines()))

    def render_performed_at(self, record: Assessment) -> str:
        return f"{record.performed_by}, {_date(record.performed_at)}"


def _date(moment: dt.datetime | None) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT") if moment else ""


class ScreenOutReviewsFilter(django_filters.FilterSet):
    screen_out_reason = django_filters.ChoiceFilter(
        label=_("Reason"), choices=ScreenOutReason.choices, empty_label=_("Any")
    )

    class Meta:
        model = Report
        fields = ["screen_out_reason"]


class ScreenOutReviewsTable(tables.Table):
    reference = tables.Column(verbose_name=_("Report"), order_by=("received_at", "pk"))
    screen_out_reason = tables.Column(verbose_name=_("Reason"))
    screening_note = tables.Column(verbose_name=_("Screening note"), orderable=False)
    screened_at = tables.Column(verbose_name=_("Screened by"))
    review = tables.TemplateColumn(
        template_name="web/_screen_out_review_link.html",
        verbose_name=_("Review"),
        orderable=False,
        empty_values=(),
    )

    class Meta(_Meta):
        attrs = {"tabindex": "0", "id": "screen-out-reviews"}
        empty_text = _("No screened-out report is waiting for review.")

    def render_reference(self, record: Report) -> SafeString:
        return format_html(
            "{}<br><small>{}</small>",
            _link(record.get_absolute_url(), record.reference),
            _concerns(record),
        )

    def render_screening_note(self, value: str) -> SafeString:
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in value.splitlines()))

    def render_screened_at(self, record: Report) -> str:
        return f"{record.screened_by}, {_date(record.screened_at)}"


# Transfers, returned plans, alerts -------------------------------------------------------


class IncomingTransfersFilter(django_filters.FilterSet):
    late = django_filters.ChoiceFilter(
        label=_("Acceptance"),
        choices=[("late", _("Past its deadline")), ("in_time", _("Within its deadline"))],
        empty_label=_("Any"),
        method="by_deadline",
    )

    class Meta:
        model = Transfer
        fields = ["late"]

    def by_deadline(self, rows: QuerySet[Transfer], name: str, value: str) -> QuerySet[Transfer]:
        late = Q(due_at__lt=timezone.now())
        return rows.filter(late) if value == "late" else rows.exclude(late)


class IncomingTransfersTable(tables.Table):
    case = tables.Column(verbose_name=_("Case"), order_by=("case__opened_at", "case__pk"))
    from_organisation = tables.Column(verbose_name=_("Transferred from"))
    requested_at = tables.Column(verbose_name=_("Requested"))
    reason = tables.Column(verbose_name=_("Reason"), orderable=False)
    due_at = DateColumn(verbose_name=_("Acceptance due"), format="SHORT_DATETIME_FORMAT")
    decide = tables.TemplateColumn(
        template_name="web/_transfer_decide.html",
        verbose_name=_("Decision"),
        orderable=False,
        empty_values=(),
    )

    class Meta(_Meta):
        attrs = {"tabindex": "0", "class": "transfers"}
        empty_text = _("No case is being transferred to you.")
        order_by = ("due_at",)

    def render_case(self, record: Transfer) -> SafeString:
        return _link(record.case.get_absolute_url(), record.case.reference)

    def render_requested_at(self, record: Transfer) -> str:
        return f"{_date(record.requested_at)}, {record.requested_by}"


class ReturnedPlansTable(tables.Table):
    case = tables.Column(verbose_name=_("Case"), order_by=("case__opened_at", "case__pk"))
    decided_at = tables.Column(verbose_name=_("Returned by"))
    decision_note = tables.Column(verbose_name=_("Supervisor's note"), orderable=False)

    class Meta(_Meta):
        empty_text = _("No plan is waiting for changes.")

    def render_case(self, record: CasePlan) -> SafeString:
        return _link(f"{record.case.get_absolute_url()}#returned-plan", record.case.reference)

    def render_decided_at(self, record: CasePlan) -> str:
        return f"{record.decided_by}, {_date(record.decided_at)}"


class EmergencyReviewsTable(tables.Table):
    user = tables.Column(
        verbose_name=_("Who"), order_by=("user__last_name", "user__first_name", "user__username")
    )
    case = tables.Column(verbose_name=_("Case"), order_by=("case__opened_at", "case__pk"))
    started_at = DateColumn(verbose_name=_("When"), format="SHORT_DATETIME_FORMAT")
    reason = tables.Column(verbose_name=_("Reason"), orderable=False)
    review = tables.TemplateColumn(
        template_name="grants/_review_form.html",
        verbose_name=_("Conclusion"),
        orderable=False,
        empty_values=(),
    )

    class Meta(_Meta):
        empty_text = _("No emergency access waits for review.")

    def render_user(self, record: EmergencyAccess) -> SafeString:
        return format_html("<strong>{}</strong>", record.user)

    def render_case(self, record: EmergencyAccess) -> str:
        return record.case.reference


class UnplannedScreensFilter(django_filters.FilterSet):
    result = django_filters.ChoiceFilter(
        label=_("Result"),
        choices=[c for c in Screening.Result.choices if c[0] != Screening.Result.NEGATIVE],
        empty_label=_("Any"),
    )

    class Meta:
        model = Screening
        fields = ["result"]


class UnplannedScreensTable(tables.Table):
    case = tables.Column(verbose_name=_("Case"), order_by=("case__opened_at", "case__pk"))
    result = tables.Column(verbose_name=_("Result"))
    safety_plan_due_at = DateColumn(
        verbose_name=_("Safety plan due"), format="SHORT_DATETIME_FORMAT"
    )

    class Meta(_Meta):
        empty_text = _("Every positive screen has its safety plan.")
        row_attrs = {"class": lambda record: "overdue" if record.result == "acute" else ""}

    def render_case(self, record: Screening) -> SafeString:
        return _link(record.case.get_absolute_url(), record.case.reference)


# Overdue work (several kinds in one list: a form, not a FilterSet) ----------------------

OVERDUE_KINDS = [
    ("screening", _("Screening")),
    ("assessment", _("Risk assessment")),
    ("plan", _("Case plan")),
    ("police", _("Police notification")),
    ("transfer", _("Transfer acceptance")),
    ("action", _("Plan action")),
]


class OverdueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"), choices=[("", _("Any")), *OVERDUE_KINDS], required=False
    )


class OverdueTable(tables.Table):
    kind = tables.Column(verbose_name=_("What"))
    reference = tables.Column(verbose_name=_("Record"))
    due = tables.Column(verbose_name=_("Was due"), order_by=("due_at",))

    class Meta(_Meta):
        attrs = {"tabindex": "0", "class": "overdue-mine"}
        empty_text = _("Nothing is overdue.")
        row_attrs = {"class": "overdue"}

    def render_kind(self, value: str) -> str:
        return str(dict(OVERDUE_KINDS).get(value, value))

    def render_reference(self, record: Overdue) -> SafeString:
        return _link(record.url, record.reference)

    def render_due(self, record: Overdue) -> str:
        if isinstance(record.due, dt.datetime):
            return date_format(timezone.localtime(record.due), "SHORT_DATETIME_FORMAT")
        return date_format(record.due, "SHORT_DATE_FORMAT")


def overdue_kinds(data: Any, *, prefix: str) -> tuple[OverdueFilterForm, set[str] | None]:
    """The filter form of the overdue list and the kinds it asks for (None: all)."""
    form = OverdueFilterForm(data, prefix=prefix)
    if not form.is_valid():
        return form, set()  # a bad value shows nothing rather than everything
    kind = form.cleaned_data["kind"]
    return form, ({kind} if kind else None)
