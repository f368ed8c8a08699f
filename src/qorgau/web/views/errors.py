"""Error pages that need more than Django's default handlers give them.

400, 403 and 500 are Django's own handlers with the templates of web/templates; the
500 page is rendered without a request or the database (it may be what failed).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from qorgau.access import CaseTransferredAway


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A case moved away by transfer is told as such, only to whom the gate says had it.
    transfer = exception.transfer if isinstance(exception, CaseTransferredAway) else None
    return render(request, "404.html", {"transfer": transfer}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The site's page, in the reader's language; the reason stays in the server log."""
    return render(request, "403_csrf.html", status=403)
