from django.urls import path

from qorgau.grants import views

urlpatterns = [
    path("cases/<int:pk>/grants/", views.grant_new, name="grant-new"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant-revoke"),
    path("emergency-access/", views.emergency_access, name="emergency-access"),
    path("emergency-access/<int:pk>/review/", views.emergency_review, name="emergency-review"),
]
