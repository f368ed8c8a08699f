from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseFileConfig(AppConfig):
    name = "qorgau.casefile"
    verbose_name = _("Printed case file")
