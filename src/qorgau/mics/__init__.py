"""MICS survey analysis: child protection indicators from SPSS microdata.

Pure Python (numpy, pandas, pyreadstat, openpyxl); no Django. The web layer calls:

``load_survey(path, *, layout=None, lonely_psu="adjust") -> Survey``
    Read a folder of MICS ``.sav`` files (``hh``, ``hl``, ``wm``, ``mn``, ``ch``,
    ``fs``; names case-insensitive). MICS6 or MICS5 layout is detected. Import
    checks are in ``survey.problems`` (:class:`Problem`: ``code``, ``severity``,
    ``file``, ``variable``, ``count``, ``rows``, ``handling``, English
    ``message``); ``survey.files`` holds name, SHA-256, rows and variables.
``survey_checksums(path) -> list[SurveyFile]``
    Name, SHA-256, rows and variable names of each file, from metadata only.
``compute_tables(survey, indicators=None, progress=None, *, lonely_psu=None) -> DataFrame``
    Tidy table ``indicator, disaggregation, category, estimate, se, ci_low,
    ci_high, deff, n_unweighted, n_weighted`` then ``flag, ci95_low,
    ci95_high``. Percentages; ``ci_low``/``ci_high`` are estimate ± 2·SE as in
    MICS reports, ``ci95_*`` are estimate ± 1.96·SE. ``flag`` is ``"*"`` below
    25 unweighted cases and ``"()"`` for 25-49. ``progress(done, total, what)``
    is called after each group of indicators. Problems met while computing are
    in ``table.attrs["problems"]``.
``write_csv(table, path)``, ``write_xlsx(table, path)``
    CSV, and a workbook with one MICS-style sheet per indicator.
``generate_synthetic(path, households=2000, seed=0, layout="mics6")``
    A synthetic dataset (never real people) for tests, demos and benchmarks.
``INDICATORS``
    Registry of MICS6 indicator definitions by code (``PR.1`` ... ``PR.15.M``).

Translation: the library speaks English. Stable keys for the web layer are the
problem ``code`` (:class:`ProblemCode`), the indicator code and the
disaggregation key (``total``, ``area``, ``region``, ``sex``, ``age``,
``mother_education``, ``education``, ``wealth``). Categories are value labels
from the data file itself.
"""

from .definitions import INDICATORS, MICS5_INDICATORS, Indicator
from .estimator import LonelyPsuError
from .export import write_csv, write_xlsx
from .problems import Problem, ProblemCode, Severity
from .readers import Survey, SurveyFile, load_survey, survey_checksums
from .synthetic import generate_synthetic
from .tables import COLUMNS, compute_tables

__all__ = [
    "COLUMNS",
    "INDICATORS",
    "MICS5_INDICATORS",
    "Indicator",
    "LonelyPsuError",
    "Problem",
    "ProblemCode",
    "Severity",
    "Survey",
    "SurveyFile",
    "compute_tables",
    "generate_synthetic",
    "load_survey",
    "survey_checksums",
    "write_csv",
    "write_xlsx",
]
