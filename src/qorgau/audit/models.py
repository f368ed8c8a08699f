"""The access log (append-only, hash-chained) and the field history of personal records."""

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register

from qorgau.accounts.models import ApprovalDelegation
from qorgau.cases.models import (
    Assessment,
    Case,
    CasePlan,
    PlanAction,
    PoliceNotification,
    Report,
    Transfer,
    Visit,
)
from qorgau.children.models import Child, FamilyMember


class AppendOnlyError(Exception):
    """The access log is written once: no update, no delete."""


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CHANGE = "change", _("Changed")
    REFUSED = "refused", _("Refused")
    SEARCH = "search", _("Search")
    LIST = "list", _("List")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    EMERGENCY = "emergency", _("Emergency access")
    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    MERGE = "merge", _("Merge of records")
    UNMERGE = "unmerge", _("Merge undone")
    MERGE_REQUEST = "merge_req", _("Merge asked of another office")
    MERGE_DECLINE = "merge_decl", _("Merge declined")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class RecordKind(models.TextChoices):
    CHILD = "child", _("Child")
    REPORT = "report", _("Report")
    CASE = "case", _("Case")
    ACCESS_LOG = "access_log", _("Access log")
    ACCOUNT = "account", _("User account")
    STATISTICS = "statistics", _("Aggregate statistics")  # suppressed tables, no records
    REFERRAL = "referral", _("Referral")


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    """Refuses every bulk write: entries are appended one by one by `audit.log`."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the access log cannot be deleted from")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log cannot be updated")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("entries are appended one at a time, through audit.log")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log cannot be updated")


class AccessLogEntry(models.Model):
    """One access to personal data. Never personal data itself: ids, kinds, hashes.

    An entry is inserted unsealed (`seq`, `prev_hash` and `hash` empty) and sealed
    into the chain later, in batches (`qorgau audit seal`, ADR 0009): then `hash` is
    an HMAC over the canonical form of every other field, `prev_hash` included, so
    altering, removing or reordering a sealed entry breaks the chain
    (`qorgau audit verify`).
    """

    # Chain order, given by the sealer; `id` is the order of insertion.
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, null=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # The user as they were: a plain id and a snapshot of the name, no foreign key,
    # so nothing done to the user ever touches the log.
    actor_id = models.BigIntegerField(_("user id"), null=True, db_index=True)
    actor_username = models.CharField(_("user name"), max_length=150, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    record_kind = models.CharField(_("record kind"), max_length=20, choices=RecordKind.choices)
    record_id = models.BigIntegerField(_("record id"), null=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    url_name = models.CharField(_("page or endpoint"), max_length=100, blank=True)
    path = models.CharField(_("path"), max_length=500, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Searches: the query folded and keyed-hashed, never its text.
    query_hash = models.CharField(_("query hash"), max_length=64, blank=True)
    result_count = models.IntegerField(_("results"), null=True)
    # NULL until sealed, not "": unique columns, and every unsealed entry lacks them.
    prev_hash = models.CharField(max_length=64, unique=True, null=True)  # noqa: DJ001
    hash = models.CharField(max_length=64, unique=True, null=True)  # noqa: DJ001

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        indexes = [
            models.Index(fields=["record_kind", "record_id", "at"], name="accesslog_record_idx"),
            # The sealer's queue: small, however long the log grows.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="accesslog_unsealed_idx"
            ),
        ]

    def __str__(self) -> str:
        who = self.actor_username or self.channel
        return f"#{self.pk} {who} {self.action} {self.record_kind}:{self.record_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("an access log entry cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("an access log entry cannot be deleted")


# Field history of every personal and case record (django-simple-history). The
# historical models live in this app, so the records' own apps stay unchanged.
# `version` is excluded: services bump it with an F() expression, and it is no fact
# about the child or the case. `search_key` is derived from the names, `iin_hash` from
# the IIN (which is kept, encrypted), `region_code` from the place (kept), and
# `linked_beyond_region` is the access gate's index mark, no fact either.
HISTORY_EXCLUDED = {
    Child: ["search_key", "iin_hash", "version", "region_code", "linked_beyond_region"],
    Report: ["region_code"],
    Case: ["version"],
}
TRACKED_MODELS = (
    Child,
    FamilyMember,
    Report,
    Case,
    Assessment,
    CasePlan,
    PlanAction,
    Visit,
    PoliceNotification,
    Transfer,
    ApprovalDelegation,  # who handed whose approvals to whom, and who ended it
)
for _model in TRACKED_MODELS:
    register(
        _model,
        app=__name__.rsplit(".", 1)[0],
        excluded_fields=HISTORY_EXCLUDED.get(_model, []),
        user_db_constraint=False,
    )
