"""Attachments go with retention: the files of an anonymised case, report or child."""

from django.core.files.uploadedfile import SimpleUploadedFile

from personas import make_case
from qorgau.attachments.models import Attachment, AttachmentContent
from qorgau.attachments.services import attachment_add
from qorgau.cases.models import TimelineEntry
from qorgau.retention.services import PLACEHOLDER, retention_apply
from retention.conftest import after_retention, old_case  # noqa: F401

PDF = b"%PDF-1.4\n%%EOF\n"


def _attach(actor, **record):
    return attachment_add(
        actor=actor, upload=SimpleUploadedFile("Sarsenbayeva court.pdf", PDF), **record
    )


def test_retention_deletes_the_files_of_what_it_anonymises(
    old_case,  # noqa: F811
    after_retention,  # noqa: F811
    caseworker_pavlodar,
    supervisor_pavlodar,
):
    child = old_case.children.get()
    _attach(caseworker_pavlodar, case=old_case)
    _attach(caseworker_pavlodar, report=old_case.reports.get())
    _attach(caseworker_pavlodar, child=child)
    open_case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    kept = _attach(caseworker_pavlodar, case=open_case)

    run = retention_apply(today=after_retention)

    assert run.counts["attachments"] == 3
    assert list(Attachment.objects.all()) == [kept]
    assert AttachmentContent.objects.count() == 1
    # The file's name (it may name the child) leaves the timeline too.
    entry = TimelineEntry.objects.get(case=old_case, kind="attachment_added")
    assert entry.details["name"] == PLACEHOLDER
