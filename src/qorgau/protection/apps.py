from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "qorgau.protection"
    label = "protection"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from qorgau.protection import keys

        # Parse the keys once at start-up: a malformed or development key in
        # production stops the process here, not at the first encrypted read.
        keys.data_keys()
        keys.iin_hash_keys()
