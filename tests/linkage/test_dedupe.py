"""`qorgau link dedupe FILE --out OUT.csv`: a legacy register deduplicated before import,
every row kept, every bad row named with its field and why."""

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from personas import make_child
from qorgau.audit.models import AccessLogEntry, Action
from qorgau.children.iin import make_iin
from qorgau.linkage import batch, legacy, synthetic
from qorgau.linkage.models import LinkRun

HEADER = ",".join(legacy.COLUMNS)


def _csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(legacy.COLUMNS)
    for row in rows:
        born = row.get("birth_date")
        writer.writerow(
            [
                *(row.get(c) or "" for c in legacy.COLUMNS[:4]),
                born.isoformat() if born else "",  # type: ignore[attr-defined]
                *(row.get(c) or "" for c in legacy.COLUMNS[5:]),
            ]
        )
    return out.getvalue()


def _checked(text: str) -> legacy.Legacy:
    return legacy.check(csv.reader(io.StringIO(text)))


def test_a_row_without_record_id_or_with_a_repeated_one_is_named_and_not_compared():
    checked = _checked(
        f"{HEADER}\n"
        "a1,Ахметов,Ерлан,,2014-12-04,M,,55,5510,\n"
        ",Ахметов,Ерлан,,2014-12-04,M,,55,5510,\n"
        "a1,Ахметов,Ерлан,,2014-12-04,M,,55,5510,\n"
    )
    assert [str(p) for p in checked.problems] == [
        "row 3, record_id: empty (row not compared)",
        "row 4, record_id: 'a1' is also the record_id of row 2 (row not compared)",
    ]
    assert len(checked.rows) == 3 and list(checked.usable) == [0]


def test_an_unreadable_date_sex_or_iin_is_named_and_treated_as_missing():
    valid = make_iin(dt.date(2014, 12, 4), "M", 7)
    assert valid is not None
    wrong = valid[:11] + str((int(valid[11]) + 1) % 10)
    checked = _checked(
        f"{HEADER}\n"
        f"a1,Ахметов,Ерлан,,04.12.2014,X,{wrong},55,5510,\n"
        f"a2,Ахметов,Ерлан,,2014-02-30,M,{valid},55,5510,\n"
    )
    problems = [(p.row, p.field, p.compared) for p in checked.problems]
    assert problems == [
        (2, "birth_date", True),
        (2, "sex", True),
        (2, "iin", True),
        (3, "birth_date", True),
    ]
    assert "check digit" in checked.problems[2].message
    assert checked.usable[0]["iin"] is None and checked.usable[0]["birth_date"] is None
    assert checked.usable[1]["iin"] == valid
    assert len(checked.usable) == 2


def test_a_file_with_other_columns_is_refused_with_the_columns_it_needs():
    with pytest.raises(legacy.LegacyFileError, match="missing columns: mother_name"):
        _checked("record_id,last_name,first_name,middle_name,birth_date,sex,iin,region,district\n")
    with pytest.raises(legacy.LegacyFileError, match="unknown columns: phone"):
        _checked(HEADER + ",phone\n")


def test_a_spreadsheet_is_read_as_the_csv_would_be(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(legacy.COLUMNS))
    valid = make_iin(dt.date(2006, 12, 4), "F", 3)
    assert valid is not None and valid.startswith("0")
    born = dt.datetime(2006, 12, 4)  # noqa: DTZ001 - a spreadsheet cell has no zone
    sheet.append([17, "Михайлова", "Мария", "Юрьевна", born, "F", int(valid), 55, 5510, None])
    book.save(tmp_path / "register.xlsx")
    read = legacy.read(tmp_path / "register.xlsx")
    assert read.problems == []
    assert read.rows[0]["record_id"] == "17"
    assert read.rows[0]["birth_date"] == "2006-12-04"
    assert read.rows[0]["iin"] == valid  # the leading zero the spreadsheet lost


@pytest.fixture(scope="module")
def deduplicated(tmp_path_factory: pytest.TempPathFactory):
    rows = list(synthetic.registry(1500, seed=8, duplicate_share=0.3, twin_share=0.1))
    folder = tmp_path_factory.mktemp("dedupe")
    source = folder / "register.csv"
    bad = "\n,Ахметов,Ерлан,,2014-12-04,M,,55,5510,\nr1,Копия,Ерлан,,2014-12-04,M,,55,5510,\n"
    source.write_text(_csv(rows) + bad.lstrip("\n"), encoding="utf-8")
    out, pairs = folder / "out.csv", folder / "pairs.csv"
    errors = io.StringIO()
    with pytest.raises(CommandError, match="2 rows could not be compared"):
        call_command(
            "link", "dedupe", str(source), "--out", str(out), "--pairs", str(pairs), stderr=errors
        )
    return rows, list(csv.DictReader(out.open(encoding="utf-8"))), pairs, errors.getvalue()


def test_every_row_comes_out_with_its_cluster(deduplicated):
    rows, written, _, _ = deduplicated
    assert list(written[0]) == list(legacy.OUTPUT_COLUMNS)
    assert len(written) == len(rows) + 2
    assert [w["record_id"] for w in written[: len(rows)]] == [r["record_id"] for r in rows]
    # The two rows that could not be compared are there, without a cluster.
    assert [w["cluster_id"] for w in written[len(rows) :]] == ["", ""]
    assert all(w["cluster_id"] for w in written[: len(rows)])


def test_the_records_of_one_child_share_a_cluster_and_twins_do_not(deduplicated):
    rows, written, _, _ = deduplicated
    truth = {r["record_id"]: r["truth"] for r in rows}
    family = {r["record_id"]: r["family"] for r in rows}
    members: dict[str, list[str]] = defaultdict(list)
    for w in written[: len(rows)]:
        members[w["cluster_id"]].append(w["record_id"])
    found = together = wrong = twins = 0
    for ids in members.values():
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                found += 1
                together += truth[a] == truth[b]
                wrong += truth[a] != truth[b]
                twins += truth[a] != truth[b] and family[a] == family[b]
    positives = sum(n * (n - 1) // 2 for n in Counter(truth.values()).values())
    assert twins == 0
    assert wrong <= found * 0.01
    assert together >= positives * 0.8
    single = next(ids for ids in members.values() if len(ids) == 1)
    row = next(w for w in written if w["record_id"] == single[0])
    assert row["cluster_id"] == row["record_id"] and row["match_probability"] == ""
    linked = next(w for w in written if w["match_probability"])
    assert float(linked["match_probability"]) >= 0.99


def test_the_pairs_come_with_their_match_weights_and_the_problems_with_their_rows(deduplicated):
    rows, _, pairs, errors = deduplicated
    scored = list(csv.DictReader(pairs.open(encoding="utf-8")))
    assert scored and {"match_weight", "weight_birth_date", "maybe_twins"} <= set(scored[0])
    assert any(p["maybe_twins"] == "1" for p in scored)
    assert f"row {len(rows) + 2}, record_id: empty" in errors
    assert f"row {len(rows) + 3}, record_id: 'r1' is also the record_id of row 2" in errors


@pytest.fixture(scope="module")
def registry_model():
    """A model trained on a registry, as `qorgau link run` keeps it."""
    return batch.score(batch.prepared(synthetic.registry(1500, seed=9))).model


def _last_run(model):
    now = timezone.now()
    LinkRun.objects.create(
        started_at=now, finished_at=now, review_threshold=0.5, high_threshold=0.99, model=model
    )


@pytest.mark.django_db
def test_a_row_of_a_registered_child_is_named_after_the_child_and_the_look_is_logged(
    tmp_path, registry_model, administrator, caseworker_pavlodar, pavlodar_city
):
    child = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,  # KATO 551010000: district 5510, region 55
        last_name="Михайлова",
        first_name="Мария",
        middle_name="Юрьевна",
        birth_date=dt.date(2014, 12, 4),
    )
    make_child(actor=caseworker_pavlodar, place=pavlodar_city, first_name="Дана")
    _last_run(registry_model)
    source, out = tmp_path / "register.csv", tmp_path / "out.csv"
    source.write_text(
        f"{HEADER}\n"
        "a1,Mikhaylova,Mariya,,2014-12-04,F,,55,5510,\n"
        "a2,Михайлова,Мария,Юрьевна,2014-12-04,F,,55,5510,\n"
        "a3,Ахметов,Ерлан,,2010-01-02,M,,11,1100,\n",
        encoding="utf-8",
    )
    call_command(
        "link", "dedupe", str(source), "--out", str(out), "--registry",
        "--user", administrator.username,
    )  # fmt: skip
    written = {w["record_id"]: w for w in csv.DictReader(out.open(encoding="utf-8"))}
    assert written["a1"]["cluster_id"] == written["a2"]["cluster_id"] == f"child:{child.pk}"
    assert float(written["a1"]["match_probability"]) >= 0.99
    assert written["a3"]["cluster_id"] == "a3"
    entry = AccessLogEntry.objects.get(action=Action.SEARCH, record_kind="child")
    assert entry.actor_id == administrator.pk and entry.result_count == 1


@pytest.mark.django_db
def test_only_an_administrator_links_a_file_to_the_registry(
    tmp_path, registry_model, caseworker_pavlodar
):
    _last_run(registry_model)
    source = tmp_path / "register.csv"
    source.write_text(f"{HEADER}\na1,Ахметов,Ерлан,,2010-01-02,M,,11,1100,\n", encoding="utf-8")
    out = str(tmp_path / "out.csv")
    with pytest.raises(CommandError, match="--user"):
        call_command("link", "dedupe", str(source), "--out", out, "--registry")
    with pytest.raises(CommandError, match="may use the linkage model"):
        call_command(
            "link", "dedupe", str(source), "--out", out, "--registry",
            "--user", caseworker_pavlodar.username,
        )  # fmt: skip
