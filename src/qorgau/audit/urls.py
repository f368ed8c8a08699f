"""Included before the web pages: /cases/<pk>/history/ must not reach the case actions."""

from django.urls import path

from qorgau.audit import views

urlpatterns = [
    path("children/<int:pk>/history/", views.child_history_page, name="child-history"),
    path("cases/<int:pk>/history/", views.case_history_page, name="case-history"),
    path("audit/", views.audit_search, name="audit-search"),
    path("audit/children/<int:pk>/", views.child_log, name="audit-child"),
    path("audit/records/<slug:kind>/<int:pk>/", views.record_log, name="audit-record"),
    path(
        "audit/records/<slug:kind>/<int:pk>/export/",
        views.record_log_export,
        name="audit-record-export",
    ),
    path("audit/entries/<int:pk>/reason/", views.entry_reason, name="audit-entry-reason"),
    path("audit/users/<str:username>/", views.user_log, name="audit-user"),
    path("audit/users/<str:username>/export/", views.user_log_export, name="audit-user-export"),
]
