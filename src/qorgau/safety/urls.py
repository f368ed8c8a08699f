from django.urls import path

from qorgau.safety import views

urlpatterns = [
    path("cases/<int:pk>/screening/", views.screening_new, name="screening-new"),
    path("cases/<int:pk>/safety-plan/", views.safety_plan, name="safety-plan"),
    path("cases/<int:pk>/safety-plan/print/", views.safety_plan_print, name="safety-plan-print"),
]
