"""Reads: the survey list, one survey's tables and charts, headline rows for statistics.

Survey estimates are published aggregates (no person can be found in them), so
everyone with Perm.STATS_VIEW sees every region; the statistics page narrows them
to the analyst's own scope.
"""

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, QuerySet
from django.utils.formats import number_format

from qorgau.accounts.models import User
from qorgau.accounts.roles import Perm
from qorgau.mics import COLUMNS
from qorgau.places.models import Place
from qorgau.places.ordering import region_order
from qorgau.surveys import labels
from qorgau.surveys.charts import Chart, interval_chart, shown_interval
from qorgau.surveys.models import Survey, SurveyEstimate

HEADLINE_INDICATORS = ("PR.2", "PR.3", "PR.4b")
DEFAULT_DISAGGREGATION = "region"


def surveys_visible_to(actor: User) -> QuerySet[Survey]:
    if not actor.has_perm_code(Perm.STATS_VIEW):
        return Survey.objects.none()
    return Survey.objects.select_related("imported_by").annotate(
        file_count=Count("files", distinct=True)
    )


def access_survey(actor: User, name: str) -> Survey | None:
    """The survey if the actor may see it; None both when it is missing and when not theirs."""
    return surveys_visible_to(actor).filter(name=name).first()


@dataclass(frozen=True)
class Cell:
    """One estimate as MICS tables print it, numbers already formatted for the language."""

    category: str
    estimate: str  # "12.3", "(12.3)" for 25-49 cases, "*" below 25
    se: str
    ci_low: str
    ci_high: str
    deff: str
    n_unweighted: int
    n_weighted: str
    suppressed: bool
    flag: str
    region_code: str = ""
    no_interval: bool = False  # standard error zero: the estimate without limits


@dataclass(frozen=True)
class IndicatorTable:
    code: str
    title: str
    total: Cell | None
    rows: list[Cell]
    chart: Chart

    @property
    def anchor(self) -> str:
        return "ind-" + self.code.replace(".", "-").lower()


@dataclass(frozen=True)
class SurveyPage:
    survey: Survey
    disaggregation: str
    disaggregation_name: str
    # (key, translated name) of the disaggregations the survey has, in table order.
    disaggregations: list[tuple[str, str]]
    tables: list[IndicatorTable]
    problems: list[dict[str, object]]


def _fmt(value: float | None, digits: int) -> str:
    return "" if value is None else number_format(value, digits)


def _estimate_text(estimate: SurveyEstimate) -> str:
    if estimate.flag == "*" or estimate.estimate is None:
        return "*"
    text = number_format(estimate.estimate, 1)
    return f"({text})" if estimate.flag == "()" else text


def category_label(estimate: SurveyEstimate, region_names: dict[str, str]) -> str:
    if estimate.region_code and estimate.region_code in region_names:
        return region_names[estimate.region_code]
    return labels.category_name(estimate.category)


def region_names() -> dict[str, str]:
    """Region code to its name in the current language."""
    return {p.region_code: p.name for p in Place.objects.filter(parent__isnull=True)}


def cell(estimate: SurveyEstimate, names: dict[str, str]) -> Cell:
    suppressed = estimate.flag == "*" or estimate.estimate is None
    interval = None if suppressed else shown_interval(estimate)
    low, high = interval if interval is not None else (None, None)
    return Cell(
        category=category_label(estimate, names),
        estimate=_estimate_text(estimate),
        se="" if suppressed else _fmt(estimate.se, 2),
        ci_low=_fmt(low, 1),
        ci_high=_fmt(high, 1),
        deff="" if suppressed else _fmt(estimate.deff, 2),
        n_unweighted=estimate.n_unweighted,
        n_weighted=number_format(round(estimate.n_weighted), 0, force_grouping=True),
        suppressed=suppressed,
        flag=estimate.flag,
        region_code=estimate.region_code,
        no_interval=not suppressed and interval is None,
    )


def survey_page(*, survey: Survey, disaggregation: str | None) -> SurveyPage:
    """Every indicator's total and the rows of one disaggregation, with a chart of them."""
    present = list(
        SurveyEstimate.objects.filter(survey=survey)
        .order_by("position")
        .values_list("disaggregation", flat=True)
    )
    keys = list(dict.fromkeys(present))
    chosen = disaggregation if disaggregation in keys else None
    if chosen is None:
        chosen = DEFAULT_DISAGGREGATION if DEFAULT_DISAGGREGATION in keys else "total"
    names = region_names()
    rows: dict[str, list[SurveyEstimate]] = defaultdict(list)
    totals: dict[str, SurveyEstimate] = {}
    for estimate in SurveyEstimate.objects.filter(
        survey=survey, disaggregation__in={"total", chosen}
    ).order_by("position"):
        if estimate.disaggregation == "total":
            totals.setdefault(estimate.indicator, estimate)
        if estimate.disaggregation == chosen:
            rows[estimate.indicator].append(estimate)
    if chosen == "region":
        for estimates in rows.values():
            estimates.sort(key=lambda e: region_order(e.region_code, category_label(e, names)))
    chosen_name = labels.disaggregation_name(chosen)
    tables = []
    for code in dict.fromkeys([*totals, *rows]):
        title = labels.indicator_title(code)
        cells = [cell(e, names) for e in rows[code]]
        total = cell(totals[code], names) if code in totals else None
        tables.append(
            IndicatorTable(
                code=code,
                title=title,
                total=total,
                rows=cells,
                chart=interval_chart(
                    rows[code],
                    [c.category for c in cells],
                    title=title,
                    chart_id="chart-" + code.replace(".", "-").lower(),
                ),
            )
        )
    return SurveyPage(
        survey=survey,
        disaggregation=chosen,
        disaggregation_name=chosen_name,
        disaggregations=[(k, labels.disaggregation_name(k)) for k in keys],
        tables=tables,
        problems=problem_rows(survey),
    )


def problem_rows(survey: Survey) -> list[dict[str, object]]:
    """The stored import problems with their translated names and handling."""
    out = []
    for problem in survey.problems:
        code, handling = str(problem.get("code", "")), str(problem.get("handling", ""))
        severity = str(problem.get("severity", ""))
        file = str(problem.get("file", ""))
        out.append(
            {
                **problem,
                "title": labels.problem_title(code),
                "severity_name": labels.severity_name(severity),
                "file_name": f"{file}.sav" if file else "",
                "handling_text": labels.handling_text(handling),
                "examples": ", ".join(str(r) for r in problem.get("rows", []) or []),
            }
        )
    return out


@dataclass(frozen=True)
class HeadlineRow:
    name: str
    region_code: str  # "" for the national total and unmatched regions
    total: bool
    cells: list[Cell | None]  # one per HEADLINE_INDICATORS, None when not estimated


@dataclass(frozen=True)
class Headline:
    """The latest survey's headline child protection indicators for one scope."""

    survey: Survey
    indicators: list[tuple[str, str, str]]  # code, short name, full title
    rows: list[HeadlineRow]


def latest_headline(*, region_prefix: str) -> Headline | None:
    """Region rows of PR.2, PR.3 and PR.4b in the latest survey: all regions for '' and the
    national total, else only the region with that KATO code."""
    survey = Survey.objects.order_by("-imported_at").first()
    if survey is None:
        return None
    estimates = SurveyEstimate.objects.filter(survey=survey, indicator__in=HEADLINE_INDICATORS)
    if region_prefix:
        estimates = estimates.filter(disaggregation="region", region_code=region_prefix)
    else:
        estimates = estimates.filter(disaggregation__in=("total", "region"))
    names = region_names()
    grouped: dict[tuple[str, str], dict[str, Cell]] = {}
    for estimate in estimates.order_by("position"):
        key = (estimate.disaggregation, estimate.region_code or estimate.category)
        grouped.setdefault(key, {})[estimate.indicator] = cell(estimate, names)
    rows = []
    for (disaggregation, _key), by_code in grouped.items():
        first = next(iter(by_code.values()))
        rows.append(
            HeadlineRow(
                name=first.category,
                region_code=first.region_code,
                total=disaggregation == "total",
                cells=[by_code.get(code) for code in HEADLINE_INDICATORS],
            )
        )
    rows.sort(key=lambda r: (not r.total, *region_order(r.region_code, r.name)))
    indicators = [
        (code, str(labels.HEADLINE_SHORT[code]), labels.indicator_title(code))
        for code in HEADLINE_INDICATORS
    ]
    return Headline(survey=survey, indicators=indicators, rows=rows)


def survey_table(*, survey: Survey) -> pd.DataFrame:
    """The stored estimates as the tidy table of qorgau.mics, exactly its ten columns."""
    rows = SurveyEstimate.objects.filter(survey=survey).order_by("position").values_list(*COLUMNS)
    table = pd.DataFrame(list(rows), columns=COLUMNS)
    return table.astype(dict.fromkeys(["estimate", "se", "ci_low", "ci_high", "deff"], float))
