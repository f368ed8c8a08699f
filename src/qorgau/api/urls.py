from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from qorgau.api import views

urlpatterns = [
    path("v1/cases/", views.CaseListApi.as_view(), name="api-case-list"),
    path("v1/cases/<int:pk>/", views.CaseDetailApi.as_view(), name="api-case-detail"),
    path("v1/reports/", views.ReportCreateApi.as_view(), name="api-report-create"),
    path("v1/reports/<int:pk>/", views.ReportStatusApi.as_view(), name="api-report-status"),
    path("v1/statistics/", views.StatisticsApi.as_view(), name="api-statistics"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
