"""The dashboard as PDF: its charts (server-side SVG) and suppressed tables, logged."""

import pytest
from django.urls import reverse

from personas import make_report
from qorgau import pdf
from qorgau.audit.models import AccessLogEntry, RecordKind
from qorgau.monitoring import views
from qorgau.monitoring.demo import demo_years, ensure_demo_statistics


@pytest.fixture
def rendered(monkeypatch):
    """The HTML each PDF was laid out from (the real renderer still runs)."""
    seen: list[str] = []

    def capture(html: str, *, stylesheet: str) -> bytes:
        seen.append(html)
        return pdf.pdf_of(html, stylesheet=stylesheet)

    monkeypatch.setattr(views, "pdf_of", capture)
    return seen


@pytest.fixture
def statistics(db):
    ensure_demo_statistics()
    return demo_years()


def test_the_pdf_has_the_charts_and_tables_of_the_page_and_is_logged(
    client, national_analyst, statistics, rendered
):
    client.force_login(national_analyst)
    response = client.get(reverse("statistics-pdf"), {"group": "sexual"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    (html,) = rendered
    assert html.count("<svg") >= 3, "trend, ranking and map"
    assert "Offence group: " in html, "the PDF says which filters it shows"
    assert "statistics-export" not in html and "Download" not in html
    entry = AccessLogEntry.objects.get(record_kind=RecordKind.STATISTICS)
    assert entry.action == "export" and entry.reason.startswith("dashboard.pdf")


def test_a_regional_analysts_pdf_holds_only_their_region(
    client, personas, regional_analyst_pavlodar, statistics, rendered
):
    for _ in range(3):
        make_report(actor=personas.operator_111, place=personas.pavlodar_city)
    client.force_login(regional_analyst_pavlodar)
    response = client.get(reverse("statistics-pdf"), {"region": "71"})
    assert response.status_code == 200
    (html,) = rendered
    assert "Pavlodar Region" in html
    assert "hidden to protect small counts" in html, "3 reports are hidden"


def test_people_without_statistics_get_no_pdf(client, caseworker_pavlodar, operator_111):
    for user in (caseworker_pavlodar, operator_111):
        client.force_login(user)
        assert client.get(reverse("statistics-pdf")).status_code == 404
