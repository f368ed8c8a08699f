from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "qorgau.children"
    verbose_name = _("Children and families")
