"""What linkage records: confirmed new children, access requests, merges (never deletes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Organisation
from qorgau.cases.models import ReportChild
from qorgau.children.models import Child

USER = settings.AUTH_USER_MODEL


class DistinctConfirmation(models.Model):
    """A child registered although likely existing records were shown: who said so."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="+")
    # The records shown, as ids and scores only: [{"child": 12, "score": 85}, ...].
    candidates = models.JSONField()
    confirmed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"child {self.child_id} confirmed new by user {self.confirmed_by_id}"


class AccessRequest(models.Model):
    """A request to the office that owns a matching child the requester may not see.

    Accepted, it links the requester's report to the record (if it names one) and
    opens the child's record, not its cases, to the requester for OPEN_DAYS.
    """

    OPEN_DAYS = 30

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("office asked")
    )
    # The described child of a report the requester wants linked to the record.
    report_child = models.ForeignKey(
        ReportChild, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="linkage_request_inbox_idx"),
            # The requester's own requests, and the gate's "accepted for me" (access.py).
            models.Index(fields=["requested_by", "status"], name="linkage_request_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"access request {self.pk} for child {self.child_id}"


class ChildMerge(models.Model):
    """Two records of one child made one; the merged record stays, pointing at the kept.

    `moved` lists every row that was moved (by id), so an unmerge puts back exactly
    what the merge moved and nothing that was added to the kept record since.
    """

    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_out")
    reason = models.TextField(_("reason"))
    moved = models.JSONField()
    # A person, or for an automatic merge the linkage system account (see `automatic`).
    merged_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged"))
    # Made by `qorgau link run` above the high threshold while auto-merge was on.
    automatic = models.BooleanField(_("merged automatically"), default=False)
    undone_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undo_reason = models.TextField(_("reason for undoing"), blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            # A record is merged into at most one other at a time.
            models.UniqueConstraint(
                fields=["merged"],
                condition=models.Q(undone_at__isnull=True),
                name="child_merged_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("merged")), name="child_merge_two_records"
            ),
        ]

    def __str__(self) -> str:
        return f"child {self.merged_id} merged into {self.kept_id}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class LinkRun(models.Model):
    """One run of the batch linkage model over the registry (`qorgau link run`)."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    children = models.PositiveIntegerField(_("children compared"), default=0)
    pairs = models.PositiveIntegerField(_("pairs found"), default=0)
    review_threshold = models.FloatField(_("review from"))
    high_threshold = models.FloatField(_("proposed as duplicates from"))
    # splink's model: the settings and the estimated m and u of every comparison level.
    # Parameters only, no personal data.
    model = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"link run {self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class CandidatePair(models.Model):
    """Two records the model thinks may be one child, for a person to decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        MERGED = "merged", _("Merged")
        DISTINCT = "distinct", _("Two children")
        SUPERSEDED = "superseded", _("Replaced by a later run")

    run = models.ForeignKey(LinkRun, on_delete=models.PROTECT, related_name="candidates")
    left = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pairs_left")
    right = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="pairs_right")
    probability = models.FloatField(_("match probability"))
    weight = models.FloatField(_("match weight"))
    # Per comparison: the level the pair fell in and its Bayes factor.
    evidence = models.JSONField(default=list)
    maybe_twins = models.BooleanField(_("may be twins or siblings"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "pk"]
        indexes = [
            models.Index(fields=["status", "left"], name="linkage_pair_left_idx"),
            models.Index(fields=["status", "right"], name="linkage_pair_right_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="linkage_pair_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"pair {self.left_id}-{self.right_id} ({self.probability:.3f})"

    @property
    def proposed(self) -> bool:
        """Above the run's high threshold, and not a possible twin."""
        return self.probability >= self.run.high_threshold and not self.maybe_twins


class MergeRequest(models.Model):
    """A merge of records owned by two offices: one office's supervisor asks, a
    supervisor of the other approves (which makes the merge) or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved and merged")
        DECLINED = "declined", _("Declined")

    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"))
    # The other office, whose supervisors approve.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("office asked")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("answer"), blank=True)
    merge = models.OneToOneField(
        ChildMerge, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="linkage_merge_request_inbox")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kept", "merged"],
                condition=models.Q(status="pending"),
                name="linkage_merge_request_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("merged")), name="linkage_merge_request_two"
            ),
        ]

    def __str__(self) -> str:
        return f"merge request {self.pk}: child {self.merged_id} into {self.kept_id}"


class AutoMergeSwitch(models.Model):
    """Whether `qorgau link run` merges pairs above the high threshold without a person.

    Append-only: every change is a new row (who, when, why), the newest one is in
    force, and with no row auto-merge is off.
    """

    enabled = models.BooleanField(_("merge automatically"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"auto-merge {'on' if self.enabled else 'off'} from {self.changed_at:%Y-%m-%d}"
