"""Translations of the stable keys that :mod:`qorgau.mics` speaks in English.

The library names indicators by code, disaggregations by key and problems by
code; these dictionaries give the page text in Kazakh, Russian and English.
A key missing here falls back to the library's English text.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qorgau.mics import INDICATORS, MICS5_INDICATORS, ProblemCode, Severity

INDICATOR_TITLES: dict[str, Promise] = {
    "PR.1": _("Children under age 5 whose births are registered"),
    "PR.2": _("Children age 1-14 who experienced any violent discipline method"),
    "PR.2.NV": _("Children age 1-14 who experienced only non-violent discipline"),
    "PR.2.PSY": _("Children age 1-14 who experienced psychological aggression"),
    "PR.2.PHY": _("Children age 1-14 who experienced any physical punishment"),
    "PR.2.SEV": _("Children age 1-14 who experienced severe physical punishment"),
    "PR.3": _("Children age 5-17 involved in child labour"),
    "PR.3.HAZ": _("Children age 5-17 involved in child labour, including hazardous conditions"),
    "PR.4a": _("Women age 20-24 who were first married or in union before age 15"),
    "PR.4b": _("Women age 20-24 who were first married or in union before age 18"),
    "PR.5": _("Women age 15-19 currently married or in union"),
    "PR.15.W": _("Women age 15-49 who justify wife-beating for any reason"),
    "PR.15.M": _("Men age 15-49 who justify wife-beating for any reason"),
}

# The headline child protection indicators shown next to the case statistics.
HEADLINE_SHORT: dict[str, Promise] = {
    "PR.2": _("Violent discipline"),
    "PR.3": _("Child labour"),
    "PR.4b": _("Married before 18"),
}

DISAGGREGATIONS: dict[str, Promise] = {
    "total": _("Total"),
    "area": _("Area"),
    "region": _("Region"),
    "sex": _("Sex"),
    "age": _("Age"),
    "mother_education": _("Mother's education"),
    "education": _("Education"),
    "wealth": _("Wealth index quintile"),
}

# Common value labels of MICS files; other categories are shown as the file labels them.
CATEGORIES: dict[str, Promise] = {
    "Total": _("Total"),
    "Urban": _("Urban"),
    "Rural": _("Rural"),
    "Male": _("Male"),
    "Female": _("Female"),
    "Poorest": _("Poorest"),
    "Second": _("Second"),
    "Middle": _("Middle"),
    "Fourth": _("Fourth"),
    "Richest": _("Richest"),
}

PROBLEMS: dict[str, Promise] = {
    ProblemCode.MISSING_FILE: _("File missing"),
    ProblemCode.MISSING_VARIABLE: _("Variable missing"),
    ProblemCode.ZERO_WEIGHT: _("Records with weight 0"),
    ProblemCode.MISSING_WEIGHT: _("Records without a weight"),
    ProblemCode.SINGLE_INTERVIEW_CLUSTER: _("Cluster with one completed interview"),
    ProblemCode.SINGLE_CLUSTER_STRATUM: _("Stratum with a single cluster"),
    ProblemCode.STRATUM_BUILT: _("Strata built from region and area"),
    ProblemCode.CHILD_WEIGHT_BUILT: _("Selected child's weight built (MICS5)"),
    ProblemCode.INDICATOR_SKIPPED: _("Indicator not computed"),
    ProblemCode.DISAGGREGATION_SKIPPED: _("Disaggregation left out"),
    ProblemCode.LAYOUT_UNSUPPORTED: _("Layout not supported"),
}

SEVERITIES: dict[str, Promise] = {
    Severity.INFO: _("Note"),
    Severity.WARNING: _("Warning"),
    Severity.ERROR: _("Error"),
}

# The library's fixed `handling` texts; formulas and unknown texts are shown as they are.
HANDLING: dict[str, Promise] = {
    "indicators skipped": _("indicators skipped"),
    "indicator skipped": _("indicator skipped"),
    "disaggregation skipped": _("disaggregation skipped"),
    "kept in the design (their clusters count), contribute nothing": _(
        "kept in the design (their clusters count), contribute nothing"
    ),
    "treated as weight 0: kept in the design, contribute nothing": _(
        "treated as weight 0: kept in the design, contribute nothing"
    ),
    "kept; the cluster contributes to variance like any other": _(
        "kept; the cluster contributes to variance like any other"
    ),
    "variance centred at the grand mean (R survey.lonely.psu = 'adjust')": _(
        "variance centred at the grand mean (R survey.lonely.psu = 'adjust')"
    ),
    "stratum contributes no variance (R survey.lonely.psu = 'remove'/'certainty')": _(
        "stratum contributes no variance (R survey.lonely.psu = 'remove'/'certainty')"
    ),
    "analysis stops with an error (R survey.lonely.psu = 'fail')": _(
        "analysis stops with an error (R survey.lonely.psu = 'fail')"
    ),
}

_ENGLISH_TITLES = {i.code: i.title for i in (*MICS5_INDICATORS.values(), *INDICATORS.values())}


def indicator_title(code: str) -> str:
    return str(INDICATOR_TITLES.get(code, _ENGLISH_TITLES.get(code, code)))


def disaggregation_name(key: str) -> str:
    return str(DISAGGREGATIONS.get(key, key))


def category_name(label: str) -> str:
    return str(CATEGORIES.get(label, label))


def problem_title(code: str) -> str:
    return str(PROBLEMS.get(code, code))


def severity_name(severity: str) -> str:
    return str(SEVERITIES.get(severity, severity))


def handling_text(handling: str) -> str:
    return str(HANDLING.get(handling, handling))
