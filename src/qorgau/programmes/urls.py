from django.urls import path

from qorgau.programmes import views

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("adal-azamat/activities/", views.activity_report, name="activity-report"),
    path("adal-azamat/activities/file/", views.activity_upload, name="activity-upload"),
    path("adal-azamat/activities/late/", views.schools_late, name="activity-late"),
    path("<slug:code>/", views.programme_dashboard, name="programme-dashboard"),
    path("<slug:code>/export.xlsx", views.programme_export, name="programme-export"),
    path("<slug:code>/export.pdf", views.programme_pdf, name="programme-pdf"),
    path("<slug:code>/measures/", views.programme_measures, name="programme-measures"),
    path(
        "<slug:code>/indicators/<str:indicator>/",
        views.programme_indicator,
        name="programme-indicator",
    ),
    path("<slug:code>/progress/", views.progress_report, name="progress-report"),
    path("<slug:code>/values/", views.indicator_value_report, name="indicator-value-report"),
]
