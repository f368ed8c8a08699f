from django.urls import path

from qorgau.caseload import views

urlpatterns = [path("team/", views.team, name="team")]
