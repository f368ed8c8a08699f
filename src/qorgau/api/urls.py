from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound

from qorgau.api import referrals, views


def _not_found(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other address under /api/ (such as /api/v1/cases/-1/) answers as the API does:
    JSON with the documented 404 shape, not the site's HTML page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)


urlpatterns = [
    path("v1/cases/", views.CaseListApi.as_view(), name="api-case-list"),
    path("v1/cases/<int:pk>/", views.CaseDetailApi.as_view(), name="api-case-detail"),
    path("v1/reports/", views.ReportCreateApi.as_view(), name="api-report-create"),
    path("v1/reports/<int:pk>/", views.ReportStatusApi.as_view(), name="api-report-status"),
    path("v1/statistics/", views.StatisticsApi.as_view(), name="api-statistics"),
    path(
        "v1/statistics/casework/",
        views.CaseworkStatisticsApi.as_view(),
        name="api-statistics-casework",
    ),
    path("v1/referrals/", referrals.ReferralListApi.as_view(), name="api-referral-list"),
    path(
        "v1/referrals/<int:pk>/", referrals.ReferralDetailApi.as_view(), name="api-referral-detail"
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Unnamed on purpose: it hands out nothing, so the route matrix has no rule for it.
    re_path(r"^(?P<rest>.*)$", _not_found),
]
