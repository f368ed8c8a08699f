"""The printed case file: the print page and the PDF, watermarked and logged."""

import re
import socket
import zlib

import pytest
from django.urls import reverse
from django.utils import translation

from personas import make_case
from qorgau.audit.models import AccessLogEntry
from qorgau.pdf import pdf_of


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for the document's metadata."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(inflated)


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")


def test_the_print_page_holds_the_case_and_a_watermark_of_who_printed_it(
    client, supervisor_pavlodar, case
):
    client.force_login(supervisor_pavlodar)
    response = client.get(reverse("case-print", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert case.reference in page
    assert case.children.get().full_name in page
    assert case.reports.get().narrative in page
    assert "Printed by" in page and "supervisor_pavlodar" in page
    assert "casefile/case_file.css" in page  # the print stylesheet
    printed = AccessLogEntry.objects.filter(action="print", record_kind="case", record_id=case.pk)
    assert printed.get().actor_username == "supervisor_pavlodar"


def test_the_pdf_is_a_pdf_and_is_logged_as_a_print(client, caseworker_pavlodar, case):
    client.force_login(caseworker_pavlodar)
    response = client.get(reverse("case-pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"{case.reference}.pdf" in response["Content-Disposition"]
    assert b"caseworker_pavlodar" in pdf_objects(response.content)  # its author: who printed it
    assert AccessLogEntry.objects.filter(action="print", record_id=case.pk).count() == 1


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_case_file_speaks_kazakh_and_russian(client, caseworker_pavlodar, case, language):
    client.force_login(caseworker_pavlodar)
    with translation.override(language):
        page = client.get(
            reverse("case-print", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        expected = translation.gettext("Case file")
    assert expected != "Case file" and expected in page


def test_someone_else_gets_a_404_and_nothing_is_logged(client, caseworker_astana, auditor, case):
    for outsider in (caseworker_astana, auditor):
        client.force_login(outsider)
        assert client.get(reverse("case-print", args=[case.pk])).status_code == 404
        assert client.get(reverse("case-pdf", args=[case.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(action="print").exists()


def test_the_pdf_fetches_nothing_a_case_text_names():
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    html = f'<img src="http://127.0.0.1:{port}/x.png"><link rel="stylesheet" href="http://127.0.0.1:{port}/s.css"><p>x</p>'
    pdf = pdf_of(html, stylesheet="casefile/case_file.css")
    assert pdf.startswith(b"%PDF-")  # rendered, the image and stylesheet left out
    with pytest.raises(TimeoutError):
        listener.accept()  # nobody came: nothing was fetched
    listener.close()
