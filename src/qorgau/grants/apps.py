from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "qorgau.grants"
    verbose_name = _("Access grants and emergency access")
