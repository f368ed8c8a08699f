"""National and regional monitoring dashboards at 2,000,000 reports: rollups against raw.

PostgreSQL only. Creates the database named in DATABASE_URL (it must not exist, or
--reuse), builds the demo (personas, places, official statistics), then adds
`--reports` synthetic reports with their concerns, children and cases straight in SQL
(INSERT ... SELECT generate_series: minutes, where the seeder would take hours) with
first visits and police notifications for some of the cases, then
rebuilds the rollups (`qorgau rollups rebuild`, timed) and measures, in the same run:

- the dashboard page (national analyst, and the regional analyst of Pavlodar) over
  `--requests` requests with varied filters (period, region, district, concern, sex,
  age group): server time p50/p95, measured in-process around the request;
- the same page with the case-data figures computed from the raw tables (the baseline);
- the case-data figures alone (`casedata.overview`) from rollups and from raw, over
  the filters the raw baseline supports (all but age group);
- the case-work table (`casework.table`) from its rollups and from raw, and whether
  they agree (counts and shares exactly, hours within their buckets).

`--pages-only` times the whole page and nothing else, with whatever code is imported:
`PYTHONPATH=<a checkout of main>/src` measures main on the same database (`--reuse`)
for the before/after figures. `--label` names the results file.

Results go to bench/results/monitoring-<date>.json and are printed; the figures are
written down in bench/README-monitoring.md. `--drop` drops the database afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_monitoring_bench \\
      .venv/bin/python bench/monitoring_bench.py --reports 2000000 --requests 120 --drop
"""

import argparse
import datetime as dt
import functools
import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlparse

from common import cpu_model

RESULTS = Path(__file__).resolve().parent / "results"
YEARS = 5  # the reports are spread over the five years up to now
LABEL = [""]  # the results file's label (--label)


def _admin_connection(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    return psycopg.connect(admin, autocommit=True), parsed.path.lstrip("/")


def create_database(url: str, reuse: bool) -> bool:
    conn, name = _admin_connection(url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            raise SystemExit(f"{name} exists: drop it or pass --reuse")
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return bool(exists)


def drop_database(url: str) -> None:
    from django.db import connections

    connections.close_all()
    conn, name = _admin_connection(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_reports(n: int) -> dict[str, float]:
    """Reports, concerns, children links and cases in SQL, shaped like the services'."""
    from django.db import connection

    from qorgau.cases.choices import Concern, ReporterType, Urgency
    from qorgau.children.models import Child
    from qorgau.places.models import Place

    places = list(
        Place.objects.exclude(parent__isnull=True).values_list("pk", flat=True).order_by("pk")
    )
    children = list(Child.objects.values_list("pk", flat=True))
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_user WHERE role = 'operator_111' LIMIT 1")
        creator = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM accounts_user WHERE role = 'caseworker' LIMIT 1")
        worker = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_report")
        first_report = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        first_case = cursor.fetchone()[0]
        started = time.monotonic()
        cursor.execute(
            """
            INSERT INTO cases_report (received_at, reporter_type, reporter_name,
              reporter_contact, incident_date, place_id, region_code, incident_address, narrative,
              urgency, status, screening_due_at, screened_at, screened_by_id,
              screen_out_reason, screening_note, review, reviewed_by_id, reviewed_at,
              review_note, case_id, created_by_id, created_at)
            SELECT r.at,
              (%(reporters)s::text[])[1 + floor(random() * %(n_reporters)s)::int], '', '',
              NULL, r.place, (SELECT substr(p.kato, 1, 2) FROM places_place p WHERE p.id = r.place),
              '', 'bench',
              (%(urgencies)s::text[])[1 + floor(random() * 3)::int],
              CASE WHEN r.s < 0.45 THEN 'screened_in' WHEN r.s < 0.9 THEN 'screened_out'
                   ELSE 'new' END,
              r.at + interval '24 hours',
              CASE WHEN r.s < 0.9 THEN r.at + random() * interval '40 hours' END,
              CASE WHEN r.s < 0.9 THEN %(creator)s END,
              CASE WHEN r.s >= 0.45 AND r.s < 0.9 THEN 'no_concern' ELSE '' END,
              '', '', NULL, NULL, '', NULL, %(creator)s, r.at
            FROM (SELECT now() - random() * %(days)s * interval '1 day' AS at,
                         random() AS s,
                         (%(places)s::bigint[])[1 + floor(random() * %(n_places)s)::int] AS place
                  FROM generate_series(1, %(n)s)) r
            """,
            {
                "reporters": list(ReporterType.values),
                "n_reporters": len(ReporterType.values),
                "places": places,
                "n_places": len(places),
                "urgencies": list(Urgency.values),
                "creator": creator,
                "n": n,
                "days": YEARS * 365,
            },
        )
        timings["reports_s"] = time.monotonic() - started
        started = time.monotonic()
        concerns = list(Concern.values)
        cursor.execute(
            """
            INSERT INTO cases_reportconcern (report_id, concern)
            SELECT id, (%(c)s::text[])[1 + floor(random() * %(k)s)::int] FROM cases_report
            WHERE id > %(first)s
            """,
            {"c": concerns, "k": len(concerns), "first": first_report},
        )
        cursor.execute(
            """
            INSERT INTO cases_reportconcern (report_id, concern)
            SELECT id, (%(c)s::text[])[1 + floor(random() * %(k)s)::int] FROM cases_report
            WHERE id > %(first)s AND random() < 0.3
            ON CONFLICT DO NOTHING
            """,
            {"c": concerns, "k": len(concerns), "first": first_report},
        )
        cursor.execute(
            """
            INSERT INTO cases_reportchild (report_id, child_id, description)
            SELECT id, CASE WHEN random() < 0.5
                       THEN (%(children)s::bigint[])[1 + floor(random() * %(k)s)::int] END,
                   'Child, about 9'
            FROM cases_report WHERE id > %(first)s
            """,
            {"children": children, "k": len(children), "first": first_report},
        )
        timings["concerns_children_s"] = time.monotonic() - started
        started = time.monotonic()
        # One case per screened-in report; `version` carries the report's id until the
        # report points at its case, then goes back to 1.
        cursor.execute(
            """
            INSERT INTO cases_case (organisation_id, region_id, status, worker_id, risk_level,
              restricted, opened_at, assessment_due_at, plan_due_at, closure_requested_by_id,
              closure_reason, outcome, closure_note, closed_at, version)
            SELECT o.id, region.id,
              CASE WHEN c.closed IS NULL THEN 'active' ELSE 'closed' END,
              %(worker)s, (ARRAY['', 'low', 'medium', 'high'])[1 + floor(random() * 4)::int],
              false, c.opened, c.opened + interval '72 hours', c.opened + interval '240 hours',
              NULL, CASE WHEN c.closed IS NULL THEN '' ELSE 'goals_met' END,
              CASE WHEN c.closed IS NULL THEN '' ELSE 'improved' END, '', c.closed, c.id
            FROM (
              SELECT r.id, r.place_id, r.screened_at AS opened,
                CASE WHEN random() < 0.6 AND r.screened_at + interval '120 days' < now()
                     THEN r.screened_at + random() * interval '120 days' END AS closed
              FROM cases_report r WHERE r.id > %(first)s AND r.status = 'screened_in'
            ) c
            JOIN places_place p ON p.id = c.place_id
            JOIN places_place region ON region.kato = substr(p.kato, 1, 2) || '0000000'
            JOIN LATERAL (
              SELECT id FROM accounts_organisation WHERE kind = 'child_rights_dept'
              ORDER BY id LIMIT 1
            ) o ON true
            """,
            {"worker": worker, "first": first_report},
        )
        cursor.execute(
            """
            UPDATE cases_report r SET case_id = c.id FROM cases_case c
            WHERE c.id > %(first_case)s AND c.version = r.id
            """,
            {"first_case": first_case},
        )
        cursor.execute("UPDATE cases_case SET version = 1 WHERE id > %s", [first_case])
        timings["cases_s"] = time.monotonic() - started
        started = time.monotonic()
        # The case work the case-work table measures: a first visit for 70% of the cases
        # (0-5 days after opening), a police notification for 20% (due a day after
        # opening, 80% of them sent, most in time).
        cursor.execute(
            """
            INSERT INTO cases_visit (case_id, kind, visited_on, performed_by_id,
              participants, findings)
            SELECT c.id, 'home',
              ((c.opened_at AT TIME ZONE 'Asia/Almaty') + random() * interval '5 days')::date,
              %(worker)s, '', ''
            FROM cases_case c WHERE c.id > %(first_case)s AND random() < 0.7
            """,
            {"worker": worker, "first_case": first_case},
        )
        cursor.execute(
            """
            INSERT INTO cases_policenotification (case_id, concerns, due_at, sent_at,
              sent_by_id, police_id, acknowledged_at, police_reference)
            SELECT c.id, 'physical', c.opened_at + interval '24 hours',
              CASE WHEN random() < 0.8 THEN c.opened_at + random() * interval '30 hours' END,
              NULL, NULL, NULL, ''
            FROM cases_case c WHERE c.id > %(first_case)s AND random() < 0.2
            """,
            {"first_case": first_case},
        )
        timings["visits_police_s"] = time.monotonic() - started
        started = time.monotonic()
        cursor.execute("VACUUM ANALYZE")
        timings["vacuum_analyze_s"] = time.monotonic() - started
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 0.5) * 1000, 1),
        "p95_ms": round(percentile(times, 0.95) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def filter_sets(scope: str, count: int, rng: random.Random, raw_ok: bool) -> list[dict]:
    """Varied dashboard filters inside the scope ("" national, else a region)."""
    from qorgau.cases.choices import Concern
    from qorgau.cases.rollups import AGE_GROUPS
    from qorgau.monitoring.casedata import districts_of
    from qorgau.monitoring.regions import region_codes
    from qorgau.monitoring.selectors import offence_years

    years = offence_years()
    districts = districts_of(scope)
    out: list[dict] = []
    for i in range(count):
        params: dict = {}
        if len(years) > 1 and i % 3:
            first = rng.choice(years[:-1])
            params |= {"year_from": first, "year_to": rng.choice([y for y in years if y > first])}
        kind = i % 6
        if kind == 1 and not scope:
            params["region"] = rng.choice(region_codes())
        if kind == 2:
            district = rng.choice(districts)
            params["district"] = district.pk
            if not scope:
                params["region"] = district.kato[:2]
        if kind in (3, 5):
            params["concern"] = rng.choice(Concern.values)
        if kind in (4, 5):
            params["sex"] = rng.choice(["M", "F"])
        if kind == 4 and not raw_ok:
            params["age_group"] = rng.choice(AGE_GROUPS)
        out.append(params)
    return out


def client_for(username: str):  # type: ignore[no-untyped-def]
    from django.test import Client

    from qorgau.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def time_pages(client, filters: list[dict]) -> list[float]:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    url = reverse("statistics")
    client.get(url)  # warm-up
    times = []
    for params in filters:
        started = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (params, response.status_code)
    return times


def save(results: dict) -> Path:
    """Write what is measured so far (a long run that is stopped keeps its figures)."""
    RESULTS.mkdir(exist_ok=True)
    label = f"-{LABEL[0]}" if LABEL[0] else ""
    out = RESULTS / f"monitoring-{dt.datetime.now(dt.UTC):%Y-%m-%d}{label}.json"
    out.write_text(json.dumps(results, indent=1, default=str))
    print(json.dumps(results, default=str), flush=True)
    return out


def write_cost_and_freshness(analyst) -> dict:  # type: ignore[no-untyped-def]
    """What counting costs a write (report_create with and without the rollup step), and
    that a report through the service is in the very next figures."""
    from django.db import transaction

    from qorgau.accounts.models import User
    from qorgau.cases.services import reports
    from qorgau.cases.services.reports import DescribedChild, report_create
    from qorgau.monitoring import casedata
    from qorgau.places.models import Place

    operator = User.objects.filter(role="operator_111").first()
    place = Place.objects.filter(kato__startswith="55").exclude(parent__isnull=True).first()

    def create() -> None:
        report_create(
            actor=operator,
            reporter_type="school",
            place=place,
            narrative="Synthetic benchmark report.",
            urgency="routine",
            concerns=["neglect"],
            children=[DescribedChild(description="Girl, about 9")],
        )

    out: dict = {}
    before = casedata.overview(actor=analyst).totals.reports
    for label, patched in (("with_rollups", False), ("without_rollups", True)):
        real = reports.rollups.retally_reports
        if patched:
            reports.rollups.retally_reports = lambda ids: None  # type: ignore[assignment]
        try:
            times = []
            for _ in range(40):
                started = time.perf_counter()
                with transaction.atomic():
                    create()
                times.append(time.perf_counter() - started)
        finally:
            reports.rollups.retally_reports = real  # type: ignore[assignment]
        out[f"report_create_{label}"] = summary(times)
        if not patched:
            after = casedata.overview(actor=analyst).totals.reports
            out["fresh_after_40_reports"] = {"before": before, "after": after}
    return out


def casework_table(name: str, actor, raw_requests: int) -> dict:  # type: ignore[no-untyped-def]
    """The case-work table from the rollups and from raw (this year and the dashboard's
    months), and whether they agree: counts and shares exactly, hours within a bucket."""
    from django.utils import timezone

    from qorgau.monitoring import casework

    years = [None, timezone.localdate().year, timezone.localdate().year - 1]
    out: dict = {}
    times = []
    for i in range(30):
        started = time.perf_counter()
        casework.table(actor=actor, year=years[i % 3])
        times.append(time.perf_counter() - started)
    out[f"{name}_casework_rollup"] = summary(times)
    times, disagree = [], []
    hours = [i for i, c in enumerate(casework.TABLE_COLUMNS) if "_hours_" in c]
    for i in range(raw_requests):
        year = years[i % 3]
        started = time.perf_counter()
        raw = casework.table(actor=actor, year=year, source="raw")
        times.append(time.perf_counter() - started)
        rolled = casework.table(actor=actor, year=year)
        for mine, theirs in zip(rolled.rows, raw.rows, strict=True):  # type: ignore[union-attr]
            for j, (a, b) in enumerate(zip(mine, theirs, strict=True)):
                # Hours: within the widest bucket a value can fall in below 90 days.
                close = a == b or (
                    j in hours and a is not None and b is not None and abs(a - b) <= 24
                )
                if not close:
                    disagree.append([year, mine[0], casework.TABLE_COLUMNS[j], a, b])
    out[f"{name}_casework_raw"] = summary(times)
    out[f"{name}_casework_disagreements"] = disagree[:20]
    out[f"{name}_casework_hours_differences"] = [
        [
            year,
            r[0],
            max(
                abs(x - y)
                for x, y in zip(r[1:5], q[1:5], strict=True)
                if x is not None and y is not None
            ),
        ]
        for year in years[:1]
        for r, q in zip(
            casework.table(actor=actor, year=year).rows,  # type: ignore[union-attr]
            casework.table(actor=actor, year=year, source="raw").rows,  # type: ignore[union-attr]
            strict=True,
        )
        if any(x is not None for x in r[1:5])
    ][:22]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument(
        "--raw-requests", type=int, default=30, help="requests of the raw baseline (slow)"
    )
    parser.add_argument("--children", type=int, default=40_000, help="demo children")
    parser.add_argument("--reuse", action="store_true", help="the database is built already")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument(
        "--pages-only", action="store_true", help="time the whole page only (another branch)"
    )
    parser.add_argument("--label", default="", help="added to the results file's name")
    args = parser.parse_args()
    LABEL[0] = args.label
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database for the benchmark")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    create_database(url, args.reuse)
    import django

    django.setup()
    from django.core.management import call_command

    from qorgau.cases import rollups
    from qorgau.cases.models import Case, Report, ReportTally
    from qorgau.monitoring import casedata
    from qorgau.monitoring.casedata import CaseFilters
    from qorgau.places.models import Place

    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, {cpu_model()}",
        "load_before": os.getloadavg(),
    }
    from qorgau.demo.builder import demo_exists

    call_command("migrate", verbosity=0)
    if not demo_exists():
        started = time.monotonic()
        # The demo's people, places and statistics; children enough that 2M reports are
        # spread as in life (a few per child), not a thousand on each of 2,000.
        call_command(
            "demo",
            children=args.children,
            verbosity=0,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        results["demo_s"] = round(time.monotonic() - started, 1)
    if Report.objects.count() < args.reports:
        results["build"] = build_reports(args.reports)
        started = time.monotonic()
        rebuilt = rollups.rebuild()
        results["rollup_rebuild_s"] = round(time.monotonic() - started, 1)
        results["rollup_cells"] = {"reports": rebuilt.report_cells, "cases": rebuilt.case_cells}
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results["reports"] = Report.objects.count()
    results["cases"] = Case.objects.count()
    results["report_cells"] = ReportTally.objects.count()
    since = casedata.period_start()
    results["reports_in_period"] = Report.objects.filter(received_at__date__gte=since).count()
    rng = random.Random(2026)
    from qorgau.accounts.models import User

    actors = {
        "national": User.objects.get(username="analyst.national"),
        "regional_55": User.objects.filter(
            role="regional_analyst", organisation__place__kato__startswith="55"
        ).first(),
    }
    if args.pages_only:
        # The whole page, case-work table included, with whatever code is imported
        # (PYTHONPATH=<another checkout>/src measures that branch on the same data).
        for name, actor in actors.items():
            results[f"{name}_load"] = os.getloadavg()
            scope = "" if name == "national" else "55"
            client = client_for(actor.username)
            filters = filter_sets(scope, args.requests, rng, raw_ok=False)
            results[f"{name}_page"] = summary(time_pages(client, filters))
            save(results)
        results["load_after"] = os.getloadavg()
        save(results)
        return
    real_overview = casedata.overview
    for name, actor in actors.items():
        results[f"{name}_load"] = os.getloadavg()
        scope = "" if name == "national" else "55"
        page_filters = filter_sets(scope, args.requests, rng, raw_ok=False)
        client = client_for(actor.username)
        results[f"{name}_page_rollup"] = summary(time_pages(client, page_filters))
        save(results)
        raw_filters = filter_sets(scope, args.raw_requests, rng, raw_ok=True)
        results[f"{name}_page_rollup_rawable"] = summary(time_pages(client, raw_filters))
        casedata.overview = functools.partial(real_overview, source="raw")  # type: ignore[assignment]
        try:
            results[f"{name}_page_raw_casedata"] = summary(time_pages(client, raw_filters))
        finally:
            casedata.overview = real_overview  # type: ignore[assignment]
        for source in ("rollup", "raw"):
            times = []
            for params in raw_filters:
                district = params.get("district")
                filters = CaseFilters(
                    region=params.get("region", ""),
                    district=Place.objects.get(pk=district) if district else None,
                    concern=params.get("concern", ""),
                    sex=params.get("sex", ""),
                )
                started = time.perf_counter()
                real_overview(actor=actor, filters=filters, source=source)
                times.append(time.perf_counter() - started)
            results[f"{name}_overview_{source}"] = summary(times)
            save(results)
        results.update(casework_table(name, actor, args.raw_requests))
        save(results)
    results.update(write_cost_and_freshness(actors["national"]))
    save(results)
    results["load_after"] = os.getloadavg()
    save(results)
    if args.drop:
        drop_database(url)


if __name__ == "__main__":
    main()
