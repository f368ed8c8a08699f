"""The review page names the model's comparisons in the reader's language."""

from django.urls import reverse
from django.utils import timezone

from personas import make_child
from qorgau.linkage.models import CandidatePair, LinkRun


def test_the_evidence_is_named_in_russian_and_an_unknown_comparison_by_its_name(
    client, caseworker_pavlodar, supervisor_pavlodar, pavlodar_city
):
    left, right = (make_child(actor=caseworker_pavlodar, place=pavlodar_city) for _ in "ab")
    run = LinkRun.objects.create(
        started_at=timezone.now(), review_threshold=0.5, high_threshold=0.99
    )
    evidence = [
        {"field": "birth_date", "level": "Exact match", "bayes_factor": 912.5},
        {"field": "first_key_last_key", "level": "Exact match", "bayes_factor": 40.0},
        {"field": "school_key", "level": "All other", "bayes_factor": 0.5},
    ]
    pair = CandidatePair.objects.create(
        run=run, left=left, right=right, probability=0.9, weight=3.2, evidence=evidence
    )
    client.force_login(supervisor_pavlodar)
    page = client.get(reverse("review-pair", args=[pair.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    text = page.content.decode()
    assert '<th scope="row">Дата рождения</th>' in text and '<th scope="row">ФИО</th>' in text
    assert '<th scope="row">school_key</th>' in text
    assert '<th scope="row">birth_date</th>' not in text
