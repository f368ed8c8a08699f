"""A file attached by mistake is removed: the content destroyed, the description kept
with who removed it and why; only who attached it or a supervisor may."""

import pytest
from django.urls import reverse

from attachments.test_attachments import PDF, upload
from personas import make_case
from qorgau.attachments.models import Attachment, AttachmentContent
from qorgau.attachments.services import attachment_add
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import TimelineEntry


@pytest.fixture
def case(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)


@pytest.fixture
def attached(caseworker_pavlodar, case):
    return attachment_add(
        actor=caseworker_pavlodar, upload=upload("wrong child.pdf", PDF), case=case
    )


def remove(client, user, attachment, reason="Attached to the wrong case"):
    client.force_login(user)
    return client.post(reverse("attachment-remove", args=[attachment.pk]), {"reason": reason})


def test_who_attached_it_removes_it_and_the_record_says_so(
    client, caseworker_pavlodar, case, attached
):
    response = remove(client, caseworker_pavlodar, attached)

    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    kept = Attachment.objects.get(pk=attached.pk)
    assert kept.removed_by == caseworker_pavlodar and kept.removal_reason
    assert not AttachmentContent.objects.filter(attachment=attached).exists()
    entry = TimelineEntry.objects.get(case=case, kind="attachment_removed")
    assert entry.actor == caseworker_pavlodar and entry.details["name"] == attached.name
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Attached to the wrong case" in page
    assert reverse("attachment-download", args=[attached.pk]) not in page
    assert client.get(reverse("attachment-download", args=[attached.pk])).status_code == 404


def test_a_supervisor_removes_a_workers_file(client, supervisor_pavlodar, attached):
    remove(client, supervisor_pavlodar, attached)
    assert Attachment.objects.get(pk=attached.pk).removed_by == supervisor_pavlodar


def test_a_colleague_who_sees_the_case_may_not_remove_anothers_file(
    client, caseworker2_pavlodar, case, attached
):
    client.force_login(caseworker2_pavlodar)
    assert client.get(attached.get_absolute_url()).status_code == 200  # sees the file
    assert remove(client, caseworker2_pavlodar, attached).status_code == 404
    assert Attachment.objects.get(pk=attached.pk).removed_at is None
    assert AttachmentContent.objects.filter(attachment=attached).exists()
    refused = AccessLogEntry.objects.filter(actor_id=caseworker2_pavlodar.pk, action="refused")
    assert list(refused.values_list("record_kind", "record_id")) == [("case", case.pk)]


def test_another_offices_supervisor_gets_a_404_and_the_refusal_is_logged(
    client, supervisor_astana, case, attached
):
    assert remove(client, supervisor_astana, attached).status_code == 404
    assert AttachmentContent.objects.filter(attachment=attached).exists()
    refused = AccessLogEntry.objects.filter(actor_id=supervisor_astana.pk, action="refused")
    assert list(refused.values_list("record_kind", "record_id")) == [("case", case.pk)]


def test_a_removal_needs_a_reason_and_happens_once(client, caseworker_pavlodar, case, attached):
    remove(client, caseworker_pavlodar, attached, reason="  ")
    assert AttachmentContent.objects.filter(attachment=attached).exists()
    assert "Say why the file is removed." in client.get(case.get_absolute_url()).content.decode()

    remove(client, caseworker_pavlodar, attached)
    remove(client, caseworker_pavlodar, attached, reason="Again")
    assert TimelineEntry.objects.filter(kind="attachment_removed").count() == 1
    page = client.get(case.get_absolute_url()).content.decode()
    assert "This file has already been removed." in page
