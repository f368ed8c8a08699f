from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "qorgau.safety"
    verbose_name = _("Suicide-risk screening and safety plans")

    def ready(self) -> None:
        from qorgau.cases import timeline
        from qorgau.safety.entries import KINDS, LABELS

        timeline.register(KINDS, LABELS)
