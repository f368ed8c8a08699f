"""The contact log of a case: calls, meetings and messages beyond the formal visits."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qorgau.access import access_case
from qorgau.accounts.roles import Perm
from qorgau.cases.selectors import contact_notes
from qorgau.cases.services.contacts import contact_record
from qorgau.cases.workflow import Action, refusal
from qorgau.pages import AuthedRequest, add_service_errors, parse_id, requires
from qorgau.paging import page_of
from qorgau.web import forms as f


@requires(Perm.CASE_VIEW)
def case_contacts(request: AuthedRequest, pk: int) -> HttpResponse:
    """Everyone who sees the case reads the log; its worker and supervisor add to it."""
    case = access_case(request.user, pk)
    can_record = refusal(request.user, case, Action.VISIT) is None
    if request.method == "POST" and not can_record:
        raise Http404
    form = f.ContactForm(request.POST or None, case=case) if can_record else None
    status = 200
    if form is not None and form.is_bound:
        if form.is_valid():
            try:
                contact_record(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Contact recorded."))
                return redirect(reverse("case-contacts", args=[case.pk]))
        status = 400
    children = list(case.children.order_by("pk"))
    child_id = parse_id(request.GET.get("child"))
    if child_id not in {child.pk for child in children}:
        child_id = None
    context = {
        "case": case,
        "form": form,
        "notes": page_of(contact_notes(case=case, child_id=child_id), request),
        "children": children if len(children) > 1 else [],
        "child_id": child_id,
    }
    return render(request, "web/case_contacts.html", context, status=status)
