from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "qorgau.cases"
    verbose_name = _("Reports and cases")

    def ready(self) -> None:
        from qorgau.cases import rollups
        from qorgau.children.services import register_child_change_hook

        register_child_change_hook(rollups.child_changed)
