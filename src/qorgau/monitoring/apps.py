from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "qorgau.monitoring"
    verbose_name = _("National monitoring")

    def ready(self) -> None:
        # Registers the shipped measures and indicator definitions.
        from qorgau.monitoring import casework, definitions, selectors  # noqa: F401
