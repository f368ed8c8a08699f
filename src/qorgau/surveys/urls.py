from django.urls import path

from qorgau.surveys import views

urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("<slug:name>/", views.survey_detail, name="survey-detail"),
]
