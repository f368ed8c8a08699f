"""`qorgau rollups rebuild` / `qorgau rollups check`: monitoring's case-data rollups."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.cases import rollups
from qorgau.cases.models import CaseTally, ReportTally


class Command(BaseCommand):
    help = (
        "rebuild: recompute the rollups of reports and cases from the raw rows (after a "
        "migration, a bulk load or to repair); check: compare them with the raw rows, "
        "exit 1 on a difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["action"] == "rebuild":
            done = rollups.rebuild()
            self.stdout.write(
                f"Rebuilt from {done.reports} reports and {done.cases} cases: "
                f"{done.report_cells} report cells, {done.case_cells} case cells "
                f"({time.monotonic() - started:.1f} s)."
            )
            return
        differences = rollups.differences()
        if differences:
            for line in differences[:20]:
                self.stderr.write(line)
            raise CommandError(
                f"{len(differences)} rollup cells differ from the raw rows: "
                "run `qorgau rollups rebuild`."
            )
        self.stdout.write(
            f"The rollups match the raw rows ({ReportTally.objects.count()} report cells, "
            f"{CaseTally.objects.count()} case cells, {time.monotonic() - started:.1f} s)."
        )
