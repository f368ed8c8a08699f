from django.urls import path

from qorgau.notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_all_read, name="notifications-all-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
]
