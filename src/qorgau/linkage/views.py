from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from qorgau.access import (
    access_candidate_pair,
    access_child,
    access_merge,
    access_merge_request,
    access_report,
    access_request_to_office,
    candidate_pairs_visible_to,
    children_visible_to,
)
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.children.models import Child
from qorgau.linkage import batch, selectors
from qorgau.linkage.forms import AutoMergeForm, MergeDecisionForm, ReasonForm
from qorgau.linkage.models import AccessRequest, CandidatePair, LinkRun
from qorgau.linkage.runs import pair_decide_distinct
from qorgau.linkage.scoring import Entered
from qorgau.linkage.services import (
    access_request_create,
    access_request_decide,
    auto_merge_switch,
    child_from_token,
    child_merge,
    child_unmerge,
    merge_request_create,
    merge_request_decide,
    other_office,
)
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.paging import page_number, page_of

# What the side-by-side comparison shows, in this order.
COMPARED = (
    "last_name",
    "first_name",
    "middle_name",
    "other_spelling",
    "birth_date",
    "sex",
    "iin",
    "place",
    "address",
    "school",
)


# The batch model's comparisons (linkage/batch.py), as the reviewer reads them; one
# the map does not know is shown by its name.
EVIDENCE_LABELS = {
    "birth_date": _lazy("Date of birth"),
    "place": _lazy("Place of residence"),
    "first_key_last_key": _lazy("Name"),
    "first_key": _lazy("First name"),
    "last_key": _lazy("Last name"),
    "middle_key": _lazy("Patronymic"),
    "sex": _lazy("Sex"),
    "mother_key": _lazy("Mother"),
    "iin": _lazy("IIN"),
}


def entered_from(child: Child) -> Entered:
    carer = child.family.filter(is_caregiver=True).values_list("full_name", flat=True).first()
    return Entered(
        last_name=child.last_name,
        first_name=child.first_name,
        middle_name=child.middle_name,
        birth_date=child.birth_date,
        iin=child.iin or "",
        kato=child.place.kato,
        caregiver_name=carer or "",
    )


def _compared(kept: Child, merged: Child) -> list[dict[str, object]]:
    """The rows of a side-by-side comparison of two records."""
    rows = []
    for name in COMPARED:
        label = Child._meta.get_field(name).verbose_name  # type: ignore[union-attr]
        a, b = (str(getattr(c, name) or "—") for c in (kept, merged))
        if name == "sex":
            a, b = kept.get_sex_display(), merged.get_sex_display()
        rows.append({"label": label, "kept": a, "merged": b, "differ": a != b})
    return rows


@requires(Perm.CHILD_MERGE)
def child_duplicates(request: AuthedRequest, pk: int) -> HttpResponse:
    """Records the supervisor can see that may be this child, each to compare."""
    child = access_child(request.user, pk)
    candidates = selectors.intake_candidates(
        actor=request.user, entered=entered_from(child), exclude=child.pk
    )
    context = {"child": child, "candidates": [c for c in candidates if c.visible]}
    return render(request, "linkage/child_duplicates.html", context)


def _counts(*children: Child) -> dict[int, dict[str, int]]:
    return {
        c.pk: {
            "reports": c.report_links.count(),
            "cases": c.cases.count(),
            "family": c.family.count(),
            "holds": c.legal_holds.count(),
        }
        for c in children
    }


@requires(Perm.CHILD_MERGE)
def child_merge_page(request: AuthedRequest, pk: int, other: int) -> HttpResponse:
    """Two records side by side; merging keeps `pk` and marks `other` merged into it.

    Records of two offices: the form asks the other office's supervisors to approve.
    """
    kept, merged = access_child(request.user, pk), access_child(request.user, other)
    asked = other_office(kept, merged)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if asked is None:
                child_merge(actor=request.user, kept=kept, merged=merged, reason=reason)
            else:
                merge_request_create(actor=request.user, kept=kept, merged=merged, reason=reason)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if asked is None:
                text = _("%(merged)s merged into %(kept)s.") % {"merged": merged, "kept": kept}
            else:
                text = _(
                    "Sent to %(office)s: the records are merged when its supervisor approves."
                ) % {"office": asked}
            messages.success(request, text)
            return redirect(kept)
    context = {
        "kept": kept,
        "merged": merged,
        "rows": _compared(kept, merged),
        "form": form,
        "counts": _counts(kept, merged),
        "asked": asked,
        "pending": selectors.pending_merge_request(kept, merged) if asked else None,
    }
    status = 400 if form.errors else 200
    return render(request, "linkage/child_merge.html", context, status=status)


@requires(Perm.CHILD_MERGE)
def merge_requests(request: AuthedRequest) -> HttpResponse:
    """Merges across offices that wait for this office's approval, and those answered."""
    page = page_of(
        selectors.merge_requests_to(request.user), number=page_number(request.GET.get("page"))
    ).linked_to(request)
    audit.record_list(actor=request.user, kind=RecordKind.CHILD, count=2 * len(page))
    return render(request, "linkage/merge_requests.html", {"requests": page})


@requires(Perm.CHILD_MERGE)
def merge_request_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """The other office's records side by side with ours: approve (merge) or decline."""
    asked = access_merge_request(request.user, pk)
    form = MergeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            merge_request_decide(
                actor=request.user, request=asked, approve=approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if approve:
                messages.success(request, _("Approved: the records are merged."))
            else:
                messages.success(request, _("Declined: the records stay two children."))
            return redirect("merge-requests")
    context = {
        "asked": asked,
        "rows": _compared(asked.kept, asked.merged),
        "counts": _counts(asked.kept, asked.merged),
        "form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "linkage/merge_request.html", context, status=status)


@require_POST
@requires(Perm.CHILD_MERGE)
def merge_undo(request: AuthedRequest, pk: int) -> HttpResponse:
    merge = access_merge(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the merge was wrong."))
        return redirect(merge.kept)
    try:
        child_unmerge(actor=request.user, merge=merge, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(merge.kept)
    messages.success(request, _("The merge was undone: both records are as they were."))
    return redirect(merge.merged)


@require_POST
@requires(Perm.CHILD_REGISTER)
def access_request_new(request: AuthedRequest) -> HttpResponse:
    """Ask the office that owns a matching child, without seeing the child's record."""
    child = child_from_token(actor=request.user, token=request.POST.get("token", ""))
    if child is None:
        messages.error(request, _("This request is no longer valid: look the child up again."))
        return redirect("child-search")
    report_id, link_id = parse_id(request.POST.get("report")), parse_id(request.POST.get("link"))
    report = access_report(request.user, report_id) if report_id is not None else None
    link = None
    if report is not None and link_id is not None:
        link = report.children.filter(pk=link_id, child__isnull=True).first()
    try:
        made = access_request_create(
            actor=request.user,
            child=child,
            report_child=link,
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your request was sent to %(office)s; its supervisors will answer it.")
            % {"office": made.organisation},
        )
    return redirect(report if report is not None else "child-search")


@requires(Perm.CHILD_MERGE)
def access_requests(request: AuthedRequest) -> HttpResponse:
    """Requests from other offices about children of this office."""
    requests = page_of(
        selectors.requests_to(request.user), number=page_number(request.GET.get("page"))
    ).linked_to(request)
    return render(request, "linkage/access_requests.html", {"requests": requests})


@requires(Perm.CHILD_REGISTER)
def access_requests_sent(request: AuthedRequest) -> HttpResponse:
    """The user's requests to other offices and their answers; an accepted one links
    to the child's record, now open to the user for AccessRequest.OPEN_DAYS."""
    sent = page_of(
        selectors.requests_from(request.user), number=page_number(request.GET.get("page"))
    ).linked_to(request)
    visible = set(
        children_visible_to(request.user)
        .filter(pk__in=[r.child_id for r in sent if r.status == AccessRequest.Status.ACCEPTED])
        .values_list("pk", flat=True)
    )
    audit.record_list(actor=request.user, kind=RecordKind.CHILD, count=len(visible))
    context = {"requests": sent, "visible": visible, "days": AccessRequest.OPEN_DAYS}
    return render(request, "linkage/access_requests_sent.html", context)


@require_POST
@requires(Perm.CHILD_MERGE)
def access_request_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    asked = access_request_to_office(request.user, pk)
    try:
        access_request_decide(
            actor=request.user, request=asked, accept=request.POST.get("decision") == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Answer recorded."))
    return redirect("access-requests")


@requires(Perm.CHILD_MERGE)
def review_queue(request: AuthedRequest) -> HttpResponse:
    """Pairs the batch model could not decide, of records the supervisor sees."""
    pairs = (
        candidate_pairs_visible_to(request.user)
        .filter(status=CandidatePair.Status.PENDING)
        .select_related("left", "right", "run")
    )
    page = page_of(pairs, number=page_number(request.GET.get("page"))).linked_to(request)
    audit.record(
        actor=request.user, action=Action.LIST, kind=RecordKind.CHILD, result_count=len(page)
    )
    return render(request, "linkage/review_queue.html", {"pairs": page})


@requires(Perm.CHILD_MERGE)
def review_pair(request: AuthedRequest, pk: int) -> HttpResponse:
    """The two records side by side with the model's evidence; two children, or merge."""
    pair = access_candidate_pair(request.user, pk)
    if request.method == "POST":
        try:
            pair_decide_distinct(actor=request.user, pair=pair)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Recorded: two children."))
        return redirect("review-queue")
    rows = _compared(pair.left, pair.right)
    evidence = [
        {**row, "label": EVIDENCE_LABELS.get(row.get("field", ""), row.get("field", ""))}
        for row in pair.evidence
    ]
    context = {"pair": pair, "rows": rows, "evidence": evidence}
    return render(request, "linkage/review_pair.html", context)


@requires(Perm.LINKAGE_MODEL)
def link_model(request: AuthedRequest) -> HttpResponse:
    """The latest run's estimated match weights (parameters only, no personal data),
    and the auto-merge setting."""
    return _link_model_page(request, AutoMergeForm())


def _link_model_page(request: AuthedRequest, form: AutoMergeForm) -> HttpResponse:
    run = LinkRun.objects.filter(finished_at__isnull=False).first()
    table = batch.weights_table(run.model) if run is not None else []
    counts = (
        CandidatePair.objects.filter(run=run).values("status").annotate(n=Count("pk"))
        if run is not None
        else []
    )
    by_status = [
        {"status": CandidatePair.Status(row["status"]).label, "n": row["n"]} for row in counts
    ]
    switch = selectors.auto_merge_switch_now()
    context = {
        "run": run,
        "table": table,
        "by_status": by_status,
        "switch": switch,
        "auto_merge_form": form,
    }
    status = 400 if form.errors else 200
    return render(request, "linkage/link_model.html", context, status=status)


@require_POST
@requires(Perm.LINKAGE_MODEL)
def auto_merge(request: AuthedRequest) -> HttpResponse:
    """An administrator switches automatic merging on or off, with a reason."""
    form = AutoMergeForm(request.POST)
    if form.is_valid():
        try:
            auto_merge_switch(
                actor=request.user,
                enabled=form.cleaned_data["enabled"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Automatic merging setting changed."))
            return redirect("link-model")
    return _link_model_page(request, form)
