"""Attachments: checked by content, stored encrypted, read only through the gate."""

import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from personas import make_case, make_child, make_report
from qorgau.attachments.files import safe_name
from qorgau.attachments.models import Attachment, AttachmentContent
from qorgau.attachments.services import attachment_add
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import TimelineEntry

# The smallest files libmagic recognises as what they are.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
    b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


def test_a_caseworker_attaches_a_pdf_to_a_case_and_reads_it_back(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-attachment-add", args=[case.pk]), {"file": upload("court order.pdf", PDF)}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(case=case)
    assert attachment.name == "court_order.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.scan == Attachment.Scan.NOT_SCANNED
    assert TimelineEntry.objects.filter(case=case, kind="attachment_added").exists()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "court_order.pdf" in page and "No virus scanner is configured" in page

    before = AccessLogEntry.objects.count()
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download["Content-Security-Policy"]
    assert "no-cache" in download["Cache-Control"] or "max-age=0" in download["Cache-Control"]
    logged = AccessLogEntry.objects.order_by("-seq").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (logged.record_kind, logged.record_id, logged.action) == ("case", case.pk, "view")
    assert logged.url_name == "attachment-download"
    assert str(attachment.pk) in logged.path


def test_the_content_is_encrypted_in_the_database(caseworker_pavlodar, case):
    attachment = attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    table = AttachmentContent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {table} WHERE attachment_id = %s", [attachment.pk])  # noqa: S608
        (stored,) = cursor.fetchone()
    assert b"%PDF" not in stored.encode() and stored.startswith("gAAAA")  # a Fernet token
    assert AttachmentContent.objects.get(attachment=attachment).data == PDF


@pytest.mark.parametrize(
    ("name", "data", "claimed"),
    [
        ("photo.png", HTML, "image/png"),  # HTML that claims to be a photo
        ("tool.pdf", ELF, "application/pdf"),  # a program that claims to be a PDF
    ],
)
def test_the_type_is_read_from_the_content_not_the_name(
    caseworker_pavlodar, case, name, data, claimed
):
    with pytest.raises(ValidationError) as refused:
        attachment_add(actor=caseworker_pavlodar, upload=upload(name, data, claimed), case=case)
    assert "cannot be attached" in refused.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_a_photo_named_as_a_program_is_stored_under_its_real_type(caseworker_pavlodar, case):
    attachment = attachment_add(
        actor=caseworker_pavlodar, upload=upload("bruise.png.exe", PNG, "x/y"), case=case
    )
    assert (attachment.name, attachment.content_type) == ("bruise.png.png", "image/png")


def test_a_file_over_the_limit_is_refused(settings, caseworker_pavlodar, case):
    settings.QORGAU_ATTACHMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as refused:
        attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    assert "larger than" in refused.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\Суд шешімі.pdf", "Суд_шешімі.pdf"),
        ("\u202eevil\u0000name.pdf", "evilname.pdf"),
        ("...pdf", "file.pdf"),
        ("!!!.pdf", "file.pdf"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_names_are_sanitised(uploaded, stored):
    assert safe_name(uploaded, "application/pdf") == stored


def test_a_report_and_a_child_take_attachments_too(
    client, caseworker_pavlodar, operator_111, pavlodar_city
):
    report = make_report(actor=operator_111, place=pavlodar_city)
    child = make_child(actor=caseworker_pavlodar)
    client.force_login(caseworker_pavlodar)
    client.post(reverse("report-attachment-add", args=[report.pk]), {"file": upload("r.pdf", PDF)})
    client.post(reverse("child-attachment-add", args=[child.pk]), {"file": upload("c.png", PNG)})
    assert Attachment.objects.get(report=report).name == "r.pdf"
    assert Attachment.objects.get(child=child).name == "c.png"
    assert "c.png" in client.get(child.get_absolute_url()).content.decode()
    assert "r.pdf" in client.get(report.get_absolute_url()).content.decode()


def test_someone_the_gate_refuses_gets_the_same_404_as_for_no_file(
    client, caseworker_pavlodar, caseworker_astana, auditor, case
):
    attachment = attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    views = AccessLogEntry.objects.filter(action="view")
    before = views.count()
    for outsider in (caseworker_astana, auditor):
        client.force_login(outsider)
        assert client.get(attachment.get_absolute_url()).status_code == 404
        assert client.get(reverse("attachment-download", args=[10**9])).status_code == 404
        response = client.post(
            reverse("case-attachment-add", args=[case.pk]), {"file": upload("b.pdf", PDF)}
        )
        assert response.status_code == 404
    assert Attachment.objects.count() == 1
    assert views.count() == before  # nothing was handed out


def test_files_are_not_under_a_public_url(settings, client, caseworker_pavlodar, case, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    assert not any(tmp_path.iterdir())  # nothing on disk that a web server could serve
    response = client.get(attachment.get_absolute_url())  # not logged in
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_refused_upload_says_why_on_the_page(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    response = client.post(
        reverse("case-attachment-add", args=[case.pk]),
        {"file": upload("x.pdf", HTML, "application/pdf")},
        follow=True,
    )
    assert "cannot be attached" in response.content.decode()
    assert not Attachment.objects.exists()


class FakeClamd:
    """A clamd on a local port answering INSTREAM with a fixed verdict."""

    def __init__(self, verdict: bytes) -> None:
        self.verdict = verdict
        self.received = b""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while not self.received.endswith(b"\0\0\0\0"):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                self.received += chunk
            conn.sendall(self.verdict)
        self.server.close()


def test_a_configured_scanner_refuses_an_infected_file(settings, caseworker_pavlodar, case):
    clamd = FakeClamd(b"stream: Eicar-Test-Signature FOUND\0")
    settings.QORGAU_VIRUS_SCAN = f"tcp://127.0.0.1:{clamd.port}"
    with pytest.raises(ValidationError) as refused:
        attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    assert "Eicar-Test-Signature" in refused.value.message_dict["file"][0]
    assert clamd.received.startswith(b"zINSTREAM\0") and PDF in clamd.received
    assert not Attachment.objects.exists()


def test_a_clean_verdict_is_recorded(settings, caseworker_pavlodar, case):
    clamd = FakeClamd(b"stream: OK\0")
    settings.QORGAU_VIRUS_SCAN = f"tcp://127.0.0.1:{clamd.port}"
    attachment = attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    assert attachment.scan == Attachment.Scan.CLEAN


def test_an_unreachable_scanner_stores_nothing(settings, caseworker_pavlodar, case):
    unused = socket.create_server(("127.0.0.1", 0))
    port = unused.getsockname()[1]
    unused.close()
    settings.QORGAU_VIRUS_SCAN = f"tcp://127.0.0.1:{port}"
    with pytest.raises(ValidationError, match="not available"):
        attachment_add(actor=caseworker_pavlodar, upload=upload("a.pdf", PDF), case=case)
    assert not Attachment.objects.exists()
