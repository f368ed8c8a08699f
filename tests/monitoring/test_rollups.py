"""Monitoring's rollups: kept by the services, equal to the raw rows, never losing a count."""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from personas import (
    make_case,
    make_child,
    make_report,
    make_screened_in_case,
    version_of,
)
from qorgau.cases import rollups
from qorgau.cases.models import CaseTally, RegionTally, Report, ReportTally
from qorgau.cases.services.closure import case_reopen
from qorgau.cases.services.reports import DescribedChild, report_link_child, report_screen_out
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request
from qorgau.children.models import Sex
from qorgau.children.services import child_update
from qorgau.linkage.services import child_merge, child_unmerge
from qorgau.monitoring import casedata
from qorgau.monitoring.casedata import CaseFilters


def _raw_reports(*, sex: str = "", age_group: str = "", concern: str = "") -> Counter[str]:
    """Reports of the period by region, counted from the raw rows in Python."""
    since = casedata.period_start()
    counts: Counter[str] = Counter()
    for report in Report.objects.prefetch_related("concerns", "children__child"):
        day = timezone.localdate(report.received_at)
        if day < since:
            continue
        if concern and concern not in report.concern_codes:
            continue
        if sex or age_group:
            hit = False
            for link in report.children.all():
                child = link.child
                if child is None:
                    continue
                age = rollups.age_on(child.birth_date, day) if child.birth_date else None
                if (not sex or child.sex == sex) and (
                    not age_group or rollups.age_group_of(age) == age_group
                ):
                    hit = True
            if not hit:
                continue
        counts[report.place.kato[:2]] += 1
    return counts


def _series(personas) -> None:
    """Reports, screenings, cases, a transfer, a closure and reopening, a child's date of
    birth corrected, a merge and its undoing: every service that moves a count."""
    p = personas
    worker, supervisor = p.caseworker_pavlodar, p.supervisor_pavlodar
    for _ in range(3):
        make_report(actor=p.operator_111, place=p.pavlodar_city, concerns=("bullying", "neglect"))
    out = make_report(actor=p.operator_111, place=p.astana, concerns=("physical",))
    report_screen_out(actor=p.supervisor_astana, report=out, reason="no_concern", note="Checked.")
    boy = make_child(actor=worker, sex=Sex.MALE, birth_date=dt.date(2021, 5, 1))
    described = make_report(
        actor=worker,
        concerns=("neglect",),
        children=[DescribedChild(description="Boy, about 4")],
    )
    report_link_child(actor=worker, report=described, link=described.children.get(), child=boy)
    make_screened_in_case(screener=supervisor, worker=worker, report=described)
    moving = make_case(worker=worker, supervisor=supervisor, status="planning")
    case_transfer_request(
        actor=worker,
        case=moving,
        version=version_of(moving),
        to_organisation=p.dept_astana,
        reason="The family moved to Astana",
    )
    case_transfer_decide(
        actor=p.supervisor_astana,
        case=moving,
        version=version_of(moving),
        accept=True,
        worker=p.caseworker_astana,
    )
    closed = make_case(worker=worker, supervisor=supervisor, status="closed")
    case_reopen(actor=supervisor, case=closed, version=version_of(closed), reason="New report")
    make_case(worker=worker, supervisor=supervisor, status="closed")
    girl = make_child(actor=worker, birth_date=dt.date(2014, 3, 9))
    make_screened_in_case(screener=supervisor, worker=worker, child=girl)
    child_update(actor=worker, child=girl, version=girl.version, birth_date=dt.date(2022, 1, 2))
    twin = make_child(
        actor=worker, first_name=girl.first_name, last_name=girl.last_name, sex=Sex.UNKNOWN
    )
    make_screened_in_case(screener=supervisor, worker=worker, child=twin)
    merge = child_merge(actor=supervisor, kept=girl, merged=twin, reason="One girl")
    child_unmerge(actor=supervisor, merge=merge, reason="Two girls after all")
    child_merge(actor=supervisor, kept=girl, merged=twin, reason="One girl, checked")


def test_after_a_series_of_service_calls_the_rollups_equal_the_raw_rows(personas, national_analyst):
    _series(personas)
    assert ReportTally.objects.exists() and CaseTally.objects.exists()
    assert rollups.differences() == []
    board = casedata.overview(actor=national_analyst)
    raw = casedata.overview(actor=national_analyst, source="raw")
    assert board == raw
    for filters in (
        CaseFilters(region="55"),
        CaseFilters(concern="bullying"),
        CaseFilters(sex=Sex.FEMALE),
        CaseFilters(region="55", district=personas.pavlodar_city, concern="neglect"),
    ):
        assert casedata.overview(actor=national_analyst, filters=filters) == casedata.overview(
            actor=national_analyst, filters=filters, source="raw"
        ), filters
    # Astana's one report hides Pavlodar's too (complementary): compare the cells.
    since = casedata.period_start()
    tallied = RegionTally.objects.filter(region="55", month__gte=since)
    assert sum(t.reports for t in tallied) == _raw_reports()["55"] >= 5
    for filters, raw in (
        (CaseFilters(sex=Sex.FEMALE), _raw_reports(sex=Sex.FEMALE)),
        (CaseFilters(sex=Sex.MALE), _raw_reports(sex=Sex.MALE)),
        (CaseFilters(concern="bullying"), _raw_reports(concern="bullying")),
        (
            CaseFilters(concern="neglect", sex=Sex.FEMALE, age_group="10-14"),
            _raw_reports(concern="neglect", sex=Sex.FEMALE, age_group="10-14"),
        ),
    ):
        cells = casedata._cells("", filters, since)
        assert sum(c.reports for c in cells) == sum(raw.values()), filters
    assert _raw_reports(sex=Sex.FEMALE)["55"] >= 3
    # The corrected date of birth moved the girl's reports to 0-4.
    young = _raw_reports(age_group="0-4")
    assert young["55"] >= 2
    cells = casedata._cells("", CaseFilters(age_group="0-4"), since)
    assert sum(c.reports for c in cells) == sum(young.values())


def test_a_change_the_services_did_not_count_is_found_and_rebuild_repairs_it(personas):
    _series(personas)
    Report.objects.filter(pk=Report.objects.order_by("pk").first().pk).update(urgency="immediate")
    assert rollups.differences(), "a change behind the services' back shows"
    call_command("rollups", "rebuild")
    assert rollups.differences() == []
    call_command("rollups", "check")


def test_the_rebuild_command_recomputes_the_same_cells(personas):
    _series(personas)
    before = rollups.stored()
    ReportTally.objects.all().delete()
    CaseTally.objects.all().delete()
    call_command("rollups", "rebuild")
    assert rollups.stored() == before


def test_a_report_about_two_girls_counts_once_and_filters_by_bits(personas, national_analyst):
    p = personas
    worker = p.caseworker_pavlodar
    sisters = [make_child(actor=worker, birth_date=dt.date(2016, 1, 1)) for _ in range(2)]
    for _ in range(5):
        make_report(
            actor=worker,
            concerns=("sexual",),
            children=[DescribedChild(child=c) for c in sisters],
        )
    cells = ReportTally.objects.all()
    assert sum(c.reports for c in cells) == 5
    pavlodar = casedata.overview(
        actor=national_analyst, filters=CaseFilters(concern="sexual", sex=Sex.FEMALE)
    )
    assert pavlodar.totals.reports == 5
    boys = casedata.overview(actor=national_analyst, filters=CaseFilters(sex=Sex.MALE))
    assert boys.totals.reports == 0
    other = casedata.overview(actor=national_analyst, filters=CaseFilters(concern="neglect"))
    assert other.totals.reports == 0


def test_a_regional_analyst_asking_for_another_regions_district_gets_nothing(
    personas, regional_analyst_pavlodar
):
    for _ in range(6):
        make_report(actor=personas.operator_111, place=personas.astana)
    astana_district = personas.astana  # the region's own territory
    seen = casedata.overview(
        actor=regional_analyst_pavlodar, filters=CaseFilters(district=astana_district)
    )
    assert [r.region.region_code for r in seen.regions] == ["55"]
    assert seen.regions[0].reports == 0
    assert all(d.reports in (0, None) for d in seen.districts)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers: the lost update needs PostgreSQL (DATABASE_URL)",
)
def test_two_transactions_counting_into_one_cell_lose_no_update(personas):
    """Both transactions add to the same cell and wait for each other inside it; the
    second's INSERT ... ON CONFLICT waits for the first's row and then adds to the
    committed count (a read-then-write would have written 1 twice)."""
    report = make_report(actor=personas.operator_111, place=personas.pavlodar_city)
    facts = rollups.report_facts([report.pk])[report.pk]
    key = rollups._cell_key(facts.cell)
    start = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def add() -> None:
        try:
            from django.db import transaction

            with transaction.atomic():
                start.wait()
                for _ in range(50):
                    rollups._upsert(ReportTally, [(key, (1, 0, 0))])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    cell = ReportTally.objects.get(
        month=facts.cell.month,
        district_id=facts.cell.district_id,
        reporter_type=facts.cell.reporter_type,
        urgency=facts.cell.urgency,
        concerns=facts.cell.concerns,
        children=facts.cell.children,
    )
    assert cell.reports == 1 + 100


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises all writers: the row locks need PostgreSQL (DATABASE_URL)",
)
def test_a_report_counted_while_its_child_is_merged_waits_for_the_merge(personas, monkeypatch):
    """The merge holds both children and then moves the twin's report into the girl's
    cell; the new report about the girl counted its cell and then asked for the girl.
    Each waited for the other until PostgreSQL failed one. Counting takes the children
    first now, so the report waits for the merge and both land."""
    from qorgau.cases import casework_tallies
    from qorgau.linkage import services as linkage

    girl = make_child(actor=personas.caseworker_pavlodar, birth_date=dt.date(2014, 3, 9))
    twin = make_child(  # a second record of her, with the year of birth mistyped
        actor=personas.caseworker_pavlodar,
        first_name=girl.first_name,
        last_name=girl.last_name,
        birth_date=dt.date(2019, 3, 9),
    )
    place = {"actor": personas.operator_111, "place": personas.pavlodar_city}
    make_report(**place, children=[DescribedChild(child=twin)])
    merge_holds_children, report_counted = threading.Event(), threading.Event()
    lock, count_children = linkage._lock, casework_tallies.retally_child_reports

    def lock_then_let_the_report_count(kept, merged):  # type: ignore[no-untyped-def]
        locked = lock(kept, merged)
        merge_holds_children.set()
        report_counted.wait(timeout=3)  # the fixed order never gets there: it waits for us
        return locked

    def count_once_the_merge_holds_them(ids):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "report":
            report_counted.set()
            merge_holds_children.wait(timeout=3)
        count_children(ids)

    monkeypatch.setattr(linkage, "_lock", lock_then_let_the_report_count)
    monkeypatch.setattr(casework_tallies, "retally_child_reports", count_once_the_merge_holds_them)
    errors: list[BaseException] = []

    def run(work) -> None:  # type: ignore[no-untyped-def]
        try:
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    merge = threading.Thread(
        target=run,
        args=(
            lambda: child_merge(
                actor=personas.supervisor_pavlodar, kept=girl, merged=twin, reason="One girl"
            ),
        ),
    )
    report = threading.Thread(
        name="report",
        target=run,
        args=(lambda: make_report(**place, children=[DescribedChild(child=girl)]),),
    )
    merge.start()
    merge_holds_children.wait(timeout=10)
    report.start()
    for thread in (merge, report):
        thread.join(timeout=60)
    monkeypatch.undo()

    assert errors == []
    assert Report.objects.filter(children__child=girl).count() == 2
    assert rollups.differences() == []
