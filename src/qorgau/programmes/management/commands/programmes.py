"""`qorgau programmes`: import a plan of measures, or write the synthetic one."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.programmes.plan import plan_import
from qorgau.programmes.synthetic import synthetic_plan


class Command(BaseCommand):
    help = "Prevention programmes: import a plan of measures (XLSX), write a synthetic plan."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,synthetic}")
        imp = sub.add_parser(
            "import", help="import a plan (layout: docs/programmes-plan-layout.md)"
        )
        imp.add_argument("path", type=Path, help="FILE.xlsx")
        imp.add_argument("--programme", default="qazaqstan-balalary", help="programme code")
        imp.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
        imp.add_argument(
            "--keep-good",
            action="store_true",
            help="store the good rows even if others are bad (default: store nothing then)",
        )
        syn = sub.add_parser("synthetic", help="write a SYNTHETIC plan in the import layout")
        syn.add_argument("path", type=Path, help="FILE.xlsx to write")
        syn.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if options["action"] == "synthetic":
            synthetic_plan(options["seed"]).save(path)
            self.stdout.write(f"wrote {path}")
            return
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        result = plan_import(
            source=path,
            programme_code=options["programme"],
            dry_run=options["dry_run"],
            keep_good=options["keep_good"],
        )
        for error in result.errors:
            self.stderr.write(str(error))
        for sheet, counts in result.counts.items():
            self.stdout.write(
                f"{sheet}: {counts.created} new, {counts.updated} updated,"
                f" {counts.unchanged} unchanged"
            )
        if result.dry_run:
            self.stdout.write(f"dry run: {len(result.errors)} bad rows, nothing stored")
        elif not result.stored:
            raise CommandError(
                f"{len(result.errors)} bad rows: nothing stored (--keep-good stores the good rows)"
            )
        elif result.errors:
            self.stdout.write(f"stored the good rows; {len(result.errors)} bad rows left out")
