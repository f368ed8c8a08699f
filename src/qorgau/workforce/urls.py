from django.urls import path

from qorgau.workforce import views

urlpatterns = [
    path("", views.workforce_overview, name="workforce-overview"),
    path("<str:kato>/", views.workforce_region, name="workforce-region"),
]
