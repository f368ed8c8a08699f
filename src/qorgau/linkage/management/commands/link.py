"""`qorgau link run`: score the whole registry with the batch linkage model.
`qorgau link dedupe FILE --out OUT.csv`: deduplicate a legacy register before import."""

import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.audit import log as audit
from qorgau.audit.context import system_job
from qorgau.audit.models import Action, RecordKind
from qorgau.linkage import batch, legacy
from qorgau.linkage.models import LinkRun
from qorgau.linkage.runs import link_run, registry_frame
from qorgau.linkage.selectors import auto_merge_enabled
from qorgau.linkage.services import pairs_auto_merge
from qorgau.protection.keys import iin_hash


class Command(BaseCommand):
    help = "Probabilistic linkage of the child registry (splink on DuckDB)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        run = commands.add_parser("run", help="score the registry, fill the review queue")
        run.add_argument("--review", type=float, default=batch.Thresholds.review)
        run.add_argument("--high", type=float, default=batch.Thresholds.high)
        dedupe = commands.add_parser(
            "dedupe", help="deduplicate a legacy register (CSV or XLSX) before import"
        )
        dedupe.add_argument("input", type=Path, help="the file: " + ",".join(legacy.COLUMNS))
        dedupe.add_argument("--out", type=Path, required=True, help="the rows with cluster_id")
        dedupe.add_argument("--pairs", type=Path, help="also write the scored pairs here")
        dedupe.add_argument(
            "--registry",
            action="store_true",
            help="also link the rows to registered children (with the last run's model)",
        )
        dedupe.add_argument("--user", help="with --registry: the administrator, for the log")
        dedupe.add_argument(
            "--threshold",
            type=float,
            default=batch.Thresholds.high,
            help="match probability from which two rows are one child (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "dedupe":
            self._dedupe(options)
            return
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

    def _administrator(self, username: str | None) -> User:
        if not username:
            raise CommandError("--registry: name the administrator with --user")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not user.has_perm_code(Perm.LINKAGE_MODEL):
            raise CommandError(f"--user {username}: no active user who may use the linkage model")
        return user

    def _dedupe(self, options: dict[str, Any]) -> None:
        source: Path = options["input"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        if not 0 < options["threshold"] <= 1:
            raise CommandError("--threshold: give a probability above 0 and at most 1")
        try:
            read = legacy.read(source)
        except legacy.LegacyFileError as exc:
            raise CommandError(str(exc)) from exc
        for problem in read.problems:
            self.stderr.write(f"{source.name}: {problem}")
        actor, registry, model = None, None, None
        if options["registry"]:
            actor = self._administrator(options["user"])
            run = LinkRun.objects.filter(finished_at__isnull=False).order_by("-finished_at")
            last = run.first()
            if last is None or not last.model:
                raise CommandError(
                    "--registry needs the model of a `qorgau link run`: run it first"
                )
            model = last.model
            registry = registry_frame()
            # The registry's model compares IINs by their keyed hash.
            for row in read.usable.values():
                if row["iin"]:
                    row["iin"] = iin_hash(row["iin"])
        result = legacy.dedupe(read, threshold=options["threshold"], registry=registry, model=model)
        found = {c for c in result.cluster.values() if c.startswith("child:")}
        if actor is not None:
            audit.record(
                actor=actor,
                action=Action.SEARCH,
                kind=RecordKind.CHILD,
                reason=f"qorgau link dedupe {source.name}",
                query=[source.name],
                result_count=len(found),
            )
        with options["out"].open("w", encoding="utf-8", newline="") as out:
            legacy.write(read, result, out)
        if options["pairs"]:
            with options["pairs"].open("w", encoding="utf-8", newline="") as out:
                legacy.write_pairs(result, out)
        clusters = len(set(result.cluster.values()))
        self.stdout.write(
            f"{len(read.rows)} rows, {len(read.usable)} compared, {clusters} children; "
            f"{len(read.problems)} problems; written to {options['out']}"
        )
        if actor is not None:
            self.stdout.write(f"{len(found)} of them already registered (cluster_id child:<id>)")
        skipped = len(read.rows) - len(read.usable)
        if skipped:
            raise CommandError(
                f"{skipped} rows could not be compared (see the problems above); "
                "they are in the output without a cluster_id"
            )
