"""Reporters (school staff, 111 operators) attach files to the reports they made:
through the same checks (type by content, size, encryption) and the gate, and they
read back only their own files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from personas import make_report, make_user
from qorgau.accounts.roles import Role
from qorgau.attachments.models import Attachment, AttachmentContent
from qorgau.attachments.services import attachment_add
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import TimelineEntry

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name: str, data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def report(school_reporter, pavlodar_city):
    return make_report(actor=school_reporter, place=pavlodar_city)


@pytest.fixture
def colleague(school_pavlodar):
    """Another reporter of the same school: sees the school's reports, made none of these."""
    return make_user("school_reporter2", role=Role.SCHOOL_REPORTER, organisation=school_pavlodar)


def _attach(client, report, name: str = "note.pdf", data: bytes = PDF):
    return client.post(
        reverse("report-attachment-add", args=[report.pk]), {"file": upload(name, data)}
    )


def test_a_school_reporter_attaches_a_file_to_their_report_and_reads_it_back(
    client, school_reporter, report
):
    client.force_login(school_reporter)
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'action="{reverse("report-attachment-add", args=[report.pk])}"' in page

    response = _attach(client, report, "class teacher note.pdf")

    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    attachment = Attachment.objects.get(report=report)
    assert attachment.name == "class_teacher_note.pdf"
    assert attachment.uploaded_by == school_reporter
    assert TimelineEntry.objects.filter(report=report, kind="attachment_added").exists()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "class_teacher_note.pdf" in page and attachment.get_absolute_url() in page
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and download.content == PDF
    logged = AccessLogEntry.objects.order_by("-pk").first()
    assert (logged.record_kind, logged.record_id, logged.action) == ("report", report.pk, "view")
    assert logged.url_name == "attachment-download"
    assert AttachmentContent.objects.filter(attachment=attachment).exists()


def test_the_operator_who_made_a_report_attaches_too(client, operator_111, pavlodar_city):
    report = make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(operator_111)
    assert _attach(client, report).status_code == 302
    assert Attachment.objects.filter(report=report, uploaded_by=operator_111).exists()


def test_the_reporters_file_is_checked_by_content(client, school_reporter, report):
    client.force_login(school_reporter)
    response = client.post(
        reverse("report-attachment-add", args=[report.pk]),
        {"file": upload("letter.pdf", HTML)},
        follow=True,
    )
    assert "cannot be attached" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_reporters_file_has_the_size_limit(settings, client, school_reporter, report):
    settings.QORGAU_ATTACHMENT_MAX_BYTES = 20
    client.force_login(school_reporter)
    response = _attach(client, report)
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_a_colleague_of_the_same_school_can_neither_attach_nor_read(
    client, school_reporter, colleague, report
):
    mine = attachment_add(actor=school_reporter, upload=upload("mine.pdf"), report=report)
    client.force_login(colleague)
    # The colleague follows the school's reports, but did not make this one.
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "mine.pdf" not in page.content.decode()
    assert reverse("report-attachment-add", args=[report.pk]) not in page.content.decode()
    assert _attach(client, report).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 404
    refused = AccessLogEntry.objects.filter(action="refused", record_kind="report")
    assert set(refused.values_list("actor_username", flat=True)) == {"school_reporter2"}
    assert Attachment.objects.count() == 1


def test_a_reporter_never_reads_what_the_department_attached_to_their_report(
    client, school_reporter, caseworker_pavlodar, report
):
    medical = attachment_add(
        actor=caseworker_pavlodar, upload=upload("medical report.pdf"), report=report
    )
    client.force_login(school_reporter)
    assert "medical_report.pdf" not in client.get(report.get_absolute_url()).content.decode()
    assert client.get(medical.get_absolute_url()).status_code == 404
    assert AccessLogEntry.objects.filter(
        action="refused", record_kind="report", record_id=report.pk
    ).exists()


@pytest.mark.parametrize(
    "outsider",
    [
        "operator_111",
        "regional_analyst_pavlodar",
        "auditor",
        "provider_pavlodar",
        "caseworker_astana",
    ],
)
def test_others_get_the_same_404(client, personas, outsider, school_reporter, report):
    mine = attachment_add(actor=school_reporter, upload=upload("mine.pdf"), report=report)
    client.force_login(personas[outsider])
    assert _attach(client, report).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(reverse("attachment-download", args=[10**9])).status_code == 404
    assert Attachment.objects.count() == 1


def test_the_department_still_attaches_to_and_reads_the_reporters_report(
    client, caseworker_pavlodar, school_reporter, report
):
    theirs = attachment_add(actor=school_reporter, upload=upload("theirs.pdf"), report=report)
    client.force_login(caseworker_pavlodar)
    assert _attach(client, report, "ours.pdf").status_code == 302
    assert client.get(theirs.get_absolute_url()).status_code == 200
    page = client.get(report.get_absolute_url()).content.decode()
    assert "theirs.pdf" in page and "ours.pdf" in page
