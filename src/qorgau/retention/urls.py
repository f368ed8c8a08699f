"""Included before the web pages: /cases/<pk>/hold/ must not reach the case actions."""

from django.urls import path

from qorgau.retention import views

urlpatterns = [
    path("cases/<int:pk>/hold/", views.case_hold_place, name="case-hold"),
    path("cases/<int:pk>/hold/<int:hold_pk>/lift/", views.case_hold_lift, name="case-hold-lift"),
    path("children/<int:pk>/hold/", views.child_hold_place, name="child-hold"),
    path(
        "children/<int:pk>/hold/<int:hold_pk>/lift/", views.child_hold_lift, name="child-hold-lift"
    ),
    path("exports/new/", views.export_new, name="export-new"),
    path("exports/<uuid:export_id>/download/", views.export_download, name="export-download"),
]
