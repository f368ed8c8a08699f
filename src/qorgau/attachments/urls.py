"""Included before the web pages: /cases/<pk>/attachments/ must not reach the case actions."""

from django.urls import path

from qorgau.attachments import views

urlpatterns = [
    path("cases/<int:pk>/attachments/", views.case_attachment_add, name="case-attachment-add"),
    path(
        "reports/<int:pk>/attachments/",
        views.report_attachment_add,
        name="report-attachment-add",
    ),
    path("children/<int:pk>/attachments/", views.child_attachment_add, name="child-attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove_view, name="attachment-remove"),
]
