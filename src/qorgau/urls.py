from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path

from qorgau.accounts.views import language_set


def _no_view_on_site(request: HttpRequest, rest: str) -> HttpResponse:
    """The admin's "view on site" redirect answers 404 for an existing record and a 302
    for any other: it would tell whether a child, case or report id exists."""
    raise Http404


urlpatterns = [
    # Django's language switch, which also keeps a logged-in user's choice.
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/r/<path:rest>", _no_view_on_site),  # before the admin, which it shadows
    path("admin/", admin.site.urls),
    path("api/", include("qorgau.api.urls")),
    path("surveys/", include("qorgau.surveys.urls")),
    path("programmes/", include("qorgau.programmes.urls")),
    path("workforce/", include("qorgau.workforce.urls")),
    path("statistics/", include("qorgau.monitoring.urls")),
    path("account/", include("qorgau.accounts.urls")),
    path("", include("qorgau.grants.urls")),
    path("", include("qorgau.referrals.urls")),  # before web: cases/<pk>/...
    path("", include("qorgau.safety.urls")),  # before web: cases/<pk>/screening/
    path("", include("qorgau.linkage.urls")),  # before web: children/<pk>/merge/
    path("", include("qorgau.retention.urls")),  # before web: cases/<pk>/hold/
    path("", include("qorgau.attachments.urls")),  # before web: cases/<pk>/attachments/
    path("", include("qorgau.casefile.urls")),  # before web: cases/<pk>/print/
    path("", include("qorgau.notifications.urls")),
    path("", include("qorgau.caseload.urls")),
    path("", include("qorgau.audit.urls")),  # before web: cases/<pk>/<action>/
    path("", include("qorgau.web.urls")),
]

handler404 = "qorgau.web.views.errors.page_not_found"
