from django.urls import path

from qorgau.workforce import views

urlpatterns = [
    path("", views.workforce_overview, name="workforce-overview"),
    path("posts/", views.posts_report, name="workforce-posts"),
    path("organisations/<int:pk>/specialists/", views.specialists, name="workforce-specialists"),
    path("specialists/<int:pk>/", views.specialist_edit, name="workforce-specialist"),
    path("<str:kato>/", views.workforce_region, name="workforce-region"),
]
