from django.urls import path

from qorgau.accounts import views

urlpatterns = [
    path("2fa/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("2fa/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("2fa/recovery-codes/", views.recovery_codes_new, name="recovery-codes-new"),
    path("confirm/", views.reauthenticate, name="reauthenticate"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/end/", views.delegation_revoke_view, name="delegation-revoke"),
]
