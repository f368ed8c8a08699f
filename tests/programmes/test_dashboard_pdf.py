"""The dashboard exported as PDF: the page's figures, logged as an export like the XLSX."""

import html as markup
import re

import pytest
from django.urls import reverse

from qorgau import pdf
from qorgau.audit.models import AccessLogEntry
from qorgau.programmes import views

PROGRAMME = "qazaqstan-balalary"


@pytest.fixture
def rendered(monkeypatch):
    """The HTML each PDF was laid out from (the real renderer still runs)."""
    seen: list[str] = []

    def capture(html: str, *, stylesheet: str) -> bytes:
        seen.append(html)
        return pdf.pdf_of(html, stylesheet=stylesheet)

    monkeypatch.setattr(views, "pdf_of", capture)
    return seen


def _cells(html: str) -> list[str]:
    return [
        markup.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)
    ]


def test_the_pdf_holds_the_dashboards_figures_and_is_logged(
    client, national_analyst, plan, rendered
):
    client.force_login(national_analyst)
    page = client.get(reverse("programme-dashboard", kwargs={"code": PROGRAMME}))
    board = page.context["board"]
    assert "PDF export is not available" not in page.content.decode()
    response = client.get(reverse("programme-pdf", kwargs={"code": PROGRAMME}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{PROGRAMME}.pdf"'
    assert response.content.startswith(b"%PDF-")
    (html,) = rendered
    cells = _cells(html)
    # The totals row: the label, the count of each status, the measures past the deadline.
    total = cells.index("Total")
    assert cells[total + 1 : total + 2 + len(board.totals)] == [
        *(str(n) for n in board.totals.values()),
        str(board.late),
    ]
    assert sum(board.totals.values()) == 158
    for direction in board.directions:
        assert f"{direction.number}. {direction.name}" in cells
    entry = AccessLogEntry.objects.get(action="export")
    assert (entry.actor_id, entry.record_kind, entry.reason) == (
        national_analyst.pk,
        "statistics",
        f"{PROGRAMME}.pdf",
    )


def test_a_regions_pdf_is_its_own_and_the_xlsx_is_logged_too(
    client, regional_analyst_pavlodar, plan, rendered
):
    client.force_login(regional_analyst_pavlodar)
    url = reverse("programme-pdf", kwargs={"code": PROGRAMME})
    assert client.get(url + "?region=710000000").status_code == 404
    response = client.get(url)
    pavlodar = regional_analyst_pavlodar.organisation.place
    filename = f"{PROGRAMME}-{pavlodar.iso_code}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert pavlodar.name in rendered[0]
    client.get(reverse("programme-export", kwargs={"code": PROGRAMME}))
    reasons = list(AccessLogEntry.objects.filter(action="export").values_list("reason", flat=True))
    assert [r.rsplit(".", 1)[1] for r in reasons] == ["pdf", "xlsx"]
