"""`qorgau mics`: import MICS surveys, export their tables, generate synthetic data."""

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qorgau.mics import generate_synthetic, write_csv, write_xlsx
from qorgau.surveys.models import Survey
from qorgau.surveys.selectors import survey_table
from qorgau.surveys.services import SurveyImportError, survey_import

WRITERS = {".csv": write_csv, ".xlsx": write_xlsx}


class _Bars:
    """One tqdm bar per stage of a long step, on standard error."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, unit="step", file=sys.stderr, leave=True)
        assert self.bar is not None  # noqa: S101  (set just above)
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "MICS surveys: import a folder of .sav files, export stored tables, generate data."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{import,tables,generate}"
        )
        imp = sub.add_parser("import", help="import a folder of MICS .sav files")
        imp.add_argument("path", type=Path, help="folder with hh.sav, hl.sav, wm.sav, ...")
        imp.add_argument("--name", required=True, help="short name, e.g. mics-2024")
        imp.add_argument("--title", default="", help="title shown on the pages")
        imp.add_argument(
            "--replace", action="store_true", help="replace a survey stored under this name"
        )
        tables = sub.add_parser("tables", help="write a stored survey's tables to .xlsx or .csv")
        tables.add_argument("name", help="name of an imported survey")
        tables.add_argument("--out", type=Path, required=True, help="FILE.xlsx or FILE.csv")
        gen = sub.add_parser("generate", help="write a synthetic MICS dataset (never real people)")
        gen.add_argument("path", type=Path, help="folder to write the .sav files into")
        gen.add_argument("--households", type=int, default=2000)
        gen.add_argument("--seed", type=int, default=0)
        gen.add_argument("--layout", choices=("mics6", "mics5"), default="mics6")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self.import_survey(options)
        elif action == "tables":
            self.write_tables(options["name"], options["out"])
        else:
            self.generate(options)

    def import_survey(self, options: dict[str, Any]) -> None:
        started = time.monotonic()
        bars = _Bars()
        try:
            result = survey_import(
                actor=None,
                path=options["path"],
                name=options["name"],
                title=options["title"],
                replace=options["replace"],
                progress=bars,
            )
        except SurveyImportError as error:
            raise CommandError(" ".join(error.messages)) from error
        finally:
            bars.close()
        survey = result.survey
        if result.same_files_as:
            self.stdout.write(
                self.style.WARNING(
                    "These files are identical (same SHA-256 checksums) to survey "
                    f"{', '.join(result.same_files_as)}; imported again as {survey.name!r}."
                )
            )
        verb = "Replaced" if result.replaced else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} survey {survey.name!r} ({survey.get_layout_display()}) in "
                f"{time.monotonic() - started:.1f} s: {survey.files.count()} files, "
                f"{survey.estimates.count()} estimates, {len(survey.problems)} import problems."
            )
        )
        self.stdout.write(f"  stored in {survey.path}")
        for file in survey.files.all():
            self.stdout.write(
                f"  {file.name}.sav  {file.rows} records, {file.variables} variables, "
                f"sha256 {file.sha256}"
            )
        self.write_problems(survey.problems)

    def write_problems(self, problems: list[dict[str, Any]]) -> None:
        if not problems:
            self.stdout.write("No import problems.")
            return
        self.stdout.write("Import problems:")
        for n, problem in enumerate(problems, start=1):
            style = {"error": self.style.ERROR, "warning": self.style.WARNING}.get(
                problem["severity"], str
            )
            where = [
                f"file {problem['file']}.sav" if problem.get("file") else "",
                f"variable {problem['variable']}" if problem.get("variable") else "",
                f"count {problem['count']}" if problem.get("count") else "",
            ]
            self.stdout.write(
                style(f"{n:>3}. {problem['severity'].upper()} {problem['code']}: ")
                + ", ".join(w for w in where if w)
            )
            self.stdout.write(f"     {problem['message']}")
            self.stdout.write(f"     handled: {problem['handling'] or '-'}")

    def write_tables(self, name: str, out: Path) -> None:
        writer = WRITERS.get(out.suffix.lower())
        if writer is None:
            raise CommandError(
                f"Unsupported output format {out.suffix or out.name!r}: use FILE.xlsx or FILE.csv."
            )
        survey = Survey.objects.filter(name=name).first()
        if survey is None:
            known = ", ".join(Survey.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(
                f"No survey named {name!r}. "
                + (f"Imported surveys: {known}." if known else "No survey is imported yet.")
            )
        table = survey_table(survey=survey)
        out.parent.mkdir(parents=True, exist_ok=True)
        writer(table, out)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(table)} estimates of {table['indicator'].nunique()} indicators "
                f"of {name!r} to {out}."
            )
        )

    def generate(self, options: dict[str, Any]) -> None:
        if options["households"] < 1:
            raise CommandError("--households must be a positive number.")
        started = time.monotonic()
        folder = generate_synthetic(
            options["path"], options["households"], options["seed"], options["layout"]
        )
        files = ", ".join(sorted(p.name for p in folder.glob("*.sav")))
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote a synthetic {options['layout'].upper()} survey of "
                f"{options['households']} households (seed {options['seed']}) to {folder} in "
                f"{time.monotonic() - started:.1f} s: {files}."
            )
        )
