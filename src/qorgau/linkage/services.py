"""Writes for linkage: registering past likely matches, access requests, merge, unmerge,
merges across offices, automatic merges.

Each writes its access-log entry (and timeline entries of the reports and cases it
touches) in its own transaction.
"""

import datetime as dt
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.access import children_visible_to
from qorgau.accounts.models import Organisation, User
from qorgau.accounts.roles import Perm, Role
from qorgau.attachments.models import Attachment
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.cases import rollups, timeline
from qorgau.cases.models import Assessment, Case, ContactNote, Report, ReportChild, VisitChild
from qorgau.cases.services.links import children_mark_beyond_region
from qorgau.children.models import Child, FamilyMember
from qorgau.children.services import child_register
from qorgau.linkage.models import (
    AccessRequest,
    AutoMergeSwitch,
    CandidatePair,
    ChildMerge,
    DistinctConfirmation,
    LinkRun,
    MergeRequest,
)
from qorgau.linkage.runs import pairs_merged
from qorgau.linkage.scoring import LIKELY, Entered
from qorgau.linkage.selectors import (
    Candidate,
    active_merge_of,
    auto_merge_enabled,
    intake_candidates,
    office_of,
)
from qorgau.referrals.models import HousingNeed, Referral
from qorgau.retention.models import LegalHold
from qorgau.safety.models import SafetyPlan, Screening

_REQUEST_SALT = "qorgau.linkage.request"


class LikelyDuplicates(ValidationError):
    """Registering was refused: likely existing records, to be shown to the user."""

    def __init__(self, candidates: list[Candidate], message: str, code: str) -> None:
        super().__init__(message, code=code)
        self.candidates = candidates


def likely(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.points >= LIKELY]


@transaction.atomic
def child_register_checked(
    *, actor: User, confirmed_new: bool = False, caregiver_name: str = "", **fields: Any
) -> Child:
    """Register a child unless a likely existing record was not looked at first.

    A record with the same IIN can never be registered again. Likely matches (see
    scoring.LIKELY) refuse the registration until the user confirms the child is
    another one; the confirmation and the records shown are recorded.
    """
    place = fields.get("place")
    entered = Entered(
        last_name=fields.get("last_name", ""),
        first_name=fields.get("first_name", ""),
        middle_name=fields.get("middle_name", ""),
        birth_date=fields.get("birth_date"),
        iin=fields.get("iin") or "",
        kato=place.kato if place is not None else "",
        caregiver_name=caregiver_name,
    )
    candidates = intake_candidates(actor=actor, entered=entered)
    if any(c.same_iin for c in candidates):
        raise LikelyDuplicates(
            candidates, _("A child with this IIN is already registered."), code="same_iin"
        )
    shown = likely(candidates)
    if shown and not confirmed_new:
        raise LikelyDuplicates(
            candidates,
            _("This child may already be registered: look at the records below first."),
            code="likely_duplicate",
        )
    child = child_register(actor=actor, **fields)
    if caregiver_name.strip():
        FamilyMember.objects.create(
            child=child,
            relationship=FamilyMember.Relationship.OTHER,
            full_name=caregiver_name.strip(),
            is_caregiver=True,
        )
    if shown:
        DistinctConfirmation.objects.create(
            child=child,
            candidates=[{"child": c.child.pk, "score": c.points} for c in shown],
            confirmed_by=actor,
            confirmed_at=timezone.now(),
        )
    return child


# Access requests: the user may ask only about a child a candidate list offered them.
def request_token(*, actor: User, child: Child) -> str:
    return signing.dumps({"user": actor.pk, "child": child.pk}, salt=_REQUEST_SALT)


def child_from_token(*, actor: User, token: str) -> Child | None:
    try:
        data = signing.loads(token, salt=_REQUEST_SALT, max_age=dt.timedelta(hours=12))
    except signing.BadSignature:
        return None
    if data.get("user") != actor.pk:
        return None
    return Child.objects.select_related("place").filter(pk=data.get("child")).first()


@transaction.atomic
def access_request_create(
    *, actor: User, child: Child, report_child: ReportChild | None = None, note: str = ""
) -> AccessRequest:
    if not actor.has_perm_code(Perm.CHILD_REGISTER):
        raise ValidationError(_("Your role cannot ask for children's records."), code="forbidden")
    office = office_of(child)
    if office is None:
        raise ValidationError(_("No office is responsible for this child's place."), code="office")
    if len(note) > 500:
        raise ValidationError({"note": _("The note is longer than 500 characters.")})
    pending = AccessRequest.objects.filter(
        child=child, requested_by=actor, status=AccessRequest.Status.PENDING
    )
    if pending.exists():
        raise ValidationError(_("You have already asked about this child."), code="pending")
    return AccessRequest.objects.create(
        child=child,
        organisation=office,
        report_child=report_child,
        note=note.strip(),
        requested_by=actor,
        requested_at=timezone.now(),
    )


@transaction.atomic
def access_request_decide(*, actor: User, request: AccessRequest, accept: bool) -> AccessRequest:
    """The owning office answers; accepting links the report's child to the record."""
    if (
        not actor.has_perm_code(Perm.CHILD_MERGE)
        or actor.organisation_id != request.organisation_id
    ):
        raise ValidationError(_("Only the office's supervisors answer this."), code="forbidden")
    locked = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="answered")
    locked.status = AccessRequest.Status.ACCEPTED if accept else AccessRequest.Status.DECLINED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    link = locked.report_child
    if accept and link is not None:
        link = ReportChild.objects.select_for_update().get(pk=link.pk)
        if link.child_id is None:
            link.child = locked.child
            link.save(update_fields=["child"])
            rollups.retally_reports([link.report_id])  # the child's sex and age are known now
            timeline.record(
                actor=actor,
                kind="child_linked",
                report=link.report,
                child=locked.child.full_name,
            )
    elif link is not None:
        # The requester's report says so, without naming the other office's child.
        timeline.record(
            actor=actor,
            kind="access_request_declined",
            report=link.report,
            office=str(locked.organisation),
        )
    return locked


def _refuse_pair(kept: Child, merged: Child) -> None:
    """What makes two records impossible to merge, whoever asks."""
    if kept.pk == merged.pk:
        raise ValidationError(_("A record cannot be merged into itself."), code="same")
    if kept.iin and merged.iin and kept.iin != merged.iin:
        raise ValidationError(
            _("The records have different IINs: they are two children."), code="different_iin"
        )
    if active_merge_of(kept) or active_merge_of(merged):
        raise ValidationError(_("One of the records is already merged."), code="merged")
    if ChildMerge.objects.filter(kept=merged, undone_at__isnull=True).exists():
        raise ValidationError(
            _("Other records were merged into this one: merge it the other way round."),
            code="chain",
        )
    if VisitChild.objects.filter(
        child=kept, visit__in=VisitChild.objects.filter(child=merged).values("visit")
    ).exists():
        raise ValidationError(
            _("Both records were seen at the same visit: they are two children."),
            code="same_visit",
        )


def _refuse_merger(actor: User, kept: Child, merged: Child) -> None:
    """Who may merge: a supervisor who sees both records."""
    if not actor.has_perm_code(Perm.CHILD_MERGE):
        raise ValidationError(_("Your role cannot merge records."), code="forbidden")
    seen = children_visible_to(actor).filter(pk__in=[kept.pk, merged.pk]).count()
    if seen != len({kept.pk, merged.pk}):
        raise ValidationError(_("You can merge only records you can see."), code="forbidden")


def other_office(kept: Child, merged: Child) -> Organisation | None:
    """The second office whose supervisors must approve a merge, if the records have two."""
    first, second = office_of(kept), office_of(merged)
    return None if first == second else second


def _lock(kept: Child, merged: Child) -> tuple[Child, Child]:
    """Both records locked, in id order (no deadlock with a merge the other way round)."""
    ids = sorted({kept.pk, merged.pk})
    locked = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    return locked[kept.pk], locked[merged.pk]


# Rows about the child that move with it to the kept record, as (model, field). The
# report links and case memberships move by their own rules in child_merge.
_MOVED_ROWS: tuple[tuple[type[Model], str], ...] = (
    (FamilyMember, "child"),
    (LegalHold, "child"),
    (Assessment, "child"),
    (VisitChild, "child"),
    (ContactNote, "child"),
    (Attachment, "child"),
    (Referral, "child"),
    (HousingNeed, "child"),
    (Screening, "child"),
    (SafetyPlan, "child"),
)
# Every relation that points at a child ("app.Model.field"), and how a merge treats it.
# A relation added elsewhere and missing here makes tests/linkage fail: nothing is left
# behind silently.
MOVED_RELATIONS = {
    "cases.ReportChild.child",
    "cases.Case.children",
    "cases.Case_children.child",
} | {f"{model._meta.label}.{field}" for model, field in _MOVED_ROWS}
# The merge records themselves, the batch model's candidate pairs (which name the
# records as they were when the model ran, and are decided by their merge), decisions
# and requests about a record as it was, and field history, which stays as it was.
# Monitoring's count of children reported again is recounted for both children
# (`rollups.retally_reports(..., children=...)`), not moved.
UNMOVED_RELATIONS = {
    "cases.ChildReportTallied.child",
    "linkage.ChildMerge.kept",
    "linkage.ChildMerge.merged",
    "linkage.CandidatePair.left",
    "linkage.CandidatePair.right",
    "linkage.DistinctConfirmation.child",
    "linkage.AccessRequest.child",
    "linkage.MergeRequest.kept",
    "linkage.MergeRequest.merged",
    "audit.HistoricalFamilyMember.child",
    "audit.HistoricalAssessment.child",
}


@transaction.atomic
def child_merge(*, actor: User, kept: Child, merged: Child, reason: str) -> ChildMerge:
    """Move everything about `merged` to `kept`; `merged` stays, marked as merged.

    Records of two offices are merged by `merge_request_create` and
    `merge_request_decide` instead: both offices' supervisors decide.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these are one child.")})
    kept, merged = _lock(kept, merged)
    _refuse_merger(actor, kept, merged)
    _refuse_pair(kept, merged)
    if other_office(kept, merged) is not None:
        raise ValidationError(
            _("The records belong to different offices: ask the other office's supervisor."),
            code="offices",
        )
    return _merge(actor=actor, kept=kept, merged=merged, reason=reason)


def _merge(
    *, actor: User, kept: Child, merged: Child, reason: str, automatic: bool = False
) -> ChildMerge:
    """The merge itself, once every check passed and both records are locked."""
    moved: dict[str, Any] = {"reports": [], "cases": [], "rows": {}}
    kept_reports = set(kept.report_links.values_list("report_id", flat=True))
    for link in ReportChild.objects.select_for_update().filter(child=merged):
        entry = {"id": link.pk, "description": link.description}
        if link.report_id in kept_reports:
            # The report names both records: one child now, the other line keeps its text.
            link.child = None
            link.description = link.description or merged.full_name
            entry["unlinked"] = True
        else:
            link.child = kept
        link.save(update_fields=["child", "description"])
        moved["reports"].append(entry)
    through = Case.children.through
    kept_cases = set(through.objects.filter(child=kept).values_list("case_id", flat=True))
    for row in through.objects.filter(child=merged):
        if row.case_id in kept_cases:
            moved["cases"].append({"case": row.case_id, "dropped": True})
            row.delete()
        else:
            moved["cases"].append({"case": row.case_id, "id": row.pk})
            through.objects.filter(pk=row.pk).update(child=kept)
    for model, field in _MOVED_ROWS:
        rows = model._default_manager.filter(**{field: merged})
        moved["rows"][model._meta.label] = list(rows.values_list("pk", flat=True))
        rows.update(**{field: kept})
    children_mark_beyond_region(child_ids=[kept.pk, merged.pk])
    merge = ChildMerge.objects.create(
        kept=kept,
        merged=merged,
        reason=reason,
        moved=moved,
        merged_by=actor,
        merged_at=timezone.now(),
        automatic=automatic,
    )
    _record(actor, merge, "child_merged", reason)
    rollups.retally_reports(_moved_reports(moved), children=[kept.pk, merged.pk])
    pairs_merged(actor=actor, kept=kept, merged=merged)
    return merge


# Merges across offices: one office's supervisor asks, the other office's approves.
@transaction.atomic
def merge_request_create(*, actor: User, kept: Child, merged: Child, reason: str) -> MergeRequest:
    """Ask the other office's supervisors to approve merging records of two offices."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these are one child.")})
    kept, merged = _lock(kept, merged)
    _refuse_merger(actor, kept, merged)
    _refuse_pair(kept, merged)
    offices = {office_of(kept), office_of(merged)}
    if len(offices) == 1:
        raise ValidationError(
            _("Both records belong to your office: merge them yourself."), code="one_office"
        )
    mine = next((o for o in offices if o is not None and o.pk == actor.organisation_id), None)
    if mine is None:
        raise ValidationError(
            _("Only a supervisor of one of the two offices can ask for this merge."),
            code="forbidden",
        )
    asked = next(o for o in offices if o != mine)
    if asked is None:
        raise ValidationError(_("No office is responsible for one child's place."), code="office")
    pending = MergeRequest.objects.filter(
        kept__in=[kept, merged], merged__in=[kept, merged], status=MergeRequest.Status.PENDING
    )
    if pending.exists():
        raise ValidationError(
            _("A merge of these records is already awaiting approval."), code="pending"
        )
    request = MergeRequest.objects.create(
        kept=kept,
        merged=merged,
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
        organisation=asked,
    )
    _record_request(actor, request, Action.MERGE_REQUEST, "child_merge_requested", reason)
    return request


@transaction.atomic
def merge_request_decide(
    *, actor: User, request: MergeRequest, approve: bool, note: str = ""
) -> MergeRequest:
    """A supervisor of the office asked approves (the records are merged) or declines."""
    note = note.strip()
    if not actor.has_perm_code(Perm.CHILD_MERGE):
        raise ValidationError(_("Only the office's supervisors answer this."), code="forbidden")
    if actor.organisation_id != request.organisation_id:
        raise ValidationError(_("Only the office's supervisors answer this."), code="forbidden")
    if not approve and not note:
        raise ValidationError({"note": _("Say why the records are not one child.")})
    locked = MergeRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != MergeRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."), code="answered")
    kept, merged = _lock(locked.kept, locked.merged)
    if approve:
        # What may have changed since the request: a merge elsewhere, an IIN added.
        _refuse_pair(kept, merged)
        if actor.organisation_id not in {o.pk for o in (office_of(kept), office_of(merged)) if o}:
            raise ValidationError(_("The records no longer belong to your office."), code="offices")
        locked.merge = _merge(actor=actor, kept=kept, merged=merged, reason=locked.reason)
        locked.status = MergeRequest.Status.APPROVED
    else:
        locked.status = MergeRequest.Status.DECLINED
        _record_request(actor, locked, Action.MERGE_DECLINE, "child_merge_declined", note)
    locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "merge"])
    return locked


def _record_request(
    actor: User, request: MergeRequest, action: str, kind: str, reason: str
) -> None:
    """Access-log entries of both records; timeline entries of both records' cases."""
    for child_id in (request.kept_id, request.merged_id):
        audit.record(
            actor=actor, action=action, kind=RecordKind.CHILD, record_id=child_id, reason=reason
        )
    cases = Case.objects.filter(children__in=[request.kept_id, request.merged_id]).distinct()
    kept, merged, office = request.kept.full_name, request.merged.full_name, request.organisation
    for case in cases:
        timeline.record(
            actor=actor, kind=kind, case=case, kept=kept, merged=merged, office=str(office)
        )


@transaction.atomic
def child_unmerge(*, actor: User, merge: ChildMerge, reason: str) -> ChildMerge:
    """Put back exactly what the merge moved; what was added since stays with `kept`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the merge was wrong.")})
    merge = ChildMerge.objects.select_for_update().select_related("kept", "merged").get(pk=merge.pk)
    if not actor.has_perm_code(Perm.CHILD_MERGE):
        raise ValidationError(_("Your role cannot undo merges."), code="forbidden")
    if children_visible_to(actor).filter(pk=merge.kept_id).count() != 1:
        raise ValidationError(_("You can undo only merges you can see."), code="forbidden")
    if not merge.is_active:
        raise ValidationError(_("This merge has already been undone."), code="undone")
    kept, merged, moved = merge.kept, merge.merged, merge.moved
    for entry in moved["reports"]:
        ReportChild.objects.filter(pk=entry["id"]).update(
            child=merged, description=entry["description"]
        )
    through = Case.children.through
    for entry in moved["cases"]:
        if entry.get("dropped"):
            through.objects.get_or_create(case_id=entry["case"], child=merged)
        else:
            through.objects.filter(pk=entry["id"], child=kept).update(child=merged)
    for model, field in _MOVED_ROWS:
        pks = moved["rows"].get(model._meta.label, [])
        model._default_manager.filter(pk__in=pks, **{field: kept}).update(**{field: merged})
    children_mark_beyond_region(child_ids=[kept.pk, merged.pk])
    merge.undone_by, merge.undone_at, merge.undo_reason = actor, timezone.now(), reason
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    _record(actor, merge, "child_unmerged", reason)
    rollups.retally_reports(_moved_reports(moved), children=[kept.pk, merged.pk])
    return merge


def _moved_reports(moved: dict[str, Any]) -> list[int]:
    """The reports whose children changed: monitoring counts them by sex and age group."""
    return list(
        ReportChild.objects.filter(pk__in=[e["id"] for e in moved["reports"]]).values_list(
            "report_id", flat=True
        )
    )


def _record(actor: User, merge: ChildMerge, kind: str, reason: str) -> None:
    """The access-log entries of both records and the timelines of what moved."""
    action = Action.MERGE if kind == "child_merged" else Action.UNMERGE
    for child in (merge.kept, merge.merged):
        audit.record(
            actor=actor, action=action, kind=RecordKind.CHILD, record_id=child.pk, reason=reason
        )
    kept, merged = merge.kept.full_name, merge.merged.full_name
    report_ids = ReportChild.objects.filter(
        pk__in=[e["id"] for e in merge.moved["reports"]]
    ).values_list("report_id", flat=True)
    for report in Report.objects.filter(pk__in=list(report_ids)):
        timeline.record(actor=actor, kind=kind, report=report, kept=kept, merged=merged)
    for case in Case.objects.filter(pk__in=[e["case"] for e in merge.moved["cases"]]):
        timeline.record(actor=actor, kind=kind, case=case, kept=kept, merged=merged)


# Automatic merges above the high threshold, where an administrator switched them on.
LINKAGE_USERNAME = "qorgau-linkage"


def linkage_system_user() -> User:
    """The actor of automatic merges: an inactive account nobody can log in with."""
    user, _created = User.objects.get_or_create(
        username=LINKAGE_USERNAME,
        defaults={
            "role": Role.ADMINISTRATOR,
            "is_active": False,
            "password": make_password(None),
            "first_name": "Qorgau",
            "last_name": "linkage",
        },
    )
    return user


@transaction.atomic
def auto_merge_switch(*, actor: User, enabled: bool, reason: str) -> AutoMergeSwitch:
    """An administrator switches automatic merging on or off; every change is kept."""
    if not actor.has_perm_code(Perm.LINKAGE_MODEL):
        raise ValidationError(_("Only an administrator switches this."), code="forbidden")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you change this.")})
    if auto_merge_enabled() == enabled:
        raise ValidationError(
            _("Automatic merging is already on.") if enabled else _("It is already off."),
            code="unchanged",
        )
    return AutoMergeSwitch.objects.create(
        enabled=enabled, reason=reason, changed_by=actor, changed_at=timezone.now()
    )


def _confirmed_distinct(left: Child, right: Child) -> bool:
    """Whether a person registered one of the two despite being shown the other."""
    for child, other in ((left, right), (right, left)):
        shown = DistinctConfirmation.objects.filter(child=child).values_list(
            "candidates", flat=True
        )
        if any(c.get("child") == other.pk for candidates in shown for c in candidates):
            return True
    return False


def pairs_auto_merge(*, run: LinkRun) -> dict[str, int]:
    """Merge the run's pairs from its high threshold up, if auto-merge is switched on.

    Never a pair flagged as possible twins, of two valid different IINs, of two
    offices (their supervisors decide), one a person already called two children, or
    any other a person's merge would be refused. Each merge is one transaction, a
    `ChildMerge` marked automatic, undone like any other. Returns counts by outcome.
    """
    counts: dict[str, int] = {"merged": 0}
    if not auto_merge_enabled():
        return counts
    actor = linkage_system_user()
    pairs = (
        run.candidates.filter(
            status=CandidatePair.Status.PENDING,
            maybe_twins=False,
            probability__gte=run.high_threshold,
        )
        .select_related("left", "left__place", "right", "right__place")
        .order_by("-probability", "pk")
    )
    for pair in pairs:
        outcome = "merged"
        try:
            with transaction.atomic():
                kept, merged = _lock(pair.left, pair.right)
                _refuse_pair(kept, merged)
                if other_office(kept, merged) is not None:
                    raise ValidationError("two offices", code="offices")
                if _confirmed_distinct(kept, merged):
                    raise ValidationError("registered as another child", code="confirmed")
                _merge(
                    actor=actor,
                    kept=kept,
                    merged=merged,
                    reason=f"link run {run.pk}: match probability {pair.probability:.4f}",
                    automatic=True,
                )
        except ValidationError as refused:
            # Counted by why; "merged" is taken by the merges made.
            outcome = "already_merged" if refused.code == "merged" else refused.code or "refused"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
