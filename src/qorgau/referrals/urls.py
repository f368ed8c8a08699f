from django.urls import path

from qorgau.referrals import views

urlpatterns = [
    path("directory/", views.provider_directory, name="provider-directory"),
    path("directory/<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("cases/<int:pk>/referrals/new/", views.referral_new, name="referral-new"),
    path("cases/<int:pk>/housing/new/", views.housing_need_new, name="housing-need-new"),
    path(
        "cases/<int:pk>/housing/<int:need_pk>/resolve/",
        views.housing_need_resolve_view,
        name="housing-need-resolve",
    ),
    path("referrals/", views.referral_inbox, name="referral-inbox"),
    path("referrals/office/", views.referral_office, name="referral-office"),
    path("referrals/indicators/", views.referral_indicators, name="referral-indicators"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw_view, name="referral-withdraw"),
    path("referrals/<int:pk>/<slug:step>/", views.referral_step, name="referral-step"),
]
