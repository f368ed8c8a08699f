"""`qorgau link run`: score the whole registry with the batch linkage model."""

import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qorgau.audit.context import system_job
from qorgau.linkage import batch
from qorgau.linkage.runs import link_run
from qorgau.linkage.selectors import auto_merge_enabled
from qorgau.linkage.services import pairs_auto_merge


class Command(BaseCommand):
    help = "Probabilistic linkage of the child registry (splink on DuckDB)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser("run", help="score the registry, fill the review queue")
        run.add_argument("--review", type=float, default=batch.Thresholds.review)
        run.add_argument("--high", type=float, default=batch.Thresholds.high)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        thresholds = batch.Thresholds(review=options["review"], high=options["high"])
        with system_job("link run"):
            found = link_run(thresholds=thresholds)
            # Only where an administrator switched it on (the link-model page).
            merged = pairs_auto_merge(run=found)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"{found.children} children, {found.pairs} pairs for review "
            f"(from {thresholds.review}), {time.perf_counter() - started:.1f} s, "
            f"peak RSS {peak:.0f} MB"
        )
        if auto_merge_enabled():
            skipped = ", ".join(f"{k} {n}" for k, n in merged.items() if k != "merged")
            self.stdout.write(
                f"automatic merging on: {merged['merged']} pairs merged from {thresholds.high}"
                + (f"; left for a person: {skipped}" if skipped else "")
            )
