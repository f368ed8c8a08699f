"""The printable case file: a page for the browser's print, and a PDF.

Both carry a watermark of who printed the case and when, on every page, and both are
written to the access log as a print of the case (besides the gate's own view entry).
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from qorgau.access import access_case
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.models import Action, RecordKind
from qorgau.casefile.selectors import case_file
from qorgau.cases.models import Case
from qorgau.pages import AuthedRequest, requires
from qorgau.pdf import pdf_of

STYLESHEET = "casefile/case_file.css"


def _render(request: AuthedRequest, case: Case, template: str) -> str:
    audit.record(actor=request.user, action=Action.PRINT, kind=RecordKind.CASE, record_id=case.pk)
    context = {
        "file": case_file(case=case),
        "printed_by": request.user,
        "printed_at": timezone.localtime(),
    }
    return render_to_string(template, context, request=request)


@never_cache
@requires(Perm.CASE_VIEW)
def case_print(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    return HttpResponse(_render(request, case, "casefile/case_print.html"))


@never_cache
@requires(Perm.CASE_VIEW)
def case_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    response = HttpResponse(
        pdf_of(_render(request, case, "casefile/case_pdf.html"), stylesheet=STYLESHEET)
    )
    response["Content-Type"] = "application/pdf"
    disposition = content_disposition_header(as_attachment=True, filename=f"{case.reference}.pdf")
    response["Content-Disposition"] = disposition or "attachment"
    return response
