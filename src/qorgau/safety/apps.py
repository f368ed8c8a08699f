from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "qorgau.safety"
    verbose_name = _("Suicide-risk screening and safety plans")

    def ready(self) -> None:
        from qorgau.cases import timeline
        from qorgau.cases.services.closure import register_closure_check
        from qorgau.safety.entries import KINDS, LABELS
        from qorgau.safety.selectors import closure_problem

        timeline.register(KINDS, LABELS)
        # The closure service checks it; `cases` is below `safety` and imports nothing of it.
        register_closure_check("safety_outstanding", closure_problem)
