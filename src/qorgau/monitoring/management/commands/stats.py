"""`qorgau stats`: import official statistics; change statements, trends, tables."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.monitoring import changes, exports
from qorgau.monitoring.models import StatsImport
from qorgau.monitoring.offences import group_codes
from qorgau.monitoring.selectors import offence_table
from qorgau.monitoring.services import stats_import
from qorgau.monitoring.tables import FileUnreadable


class Command(BaseCommand):
    help = "Official statistics: import population and offences; change, trend and table."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{import,change,trend,table}"
        )
        imp = sub.add_parser("import", help="import a population or offences table")
        imp.add_argument("kind", choices=list(StatsImport.Kind.values))
        imp.add_argument("file", type=Path, help="FILE.csv or FILE.xlsx")
        imp.add_argument("--dry-run", action="store_true", help="show changes, store nothing")
        mode = imp.add_mutually_exclusive_group()
        mode.add_argument(
            "--all-or-nothing",
            dest="good_rows",
            action="store_false",
            help="any bad row and nothing is stored (the default)",
        )
        mode.add_argument(
            "--good-rows", dest="good_rows", action="store_true", help="store the good rows"
        )
        imp.set_defaults(good_rows=False)
        for name, text in (
            ("change", "rate ratio between two years, per region and for KZ"),
            ("trend", "quasi-Poisson yearly trend, per region and for KZ"),
        ):
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument("group", choices=group_codes())
            cmd.add_argument("--from", dest="year_from", type=int, required=True)
            cmd.add_argument("--to", dest="year_to", type=int, required=True)
            cmd.add_argument("--out", type=Path, help="FILE.csv (default: standard output)")
        table = sub.add_parser("table", help="offences by region and group, suppressed")
        table.add_argument("--group", action="append", choices=group_codes(), dest="groups")
        table.add_argument("--year", type=int, required=True)
        table.add_argument("--out", type=Path, help="FILE.csv (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _import(self, *, kind: str, file: Path, dry_run: bool, good_rows: bool, **_: Any) -> None:
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            outcome = stats_import(
                actor=None,
                kind=kind,
                file_name=file.name,
                content=content,
                good_rows=good_rows,
                dry_run=dry_run,
            )
        except FileUnreadable as exc:
            raise CommandError(str(exc)) from exc
        for problem in outcome.problems:
            self.stderr.write(str(problem))
        if outcome.problems and not good_rows:
            raise CommandError(
                f"{len(outcome.problems)} problem(s) in {file.name}: nothing stored "
                "(fix the file, or use --good-rows to store the good rows)"
            )
        if dry_run:
            for key in outcome.added:
                self.stdout.write(f"add {','.join(map(str, key))}")
        for key, old, new in outcome.changed:
            self.stdout.write(f"change {','.join(map(str, key))}: {old} -> {new}")
        verb = "would add" if dry_run else "added"
        self.stdout.write(
            f"{file.name}: {outcome.rows} rows read; {verb} {len(outcome.added)}, "
            f"{'would change' if dry_run else 'changed'} {len(outcome.changed)}, "
            f"unchanged {outcome.unchanged}, rejected {len({p.row for p in outcome.problems})}"
            + (" (dry run: nothing stored)" if dry_run else "")
        )

    def _write(self, out: Path | None, header: Sequence[str], rows: list[list[object]]) -> None:
        data = exports.csv_bytes(header, rows)
        if out is None:
            self.stdout.write(data.decode(), ending="")
        else:
            out.write_bytes(data)

    def _years(self, year_from: int, year_to: int) -> None:
        if year_from >= year_to:
            raise CommandError(f"--from {year_from} must be before --to {year_to}")

    def _change(
        self, *, group: str, year_from: int, year_to: int, out: Path | None, **_: Any
    ) -> None:
        self._years(year_from, year_to)
        rows = changes.changes(group, year_from, year_to)
        self._write(out, changes.CHANGE_COLUMNS, [r.values() for r in rows])

    def _trend(
        self, *, group: str, year_from: int, year_to: int, out: Path | None, **_: Any
    ) -> None:
        self._years(year_from, year_to)
        rows = changes.trends(group, year_from, year_to)
        self._write(out, changes.TREND_COLUMNS, [r.values() for r in rows])

    def _table(self, *, groups: list[str] | None, year: int, out: Path | None, **_: Any) -> None:
        table = offence_table(year, groups)
        self._write(out, ["region", *table.groups, "total"], table.rows())
