"""`qorgau check_postgres`: the database server's settings that matter, with advice."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from qorgau.ops.management.commands.serve import default_workers
from qorgau.ops.postgres import findings, read_settings


class Command(BaseCommand):
    help = "Read work_mem, jit, shared_buffers, random_page_cost, max_connections; advise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--app-servers", type=int, default=1, help="how many hosts run `qorgau serve`"
        )
        parser.add_argument(
            "--strict", action="store_true", help="exit non-zero when any advice is given"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError(f"{options['database']} is not a PostgreSQL database")
        # Each app server: workers x threads connections, plus replication and admin.
        needed = options["app_servers"] * default_workers() * settings.QORGAU_SERVE_THREADS + 10
        advice = 0
        for item in findings(read_settings(connection), connections_needed=needed):
            if item.advice:
                advice += 1
                self.stdout.write(self.style.WARNING(f"{item.name} = {item.value}: {item.advice}"))
            else:
                self.stdout.write(f"{item.name} = {item.value}: fine")
        if advice and options["strict"]:
            raise CommandError(f"{advice} setting(s) to change (docs/operations.md)")
