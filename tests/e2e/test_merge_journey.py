"""Duplicates reviewed, merged and unmerged in a real browser, in Kazakh and in Russian.

The supervisor opens the review queue, compares the two records side by side with the
model's evidence per field, merges them, finds the merge on the kept record and undoes
it: every report, case and family member is back where it was. Every page axe-clean.
"""

import datetime as dt

import pytest
from django.utils import timezone

from e2e.browser import log_in
from linkage.test_merge import state
from personas import make_child, make_screened_in_case
from qorgau.children.services import family_member_add
from qorgau.linkage.models import CandidatePair, ChildMerge, LinkRun

REASON = {"kk": "Бір бала: аты латынша жазылған.", "ru": "Один ребёнок: имя записано латиницей."}
UNDO = {"kk": "Егіздер екен.", "ru": "Оказались близнецы."}


@pytest.mark.parametrize("locale", ["kk", "ru"])
def test_a_supervisor_reviews_a_pair_merges_it_and_undoes_the_merge(
    new_page, a11y, personas, locale
):
    worker = personas.caseworker_pavlodar
    names = {"last_name": "Михайлова", "first_name": "Мария", "birth_date": dt.date(2014, 12, 4)}
    kept = make_child(actor=worker, place=personas.pavlodar_city, **names)
    other = make_child(
        actor=worker, place=personas.pavlodar_city, other_spelling="Mariya Mikhailova", **names
    )
    make_screened_in_case(screener=worker, child=other)
    family_member_add(actor=worker, child=other, relationship="mother", full_name="Елена")
    run = LinkRun.objects.create(
        started_at=timezone.now(),
        finished_at=timezone.now(),
        review_threshold=0.5,
        high_threshold=0.99,
    )
    pair = CandidatePair.objects.create(
        run=run,
        left=kept,
        right=other,
        probability=0.934,
        weight=3.8,
        evidence=[
            {"field": "birth_date", "level": "Exact match", "bayes_factor": 912.5},
            {"field": "first_key", "level": "Exact match", "bayes_factor": 37.25},
        ],
    )
    before = state(kept, other)

    page = new_page(locale)
    log_in(page, "supervisor_pavlodar")
    page.goto(f"{page.base_url}/duplicates/")
    a11y.check(page, "review queue")
    page.click(f"a[href='/duplicates/{pair.pk}/']")
    page.wait_for_url(f"{page.base_url}/duplicates/{pair.pk}/")
    shown = page.inner_text("main")
    assert "Mariya Mikhailova" in shown  # the two records side by side
    assert "912" in shown and "37" in shown  # the evidence per field
    a11y.check(page, "pair with its evidence")

    page.click(f"a[href='/children/{kept.pk}/merge/{other.pk}/']")
    page.wait_for_url(f"{page.base_url}/children/{kept.pk}/merge/{other.pk}/")
    page.fill("#id_reason", REASON[locale])
    a11y.check(page, "compare and merge")
    page.click("main form.stack button[type=submit]")
    page.wait_for_url(f"{page.base_url}/children/{kept.pk}/")
    merge = ChildMerge.objects.get()
    assert merge.reason == REASON[locale] and merge.is_active
    assert state(kept, other) != before
    pair.refresh_from_db()
    assert pair.status == CandidatePair.Status.MERGED
    a11y.check(page, "kept record after the merge")

    # The undo form is folded away; its own summary opens it (the page has others).
    page.click(f"#merge-undo-{merge.pk} > summary")
    page.fill(f"#undo-{merge.pk}", UNDO[locale])
    a11y.check(page, "undo form open")
    page.click(f"form[action='/merges/{merge.pk}/undo/'] button[type=submit]")
    page.wait_for_url(f"{page.base_url}/children/{other.pk}/")
    merge.refresh_from_db()
    assert not merge.is_active and merge.undo_reason == UNDO[locale]
    assert state(kept, other) == before  # nothing lost, everything back
    a11y.check(page, "record restored")
    assert not a11y.violations, a11y.violations
