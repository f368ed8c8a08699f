from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Organisation
from qorgau.cases.choices import (
    ClosureReason,
    Concern,
    Outcome,
    ReporterType,
    RiskLevel,
    SafetyDecision,
    ScreenOutReason,
    Urgency,
)
from qorgau.children.models import Child
from qorgau.places.models import Place
from qorgau.protection.fields import EncryptedCharField, EncryptedJSONField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


class ScreenOutReview(models.TextChoices):
    NOT_DRAWN = "", _("Not drawn for review")
    PENDING = "pending", _("Awaiting a supervisor's review")
    UPHELD = "upheld", _("Screening out upheld")
    REOPENED = "reopened", _("Reopened for screening")


class Report(models.Model):
    """A report that a child may be at risk: the start of all case work."""

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting screening")
        SCREENED_IN = "screened_in", _("Screened in")
        SCREENED_OUT = "screened_out", _("Screened out")

    received_at = models.DateTimeField(_("received at"))
    reporter_type = models.CharField(_("who reported"), max_length=20, choices=ReporterType.choices)
    # Who reported and how to reach them is confidential: never shown to the family.
    # Personal and sensitive text is encrypted at rest (docs/adr/0005).
    reporter_name = EncryptedCharField(_("reporter's name"), max_length=200, blank=True)
    reporter_contact = EncryptedCharField(_("reporter's contact"), max_length=200, blank=True)
    incident_date = models.DateField(_("when it happened"), null=True, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("where it happened")
    )
    # The region of the place (its KATO code's first two digits), kept by the services:
    # the screening queue's index leads with it (cases 0010), so a region's queue never
    # reads the country's overdue reports.
    region_code = models.CharField(max_length=2, editable=False)
    incident_address = models.CharField(_("address or location"), max_length=300, blank=True)
    narrative = EncryptedTextField(_("what was reported"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.NEW
    )
    screening_due_at = models.DateTimeField(_("screening due"))
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    screened_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screened by"),
    )
    screen_out_reason = models.CharField(
        _("reason"), max_length=20, choices=ScreenOutReason.choices, blank=True
    )
    screening_note = models.TextField(_("screening note"), blank=True)
    # A screened-out report may be drawn for a supervisor's review (QORGAU_SCREEN_OUT_REVIEW).
    review = models.CharField(
        _("review of the screening out"),
        max_length=10,
        choices=ScreenOutReview.choices,
        blank=True,
        default="",
        db_default="",
    )
    reviewed_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True, db_default="")
    case = models.ForeignKey(
        "Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="reports_created",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["status", "screening_due_at"], name="report_queue_idx"),
            # A region's screening queue, in due order (access.reports_to_screen_visible_to).
            models.Index(
                fields=["status", "region_code", "screening_due_at"],
                name="report_region_queue_idx",
            ),
            # Statistics count a period's reports by region: the place rides along in the
            # index (PostgreSQL), so the period is read from the index alone.
            models.Index(fields=["received_at"], include=["place"], name="report_received_idx"),
            # The supervisors' review queue: only the few reports waiting for review.
            models.Index(
                fields=["screened_at"],
                condition=models.Q(review="pending"),
                name="report_review_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="screened_out") | ~models.Q(screen_out_reason=""),
                name="report_screened_out_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(region_code__regex=r"^[0-9]{2}$"),
                name="report_region_code_set",
            ),
            # Screening in is what gives a report its case: the queue's visibility is the
            # territory's alone (access.reports_to_screen_visible_to).
            models.CheckConstraint(
                condition=~models.Q(status="new") | models.Q(case__isnull=True),
                name="report_awaiting_screening_has_no_case",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("report-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"R-{self.received_at:%Y}-{self.pk:06d}"

    @property
    def concern_codes(self) -> list[str]:
        return [c.concern for c in self.concerns.all()]


class ReportConcern(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="concerns")
    concern = models.CharField(max_length=20, choices=Concern.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "concern"], name="report_concern_once")
        ]

    def __str__(self) -> str:
        return self.get_concern_display()


class ReportChild(models.Model):
    """A child a report is about: known (linked to a record) or only described."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="report_links"
    )
    description = models.CharField(
        _("child as described"),
        max_length=300,
        blank=True,
        help_text=_("Name, age, school: whatever the reporter knows"),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "child"],
                condition=models.Q(child__isnull=False),
                name="report_child_once",
            ),
            models.CheckConstraint(
                condition=models.Q(child__isnull=False) | ~models.Q(description=""),
                name="report_child_known_or_described",
            ),
        ]

    def __str__(self) -> str:
        return str(self.child) if self.child_id else self.description


class Case(models.Model):
    class Status(models.TextChoices):
        ASSESSMENT = "assessment", _("Awaiting assessment")
        PLANNING = "planning", _("Case plan in preparation")
        PLAN_SUBMITTED = "plan_submitted", _("Case plan awaiting approval")
        ACTIVE = "active", _("Plan in progress")
        CLOSURE_REQUESTED = "closure_requested", _("Closure awaiting approval")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisation")
    )
    region = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("region"),
    )
    children = models.ManyToManyField(Child, related_name="cases", verbose_name=_("children"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASSESSMENT
    )
    worker = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="cases", verbose_name=_("caseworker")
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    # Sexual violence and suicide risk: only the worker, their supervisor and people
    # explicitly granted access may open the case.
    restricted = models.BooleanField(_("restricted"), default=False)
    opened_at = models.DateTimeField(_("opened"))
    assessment_due_at = models.DateTimeField(_("assessment due"), null=True, blank=True)
    plan_due_at = models.DateTimeField(_("plan due"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closure requested by"),
    )
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closure_note = EncryptedTextField(_("closure summary"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Optimistic concurrency: every change bumps it; a save based on an older
    # version is refused instead of silently overwriting someone else's work.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "region"], name="case_status_region_idx"),
            # The cases the user sees in other regions (access.children_visible_to).
            models.Index(fields=["organisation", "region"], name="case_organisation_region_idx"),
            models.Index(fields=["worker", "region"], name="case_worker_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("case-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"C-{self.opened_at:%Y}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class AssessmentQuestion(models.Model):
    """A question of the structured risk assessment. Questions are data, not code."""

    code = models.SlugField(unique=True)
    domain = models.CharField(max_length=40)
    text_kk = models.CharField(max_length=400)
    text_ru = models.CharField(max_length=400)
    text_en = models.CharField(max_length=400)
    weight = models.PositiveSmallIntegerField(default=1)
    # A "yes" to a red-flag question makes the suggested level at least high.
    red_flag = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code

    def text(self, lang: str) -> str:
        return {"kk": self.text_kk, "en": self.text_en}.get(lang, self.text_ru)


class Assessment(models.Model):
    class SignOff(models.TextChoices):
        """A level below the instrument's suggestion waits for a supervisor's sign-off."""

        NOT_NEEDED = "", _("Not needed")
        PENDING = "pending", _("Awaiting sign-off")
        APPROVED = "approved", _("Lower level signed off")
        OVERRULED = "overruled", _("Overruled: the suggested level applies")
        SUPERSEDED = "superseded", _("Replaced by a newer assessment of the child")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("case")
    )
    # The child assessed: a case about siblings holds one assessment per child. Empty
    # only on assessments made before assessments were per child.
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("child"),
    )
    performed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    performed_at = models.DateTimeField(_("assessed at"))
    # question code -> "yes" / "no" / "unknown" (choices.Answer)
    answers = EncryptedJSONField(_("answers"), default=dict)
    score = models.PositiveIntegerField(_("score"))
    suggested_level = models.CharField(
        _("suggested risk level"), max_length=10, choices=RiskLevel.choices
    )
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    reasoning = EncryptedTextField(_("reasoning"))
    immediate_danger = models.BooleanField(_("child in immediate danger"), default=False)
    safety_decision = models.CharField(
        _("safety decision"), max_length=20, choices=SafetyDecision.choices
    )
    override_reason = EncryptedTextField(_("why lower than suggested"), blank=True, db_default="")
    signoff = models.CharField(
        _("sign-off"), max_length=10, choices=SignOff.choices, blank=True, default="", db_default=""
    )
    signed_off_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    signoff_note = EncryptedTextField(_("supervisor's note"), blank=True, db_default="")

    class Meta:
        ordering = ["-performed_at", "-pk"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        indexes = [
            # The supervisors' list of overrides, and "is a sign-off pending on this case".
            models.Index(
                fields=["case", "signoff"],
                condition=~models.Q(signoff=""),
                name="assessment_override_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signoff="") | ~models.Q(override_reason=""),
                name="assessment_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_risk_level_display()}"

    @property
    def effective_level(self) -> str:
        """The level that counts: until a supervisor signs a lower level off (or when
        they overrule it), the instrument's suggestion."""
        if self.signoff in (self.SignOff.PENDING, self.SignOff.OVERRULED):
            return self.suggested_level
        return self.risk_level


class CasePlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="plans", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    summary = EncryptedTextField(_("plan summary"))
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("supervisor's note"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("case plan")
        verbose_name_plural = _("case plans")

    def __str__(self) -> str:
        return f"{self.case} plan ({self.get_status_display()})"


class PlanAction(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(
        CasePlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("case plan")
    )
    goal = models.CharField(_("goal"), max_length=300)
    action = models.CharField(_("action or service"), max_length=300)
    responsible = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("responsible organisation"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    outcome_note = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self) -> str:
        return self.action


class Visit(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", _("Home visit")
        SCHOOL = "school", _("School visit")
        OFFICE = "office", _("Office meeting")
        PHONE = "phone", _("Phone follow-up")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="visits", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    visited_on = models.DateField(_("date"))
    performed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("visited by")
    )
    participants = models.CharField(_("who was present"), max_length=300, blank=True)
    findings = EncryptedTextField(_("findings"))

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


class VisitChild(models.Model):
    """A child seen on a visit, and whether alone (without the caregivers present)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="children_seen")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    seen_alone = models.BooleanField(_("seen alone"), default=False)

    class Meta:
        verbose_name = _("child seen")
        verbose_name_plural = _("children seen")
        constraints = [
            models.UniqueConstraint(fields=["visit", "child"], name="visit_child_once"),
        ]

    def __str__(self) -> str:
        return str(self.child)


class ContactNote(models.Model):
    """A contact beyond the formal visits: a call, a meeting, a message."""

    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        MEETING = "meeting", _("Meeting")
        MESSAGE = "message", _("Message")
        OTHER = "other", _("Other contact")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="contact_notes", verbose_name=_("case")
    )
    # Which child the contact was about; empty: the family or the case as a whole.
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about the child"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    contacted_on = models.DateField(_("date"))
    with_whom = EncryptedCharField(_("with whom"), max_length=300)
    summary = EncryptedTextField(_("what was said or agreed"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["case", "-contacted_on", "-id"], name="contact_note_case_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contacted_on}"


class PoliceNotification(models.Model):
    """The notification to the police that the law requires for a possible offence."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="police_notifications",
        verbose_name=_("case"),
    )
    concerns = models.CharField(_("concerns"), max_length=200)  # comma-separated Concern codes
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    police = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.POLICE},
        verbose_name=_("police unit"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    police_reference = models.CharField(_("police registration number"), max_length=100, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("police notification")
        verbose_name_plural = _("police notifications")
        indexes = [
            # The ones not sent by their deadline: the reminders, and the case-work
            # table's "late since earlier today" (a day's deadlines, not the country's).
            models.Index(
                fields=["due_at"],
                condition=models.Q(sent_at__isnull=True),
                name="police_unsent_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} police notification"

    @property
    def concern_labels(self) -> list[str]:
        return [str(Concern(c).label) for c in self.concerns.split(",") if c]


class Transfer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting acceptance")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case")
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sending organisation"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
        verbose_name=_("receiving organisation"),
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("acceptance due"))
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Shown to the sender, who keeps the case and needs to know what to do next.
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"


class TimelineEntry(models.Model):
    """What happened to a report or case, by whom and when.

    Written by the service that made the change, in the same transaction. The text is
    rendered from `kind` and `details` at display time, in the reader's language.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="timeline"
    )
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="timeline"
    )
    at = models.DateTimeField()
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="timeline_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


# Rollups of case data for monitoring (ADR 0015). `cases.rollups` keeps them current in
# the services' transactions; `qorgau rollups rebuild` recomputes them from the raw rows.


class ReportTally(models.Model):
    """How many reports of one month and district share one profile: who reported, how
    urgent, which concerns (a bit per concern) and which children (a bit per sex × age
    group at the report's date, either possibly not known): each report is counted in
    exactly one cell."""

    month = models.DateField()  # the first day of the local month the report was received
    region = models.CharField(max_length=2)  # the first two KATO digits, for grouping
    district = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    reporter_type = models.CharField(max_length=20)
    urgency = models.CharField(max_length=10)
    concerns = models.IntegerField()
    children = models.IntegerField()
    reports = models.IntegerField(default=0)
    screened = models.IntegerField(default=0)
    screened_in_time = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "month",
                    "district",
                    "reporter_type",
                    "urgency",
                    "concerns",
                    "children",
                ],
                name="report_tally_cell",
            )
        ]
        indexes = [models.Index(fields=["month", "region"], name="report_tally_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region}: {self.reports}"


class ReportTallied(models.Model):
    """The cell each report is counted in now, so that a change moves it exactly once."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    month = models.DateField()
    region = models.CharField(max_length=2)
    district = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    reporter_type = models.CharField(max_length=20)
    urgency = models.CharField(max_length=10)
    concerns = models.IntegerField()
    children = models.IntegerField()
    screened = models.BooleanField()
    screened_in_time = models.BooleanField()
    screening_bucket = models.SmallIntegerField(
        null=True
    )  # HoursTally's bucket; None: not screened

    def __str__(self) -> str:
        return f"{self.report_id} → {self.month:%Y-%m} {self.district_id}"


class RegionTally(models.Model):
    """Reports per month × region × who reported: what the unfiltered tables read (the
    cells of `ReportTally` summed over districts, urgencies, concerns and children)."""

    month = models.DateField()
    region = models.CharField(max_length=2)
    reporter_type = models.CharField(max_length=20)
    reports = models.IntegerField(default=0)
    screened = models.IntegerField(default=0)
    screened_in_time = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "reporter_type"], name="region_tally_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region} {self.reporter_type}: {self.reports}"


class ConcernTally(models.Model):
    """Reports per month × region × concern (a report with two concerns in both)."""

    month = models.DateField()
    region = models.CharField(max_length=2)
    concern = models.CharField(max_length=20)
    reports = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region", "concern"], name="concern_tally_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region} {self.concern}: {self.reports}"


class CaseTally(models.Model):
    """Cases opened and closed per month and region (open now = opened − closed)."""

    month = models.DateField()
    region = models.CharField(max_length=2)
    opened = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "region"], name="case_tally_cell")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region}: +{self.opened} -{self.closed}"


class CaseTallied(models.Model):
    """The months and region each case is counted under now."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    region = models.CharField(max_length=2)
    opened_month = models.DateField()
    closed_month = models.DateField(null=True)
    # Counted in OpenCaseTally (not closed) under its risk level ("" not assessed yet).
    open = models.BooleanField(default=False)
    risk_level = models.CharField(max_length=10, default="")
    first_visit_bucket = models.SmallIntegerField(null=True)  # None: no visit or no report

    def __str__(self) -> str:
        return f"{self.case_id} → {self.region}"


# Rollups of case work (ADR 0015, "Case-work rollups"): kept by cases.casework_tallies.


class HoursTally(models.Model):
    """A histogram of durations: how many reports (screening: by the month received) or
    cases (first visit: by the month opened) of a region took a bucket's hours
    (cases.casework_tallies.BUCKETS gives the edges)."""

    class Measure(models.TextChoices):
        SCREENING = "screening"
        FIRST_VISIT = "first_visit"

    measure = models.CharField(max_length=12, choices=Measure.choices)
    month = models.DateField()
    region = models.CharField(max_length=2)
    bucket = models.SmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "month", "region", "bucket"], name="hours_tally_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} {self.region} [{self.bucket}]: {self.n}"


class OpenCaseTally(models.Model):
    """Open cases now per region and risk level ("" not assessed yet)."""

    region = models.CharField(max_length=2)
    risk_level = models.CharField(max_length=10)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "risk_level"], name="open_case_tally_cell")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.risk_level or '-'}: {self.n}"


class PlanActionTally(models.Model):
    """Planned actions of approved plans of open cases per region and due day: overdue
    today is the sum of the days before today, so no nightly job moves anything."""

    region = models.CharField(max_length=2)
    due_date = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "due_date"], name="plan_action_tally_cell")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.due_date}: {self.n}"


class PlanActionTallied(models.Model):
    """An action counted in PlanActionTally now (actions not counted have no row)."""

    action = models.OneToOneField(
        PlanAction, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=2)
    due_date = models.DateField()

    def __str__(self) -> str:
        return f"{self.action_id} → {self.region} {self.due_date}"


class PoliceTally(models.Model):
    """Police notifications per region and local day due: sent, sent by the deadline, and
    not sent (late from the moment the deadline passes: the readers add today's raw)."""

    region = models.CharField(max_length=2)
    due_day = models.DateField()
    sent = models.IntegerField(default=0)
    in_time = models.IntegerField(default=0)
    unsent = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "due_day"], name="police_tally_cell")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.due_day}: {self.in_time}/{self.sent}, {self.unsent} not sent"


class PoliceTallied(models.Model):
    """The cell each police notification is counted in now."""

    notification = models.OneToOneField(
        PoliceNotification, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=2)
    due_day = models.DateField()
    sent = models.BooleanField()
    in_time = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.region} {self.due_day}"


class RepeatTally(models.Model):
    """Children by the local year, month and region of their last report in that year,
    and how many of them had that report within 365 days after their report before it
    ("reported again"). `latest`: the year is the child's last year with a report, so
    the rolling twelve months read the latest cells from their first month on."""

    year = models.SmallIntegerField()
    month = models.DateField()
    region = models.CharField(max_length=2)
    latest = models.BooleanField()
    children = models.IntegerField(default=0)
    again = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "region", "latest"], name="repeat_tally_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region}: {self.again}/{self.children}"


class ChildReportTallied(models.Model):
    """Per registered child and year with a report: its cell in RepeatTally."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField()
    month = models.DateField()
    region = models.CharField(max_length=2)
    latest = models.BooleanField()
    again = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "year"], name="child_report_tallied_year")
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.year} → {self.region}"
