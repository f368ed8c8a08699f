from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "qorgau.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        # Registers the staffing indicators with the monitoring definitions.
        from qorgau.workforce import definitions  # noqa: F401
