"""Included before the web pages: /cases/<pk>/print/ must not reach the case actions."""

from django.urls import path

from qorgau.casefile import views

urlpatterns = [
    path("cases/<int:pk>/print/", views.case_print, name="case-print"),
    path("cases/<int:pk>/print/pdf/", views.case_pdf, name="case-pdf"),
]
