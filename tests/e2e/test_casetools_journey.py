"""A caseworker's and a supervisor's week with the daily tools, in Kazakh and in Russian:
a court order attached to a case, the case file printed and saved as PDF, a reminder
of an overdue assessment opened from the notifications, and the supervisor's team page
sorted and filtered. axe checks each new page.

QORGAU_E2E_SCREENSHOTS=<folder> saves a screenshot of each page there.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from e2e.browser import log_in
from personas import make_case
from qorgau.attachments.models import Attachment
from qorgau.cases.models import Case
from qorgau.notifications.services import reminders_send

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = os.environ.get("QORGAU_E2E_SCREENSHOTS")


def look(page, a11y, label: str) -> None:
    a11y.check(page, label)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{label}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_attach_print_remind_and_the_team_page(new_page, a11y, personas, tmp_path, locale):
    case = make_case(worker=personas.caseworker_pavlodar, supervisor=personas.supervisor_pavlodar)
    Case.objects.filter(pk=case.pk).update(assessment_due_at=timezone.now() - dt.timedelta(days=2))
    child = case.children.get()
    with translation.override(locale):
        overdue_text = translation.gettext("%(reference)s: the %(step)s is overdue.") % {
            "reference": case.reference,
            "step": translation.gettext("risk assessment"),
        }
        team_title = translation.gettext("Team")

    worker = new_page(locale)
    log_in(worker, "caseworker_pavlodar")

    # A court order attached to the case.
    order = tmp_path / "Сот шешімі.pdf"
    order.write_bytes(PDF)
    worker.goto(f"{worker.base_url}/cases/{case.pk}/")
    worker.set_input_files("#attachment-file", str(order))
    worker.click(f"form[action='/cases/{case.pk}/attachments/'] button[type=submit]")
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")
    attachment = Attachment.objects.get(case=case)
    assert worker.locator(f"a[href='/attachments/{attachment.pk}/']").inner_text() == (
        "Сот_шешімі.pdf"
    )
    look(worker, a11y, f"{locale}-case-with-attachment")

    # The case file: the print page, then the PDF.
    worker.click(f"a[href='/cases/{case.pk}/print/']")
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/print/")
    assert child.full_name in worker.inner_text("main")
    assert "caseworker_pavlodar" in worker.inner_text(".watermark-line")
    look(worker, a11y, f"{locale}-case-file-print")
    with worker.expect_download() as download:
        worker.click(f"a[href='/cases/{case.pk}/print/pdf/']")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    # The reminder sweep runs (the worker's job), and the notification leads to the case.
    reminders_send()
    worker.goto(f"{worker.base_url}/")
    assert worker.locator(".nav-count").count() == 1
    look(worker, a11y, f"{locale}-my-work")
    worker.goto(f"{worker.base_url}/notifications/")
    look(worker, a11y, f"{locale}-notifications")
    worker.get_by_role("button", name=overdue_text).click()
    worker.wait_for_url(f"{worker.base_url}/cases/{case.pk}/")

    # The supervisor's team page: the overdue assessment with the child and how late.
    supervisor = new_page(locale)
    log_in(supervisor, "supervisor_pavlodar")
    supervisor.get_by_role("link", name=team_title, exact=True).click()
    supervisor.wait_for_url(f"{supervisor.base_url}/team/")
    overdue = supervisor.locator("table.overdue-team")
    assert case.reference in overdue.inner_text() and child.full_name in overdue.inner_text()
    look(supervisor, a11y, f"{locale}-team")
    supervisor.select_option("#id_worker", str(personas.caseworker2_pavlodar.pk))
    supervisor.locator("form.filters button[type=submit]").click()
    supervisor.wait_for_url(re.compile(rf"/team/\?worker={personas.caseworker2_pavlodar.pk}&"))
    assert case.reference not in supervisor.locator("table.overdue-team").inner_text()

    assert not a11y.violations, a11y.violations
