"""Merge and unmerge: a person decides, everything moves, nothing is lost, undo is exact."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from personas import DescribedChild, make_child, make_report, make_screened_in_case
from qorgau.attachments.services import attachment_add
from qorgau.audit.models import AccessLogEntry
from qorgau.cases.models import Case, ReportChild, TimelineEntry
from qorgau.cases.services.reports import report_link_child
from qorgau.children.models import Child, FamilyMember
from qorgau.children.services import family_member_add
from qorgau.linkage import services
from qorgau.linkage.models import ChildMerge
from qorgau.linkage.services import MOVED_RELATIONS, UNMOVED_RELATIONS, child_merge, child_unmerge
from qorgau.retention.holds import legal_hold_place
from qorgau.retention.models import LegalHold

BORN = dt.date(2014, 12, 4)


def state(*children: Child) -> dict:
    """Every row that points at the children, as (row, child) pairs."""
    ids = [c.pk for c in children]
    through = Case.children.through
    return {
        "reports": sorted(
            ReportChild.objects.filter(report__children__child__in=ids)
            .distinct()
            .values_list("pk", "child_id", "description")
        ),
        "cases": sorted(
            through.objects.filter(child_id__in=ids).values_list("case_id", "child_id")
        ),
        "family": sorted(
            FamilyMember.objects.filter(child_id__in=ids).values_list("pk", "child_id")
        ),
        "holds": sorted(LegalHold.objects.filter(child_id__in=ids).values_list("pk", "child_id")),
        "rows": {
            model._meta.label: sorted(
                model._default_manager.filter(**{f"{field}_id__in": ids}).values_list(
                    "pk", f"{field}_id"
                )
            )
            for model, field in services._MOVED_ROWS
        },
    }


@pytest.fixture
def pair(caseworker_pavlodar, supervisor_pavlodar, pavlodar_city):
    """Two records of one girl, each with a report, a case, family and a hold."""
    names = {"last_name": "Михайлова", "first_name": "Мария", "birth_date": BORN}
    kept = make_child(actor=caseworker_pavlodar, place=pavlodar_city, **names)
    other = make_child(
        actor=caseworker_pavlodar, place=pavlodar_city, other_spelling="Mariya Mikhailova", **names
    )
    for child in (kept, other):
        make_screened_in_case(screener=caseworker_pavlodar, child=child)
        family_member_add(
            actor=caseworker_pavlodar, child=child, relationship="mother", full_name="Елена"
        )
    legal_hold_place(actor=supervisor_pavlodar, child=other, reason="Court proceedings")
    return kept, other


def test_a_merge_moves_everything_and_keeps_the_other_record(pair, supervisor_pavlodar):
    kept, other = pair
    merge = child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    assert Child.objects.filter(pk=other.pk).exists()
    assert not other.report_links.exists() and not other.cases.exists()
    assert not other.family.exists() and not LegalHold.objects.filter(child=other).exists()
    assert kept.report_links.count() == 2 and kept.cases.count() == 2
    assert kept.family.count() == 2 and LegalHold.objects.filter(child=kept).count() == 1
    assert merge.merged_by == supervisor_pavlodar and merge.reason == "Same girl"


def test_the_merge_is_in_the_access_log_and_the_timelines(pair, supervisor_pavlodar):
    kept, other = pair
    child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    logged = AccessLogEntry.objects.filter(action="merge")
    assert sorted(logged.values_list("record_id", flat=True)) == sorted([kept.pk, other.pk])
    assert logged.first().reason == "Same girl"
    assert TimelineEntry.objects.filter(kind="child_merged", case__isnull=False).count() == 1
    assert TimelineEntry.objects.filter(kind="child_merged", report__isnull=False).count() == 1


def test_an_unmerge_restores_every_link_exactly(pair, supervisor_pavlodar):
    kept, other = pair
    before = state(kept, other)
    merge = child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    assert state(kept, other) != before
    child_unmerge(actor=supervisor_pavlodar, merge=merge, reason="Twins after all")
    assert state(kept, other) == before
    merge.refresh_from_db()
    assert merge.undone_by == supervisor_pavlodar and not merge.is_active
    assert AccessLogEntry.objects.filter(action="unmerge").count() == 2


def test_what_was_added_to_the_kept_record_after_the_merge_stays_there(
    pair, supervisor_pavlodar, caseworker_pavlodar
):
    kept, other = pair
    merge = child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    later = family_member_add(
        actor=caseworker_pavlodar, child=kept, relationship="father", full_name="Юрий"
    )
    child_unmerge(actor=supervisor_pavlodar, merge=merge, reason="Twins after all")
    later.refresh_from_db()
    assert later.child == kept


def test_a_report_and_a_case_naming_both_records_keep_one_child_and_get_both_back(
    pair, supervisor_pavlodar, caseworker_pavlodar, pavlodar_city
):
    kept, other = pair
    report = make_report(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        children=[DescribedChild(description="Мария"), DescribedChild(description="Маша")],
    )
    first, second = report.children.order_by("pk")
    report_link_child(actor=caseworker_pavlodar, report=report, link=first, child=kept)
    report_link_child(actor=caseworker_pavlodar, report=report, link=second, child=other)
    case = kept.cases.get()
    case.children.add(other)
    before = state(kept, other)
    merge = child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    assert list(report.children.filter(child__isnull=False).values_list("child", flat=True)) == [
        kept.pk
    ]
    assert list(case.children.all()) == [kept]
    child_unmerge(actor=supervisor_pavlodar, merge=merge, reason="Twins after all")
    assert state(kept, other) == before


def test_a_failure_while_merging_leaves_everything_as_it_was(pair, supervisor_pavlodar):
    kept, other = pair
    before = state(kept, other)
    failing = mock.patch.object(services, "_record", side_effect=RuntimeError("log down"))
    with failing, pytest.raises(RuntimeError):
        child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    assert state(kept, other) == before
    assert not ChildMerge.objects.exists()


def test_every_relation_to_a_child_is_moved_or_declared():
    relations = {
        f"{f.related_model._meta.label}.{f.field.name}"
        for f in Child._meta.get_fields(include_hidden=True)
        if f.is_relation and f.auto_created and not f.concrete
    }
    assert relations == MOVED_RELATIONS | UNMOVED_RELATIONS


def test_a_caseworker_cannot_merge(pair, caseworker_pavlodar):
    kept, other = pair
    with pytest.raises(ValidationError):
        child_merge(actor=caseworker_pavlodar, kept=kept, merged=other, reason="Same girl")


def test_a_supervisor_of_another_territory_cannot_merge(pair, supervisor_astana):
    kept, other = pair
    with pytest.raises(ValidationError):
        child_merge(actor=supervisor_astana, kept=kept, merged=other, reason="Same girl")


def test_records_with_two_different_iins_are_never_merged(
    supervisor_pavlodar, caseworker_pavlodar, pavlodar_city
):
    a = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        iin="061211600012",
        birth_date=dt.date(2006, 12, 11),
    )
    b = make_child(
        actor=caseworker_pavlodar,
        place=pavlodar_city,
        iin="061211600024",
        birth_date=dt.date(2006, 12, 11),
    )
    with pytest.raises(ValidationError) as refused:
        child_merge(actor=supervisor_pavlodar, kept=a, merged=b, reason="Same")
    assert refused.value.code == "different_iin"


def test_a_merged_record_is_not_offered_again(pair, supervisor_pavlodar):
    kept, other = pair
    child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    with pytest.raises(ValidationError):
        child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Again")


def test_the_supervisor_compares_merges_and_undoes_in_the_pages(client, pair, supervisor_pavlodar):
    kept, other = pair
    client.force_login(supervisor_pavlodar)
    duplicates = client.get(reverse("child-duplicates", args=[kept.pk])).content.decode()
    assert reverse("child-merge", args=[kept.pk, other.pk]) in duplicates
    url = reverse("child-merge", args=[kept.pk, other.pk])
    page = client.get(url).content.decode()
    assert "Mariya Mikhailova" in page
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Same girl"}).status_code == 302
    merge = ChildMerge.objects.get()
    merged_page = client.get(other.get_absolute_url()).content.decode()
    assert "This record was merged into" in merged_page
    response = client.post(reverse("merge-undo", args=[merge.pk]), {"reason": "Twins"})
    assert response.status_code == 302
    merge.refresh_from_db()
    assert not merge.is_active


def test_a_caseworker_gets_no_merge_page(client, pair, caseworker_pavlodar):
    kept, other = pair
    client.force_login(caseworker_pavlodar)
    assert client.get(reverse("child-merge", args=[kept.pk, other.pk])).status_code == 404
    assert client.get(reverse("child-duplicates", args=[kept.pk])).status_code == 404


def test_a_file_about_the_merged_record_moves_to_the_kept_one_and_back(
    pair, caseworker_pavlodar, supervisor_pavlodar
):
    kept, other = pair
    upload = SimpleUploadedFile("order.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = attachment_add(actor=caseworker_pavlodar, upload=upload, child=other)
    before = state(kept, other)
    merge = child_merge(actor=supervisor_pavlodar, kept=kept, merged=other, reason="Same girl")
    attachment.refresh_from_db()
    assert attachment.child_id == kept.pk
    child_unmerge(actor=supervisor_pavlodar, merge=merge, reason="Twins after all")
    attachment.refresh_from_db()
    assert attachment.child_id == other.pk
    assert state(kept, other) == before
