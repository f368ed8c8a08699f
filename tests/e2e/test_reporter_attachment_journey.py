"""A school reporter attaches a letter to the report they made, from their home page,
in Kazakh and in Russian, every page checked with axe-core."""

from pathlib import Path

import pytest

from e2e.browser import log_in
from personas import make_report
from qorgau.attachments.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = {"kk": "Сынып жетекшісінің хаты.pdf", "ru": "Письмо классного руководителя.pdf"}


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_school_reporter_attaches_a_letter_to_their_report(
    new_page, a11y, personas, tmp_path: Path, locale
):
    report = make_report(actor=personas.school_reporter, place=personas.pavlodar_city)
    letter = tmp_path / NAME[locale]
    letter.write_bytes(PDF)
    page = new_page(locale)
    log_in(page, "school_reporter")
    a11y.check(page, "reporter's home")
    page.locator("table.my-reports").locator(f"a[href='/reports/{report.pk}/']").click()
    page.wait_for_url(f"{page.base_url}/reports/{report.pk}/")
    a11y.check(page, "report status (no files)")
    page.set_input_files("#attachment-file", str(letter))
    page.click(f"form[action='/reports/{report.pk}/attachments/'] button[type=submit]")
    page.wait_for_url(f"{page.base_url}/reports/{report.pk}/")
    attachment = Attachment.objects.get(report=report)
    assert attachment.uploaded_by == personas.school_reporter
    link = page.locator(f"a[href='/attachments/{attachment.pk}/']")
    assert link.inner_text() == NAME[locale].replace(" ", "_")
    a11y.check(page, "report status (one file)")
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert page.get_attribute("html", "lang") == locale
    assert not a11y.violations, a11y.violations
