"""Writes: importing a MICS survey (files, checksums, problems, estimates) in one step."""

import math
import re
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.mics import compute_tables, load_survey, survey_checksums
from qorgau.mics.readers import FILES
from qorgau.places.models import Place
from qorgau.surveys.models import Survey, SurveyEstimate, SurveyFile

# progress(stage, done, total): the command line draws it as a bar.
Progress = Callable[[str, int, int], None]

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
STORAGE = "surveys"


class SurveyImportError(ValidationError):
    """The survey was not imported; the message says why and what to do."""


@dataclass(frozen=True)
class ImportResult:
    survey: Survey
    replaced: bool
    # Other surveys whose files have exactly the same checksums.
    same_files_as: list[str] = field(default_factory=list)


def survey_import(
    *,
    actor: User | None,
    path: str | Path,
    name: str,
    title: str = "",
    replace: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Copy the ``.sav`` files of ``path`` under VAR_DIR, check them and store the estimates.

    ``actor`` is None on the command line, where access to the server is the authority.
    Nothing is stored unless everything is: the database rows in one transaction, the
    folder moved into place as its last step.
    """
    report = progress or (lambda stage, done, total: None)
    source = Path(path)
    if not NAME_PATTERN.match(name):
        raise SurveyImportError(
            f"Survey name {name!r} is not valid: use lower-case letters, digits and hyphens "
            "(for example mics-2024)."
        )
    if not source.is_dir():
        raise SurveyImportError(f"{source} is not a folder of MICS .sav files.")
    existing = Survey.objects.filter(name=name).first()
    if existing is not None and not replace:
        raise SurveyImportError(
            f"A survey named {name!r} already exists (imported "
            f"{timezone.localtime(existing.imported_at):%Y-%m-%d %H:%M}). "
            "Choose another name, or replace it with --replace."
        )
    checksums = survey_checksums(source)
    if not checksums:
        raise SurveyImportError(
            f"No MICS files ({', '.join(f'{f}.sav' for f in FILES)}) were found in {source}."
        )
    same = _surveys_with_files({(f.name, f.sha256) for f in checksums}, exclude=name)

    root = Path(settings.VAR_DIR) / STORAGE
    staging = root / f".{name}.incoming-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    try:
        for done, found in enumerate(checksums, start=1):
            shutil.copy2(found.path, staging / f"{found.name}.sav")
            report("Copying files", done, len(checksums))
        report("Reading and checking", 0, 1)
        survey = load_survey(staging)
        report("Reading and checking", 1, 1)
        copied = {f.name: f.sha256 for f in survey.files}
        if copied != {f.name: f.sha256 for f in checksums}:
            raise SurveyImportError(f"The copies under {staging} differ from {source}.")
        table = compute_tables(
            survey, progress=lambda done, total, _what: report("Computing indicators", done, total)
        )
        problems = [p.as_dict() for p in (*survey.problems, *table.attrs["problems"])]
        report("Storing estimates", 0, 1)
        with transaction.atomic():
            if existing is not None:
                existing.delete()
            stored = Survey.objects.create(
                name=name,
                title=title or name,
                layout=survey.layout,
                imported_by=actor,
                imported_at=timezone.now(),
                folder=f"{STORAGE}/{name}",
                problems=problems,
            )
            SurveyFile.objects.bulk_create(
                SurveyFile(
                    survey=stored,
                    name=f.name,
                    sha256=f.sha256,
                    rows=f.rows,
                    variables=len(f.variables),
                )
                for f in survey.files
            )
            SurveyEstimate.objects.bulk_create(_estimates(stored, table), batch_size=500)
            _move_into_place(staging, stored.path)
        report("Storing estimates", 1, 1)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return ImportResult(survey=stored, replaced=existing is not None, same_files_as=same)


def _surveys_with_files(files: set[tuple[str, str]], *, exclude: str) -> list[str]:
    candidates = (
        SurveyFile.objects.filter(sha256__in={sha for _, sha in files})
        .exclude(survey__name=exclude)
        .values_list("survey_id", flat=True)
        .distinct()
    )
    names = []
    for survey in Survey.objects.filter(pk__in=candidates).prefetch_related("files"):
        if {(f.name, f.sha256) for f in survey.files.all()} == files:
            names.append(survey.name)
    return sorted(names)


def _move_into_place(staging: Path, target: Path) -> None:
    """Replace the survey's folder; the old one goes only once the database commits."""
    if target.exists():
        retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        target.rename(retired)
        transaction.on_commit(lambda: shutil.rmtree(retired, ignore_errors=True))
    staging.rename(target)


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _estimates(survey: Survey, table: pd.DataFrame) -> Iterable[SurveyEstimate]:
    regions = RegionMatcher(Place.objects.filter(parent__isnull=True))
    for position, row in enumerate(table.itertuples(index=False)):
        yield SurveyEstimate(
            survey=survey,
            position=position,
            indicator=row.indicator,
            disaggregation=row.disaggregation,
            category=str(row.category)[:200],
            region_code=regions.code(row.category) if row.disaggregation == "region" else "",
            estimate=_number(row.estimate),
            se=_number(row.se),
            ci_low=_number(row.ci_low),
            ci_high=_number(row.ci_high),
            deff=_number(row.deff),
            n_unweighted=int(row.n_unweighted),
            n_weighted=float(row.n_weighted),
            flag=row.flag,
        )


_GENERIC_WORDS = re.compile(r"\b(region|oblast|city|облысы|область|обл\.|город|г\.|қаласы)(?=\s|$)")


def _normal(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


class RegionMatcher:
    """Region value labels of a survey file to KATO region codes.

    A label matches a region's name in Kazakh, Russian or English, or its two-digit
    code; failing that, the name without words like "Region" or "область", when
    that is unambiguous ("Almaty" is the city, never Almaty Region).
    """

    def __init__(self, regions: Iterable[Place]) -> None:
        self.exact: dict[str, str] = {}
        loose: dict[str, set[str]] = {}
        for region in regions:
            self.exact[region.region_code] = region.region_code
            for name in (region.name_en, region.name_ru, region.name_kk):
                self.exact[_normal(name)] = region.region_code
                loose.setdefault(self._strip(name), set()).add(region.region_code)
        self.loose = {
            key: codes.pop()
            for key, codes in loose.items()
            if len(codes) == 1 and key not in self.exact
        }

    @staticmethod
    def _strip(text: str) -> str:
        return " ".join(_GENERIC_WORDS.sub(" ", _normal(text)).split())

    def code(self, label: str) -> str:
        normal = _normal(label)
        return self.exact.get(normal) or self.loose.get(self._strip(label), "")
