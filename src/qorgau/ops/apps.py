from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the app: the production server and the database server's settings."""

    name = "qorgau.ops"

    def ready(self) -> None:
        from qorgau.ops import checks  # noqa: F401 - registers the deploy check
