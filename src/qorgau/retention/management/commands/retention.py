"""`qorgau retention --dry-run | --apply [--today YYYY-MM-DD]`: anonymise what is past retention."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qorgau.retention.exports import personal_data_exports_purge
from qorgau.retention.services import DEFAULT_BATCH_SIZE, retention_apply, retention_plan


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--today: {exc}") from exc


class Command(BaseCommand):
    help = (
        "Anonymise personal data past its retention period (QORGAU_RETENTION_YEARS after "
        "a case closed, QORGAU_RETENTION_SCREENED_OUT_YEARS after a report was screened "
        "out). --dry-run lists the records by id; --apply anonymises them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--dry-run", action="store_true", help="list what would go")
        mode.add_argument("--apply", action="store_true", help="anonymise it")
        parser.add_argument("--today", type=_date, help="the day to count from (default: today)")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        if options["dry_run"]:
            plan = retention_plan(today=today)
            self.stdout.write(f"retention plan for {today.isoformat()} (dry run, nothing changed)")
            for kind, ids in (
                ("cases", plan.cases),
                ("reports", plan.reports),
                ("children", plan.children),
            ):
                listed = " ".join(str(i) for i in ids) or "-"
                self.stdout.write(f"{kind}: {len(ids)}  ids: {listed}")
            return
        run = retention_apply(today=today, batch_size=options["batch_size"])
        purged = personal_data_exports_purge()
        counts = ", ".join(f"{kind} {n}" for kind, n in run.counts.items())
        self.stdout.write(f"retention run {run.pk} for {today.isoformat()}: {counts}")
        if purged:
            self.stdout.write(f"expired export archives removed: {purged}")
