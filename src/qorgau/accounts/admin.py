"""Administration of organisations and users.

Changing who someone is (role, organisation, rights) asks the administrator for the
password again; ending sessions, deactivating and resetting a lost second factor are
actions on the user list. The second-factor devices themselves are not in the admin:
their pages show and change the secret key, without asking for the password again.
"""

from typing import Any, cast

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401 (registers)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401 (registers)
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.models import Organisation, User
from qorgau.accounts.services import user_deactivate, user_end_sessions
from qorgau.accounts.twofactor import enrolment_code_issue
from qorgau.accounts.views import recent_authentication_required
from qorgau.places.models import Place

# Imported above so that they are registered before, not after, this unregisters them.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["place", "parent"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["kato", "name_ru", "name_kk", "kind"]
    list_filter = ["kind"]
    search_fields = ["kato", "name_ru", "name_kk", "name_en"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "organisation__kind"]
    autocomplete_fields = ["organisation", "supervisor"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Work"), {"fields": ("organisation", "role", "supervisor", "language")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Work"), {"fields": ("organisation", "role", "supervisor")}),
    )
    actions = ["end_sessions", "deactivate", "reset_second_factor", "issue_enrolment_code"]

    @method_decorator(recent_authentication_required)
    def change_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().change_view(request, *args, **kwargs)

    @method_decorator(recent_authentication_required)
    def add_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().add_view(request, *args, **kwargs)

    @method_decorator(recent_authentication_required)
    def user_change_password(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().user_change_password(request, *args, **kwargs)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The list's actions (end sessions, deactivate, reset the second factor, issue an
        # enrolment code) change who can log in: the password is asked again first.
        if request.method == "POST" and "action" in request.POST:
            return recent_authentication_required(super().changelist_view)(request, extra_context)
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("End all sessions of the selected users"))
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_end_sessions(user=user)
        messages.success(request, _("Sessions ended."))

    @admin.action(description=_("Deactivate the selected users (ends their sessions)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Never the administrator's own account: someone must be left to undo it.
        for user in queryset.exclude(username=request.user.get_username()):
            user_deactivate(user=user)
        messages.success(request, _("Users deactivated."))

    @admin.action(description=_("Reset the second factor (lost phone)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            user_end_sessions(user=user)
        messages.success(
            request,
            _("Second factor reset. Issue an enrolment code so that they can set up a new one."),
        )

    @admin.action(description=_("Issue an enrolment code (to set up a second factor)"))
    def issue_enrolment_code(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
        actor = cast(User, request.user)
        issued = []
        for user in queryset.order_by("username"):
            code = enrolment_code_issue(actor=actor, user=user)
            issued.append((user, code.code, code.expires_at))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Enrolment codes"),
            "issued": issued,
            "hours": settings.QORGAU_ENROLMENT_CODE_HOURS,
        }
        return TemplateResponse(request, "admin/accounts/enrolment_codes.html", context)
