import csv
import io
import time
import zipfile

import pytest
import pyzipper
from django.urls import reverse

from personas import make_case
from qorgau.accounts import sessions
from qorgau.audit.models import AccessLogEntry
from qorgau.retention.exports import CSV_NAME
from qorgau.retention.models import PersonalDataExport

URL = "/exports/new/"
REASON = "Request of the Pavlodar city court, case 2-114/2026"


def _reauthenticated(client, user):
    client.force_login(user)
    session = client.session
    session[sessions.REAUTH] = int(time.time())
    session.save()


def _csv_rows(archive: bytes, password: str) -> list[dict[str, str]]:
    with pyzipper.AESZipFile(io.BytesIO(archive)) as zf:
        zf.setpassword(password.encode())
        text = zf.read(CSV_NAME).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def cases(caseworker_pavlodar, supervisor_pavlodar, caseworker_astana, supervisor_astana):
    mine = [make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar) for _ in range(2)]
    elsewhere = make_case(worker=caseworker_astana, supervisor=supervisor_astana)
    return mine, elsewhere


def test_the_export_page_is_at_exports_new():
    assert reverse("export-new") == URL


def test_a_supervisor_must_confirm_their_password_first(client, supervisor_pavlodar):
    client.force_login(supervisor_pavlodar)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reauthenticate"))
    posted = client.post(URL, {"reason": REASON})
    assert posted.status_code == 302 and not PersonalDataExport.objects.exists()


@pytest.mark.parametrize("persona", ["caseworker_pavlodar", "auditor", "national_analyst"])
def test_other_roles_get_a_404_even_after_confirming(client, personas, persona):
    _reauthenticated(client, personas[persona])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"reason": REASON}).status_code == 404


def test_a_reason_is_required(client, supervisor_pavlodar):
    _reauthenticated(client, supervisor_pavlodar)
    response = client.post(URL, {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert not PersonalDataExport.objects.exists()


def test_a_chosen_password_needs_twelve_characters(client, supervisor_pavlodar):
    _reauthenticated(client, supervisor_pavlodar)
    response = client.post(URL, {"reason": REASON, "password": "short-pass1"})
    assert response.context["form"].errors["password"]
    assert not PersonalDataExport.objects.exists()


def test_the_export_is_an_encrypted_zip_of_the_visible_cases_with_child_names(
    client, supervisor_pavlodar, cases
):
    mine, elsewhere = cases
    _reauthenticated(client, supervisor_pavlodar)

    page = client.post(URL, {"reason": REASON})

    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    password = page.context["password"]
    assert len(password) >= 20 and password in page.content.decode()
    download = client.get(reverse("export-download", args=[page.context["export"].pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = download.content

    # Not a plain ZIP: the standard library cannot read it, and no name shows in clear.
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as plain,
        pytest.raises((RuntimeError, NotImplementedError)),
    ):
        plain.read(CSV_NAME)
    child = mine[0].children.get()
    assert child.last_name.encode() not in archive
    with pytest.raises(RuntimeError):
        _csv_rows(archive, "wrong-password-123")

    rows = _csv_rows(archive, password)
    assert sorted(int(r["case_id"]) for r in rows) == sorted(c.pk for c in mine)
    row = next(r for r in rows if int(r["case_id"]) == mine[0].pk)
    assert (row["last_name"], row["first_name"]) == (child.last_name, child.first_name)
    assert row["case_reference"] == mine[0].reference
    assert elsewhere.pk not in {int(r["case_id"]) for r in rows}


def test_a_chosen_password_opens_the_archive_and_is_not_shown(client, supervisor_pavlodar, cases):
    _reauthenticated(client, supervisor_pavlodar)
    page = client.post(URL, {"reason": REASON, "password": "correct horse battery"})
    assert page.context["password"] is None
    assert b"correct horse battery" not in page.content
    archive = client.get(reverse("export-download", args=[page.context["export"].pk])).content
    assert len(_csv_rows(archive, "correct horse battery")) == 2


def test_the_access_log_records_the_export_with_its_reason(client, supervisor_pavlodar, cases):
    mine, _elsewhere = cases
    _reauthenticated(client, supervisor_pavlodar)
    client.post(URL, {"reason": REASON})

    exports = AccessLogEntry.objects.filter(action="export", actor_id=supervisor_pavlodar.pk)
    summary = exports.get(record_id__isnull=True)
    assert summary.reason == REASON and summary.result_count == 2
    assert summary.url_name == "export-new" and summary.record_kind == "case"
    assert set(exports.exclude(record_id__isnull=True).values_list("record_id", flat=True)) == {
        c.pk for c in mine
    }


def test_the_archive_is_downloaded_once_and_only_by_its_maker(
    client, supervisor_pavlodar, supervisor_astana, cases
):
    _reauthenticated(client, supervisor_pavlodar)
    export = client.post(URL, {"reason": REASON}).context["export"]
    url = reverse("export-download", args=[export.pk])
    client.force_login(supervisor_astana)
    assert client.get(url).status_code == 404
    client.force_login(supervisor_pavlodar)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 404
    export.refresh_from_db()
    assert export.archive is None and export.downloaded_at is not None
