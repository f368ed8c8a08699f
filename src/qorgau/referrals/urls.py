from django.urls import path

from qorgau.referrals import views

urlpatterns = [
    path("directory/", views.provider_directory, name="provider-directory"),
    path("directory/<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("cases/<int:pk>/referrals/new/", views.referral_new, name="referral-new"),
    path("referrals/", views.referral_inbox, name="referral-inbox"),
    path("referrals/office/", views.referral_office, name="referral-office"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw_view, name="referral-withdraw"),
    path("referrals/<int:pk>/<slug:step>/", views.referral_step, name="referral-step"),
]
