"""The home page's case list: filtered (django-filter) and sorted (django-tables2)."""

from django.urls import reverse

from personas import make_case
from qorgau.cases.models import Case


def _cases(worker, supervisor):
    low = make_case(worker=worker, supervisor=supervisor, status="planning")
    high = make_case(worker=worker, supervisor=supervisor, status="planning")
    Case.objects.filter(pk=low.pk).update(risk_level="low")
    Case.objects.filter(pk=high.pk).update(risk_level="high")
    return low, high


def test_my_cases_filter_by_risk_level(client, caseworker_pavlodar, supervisor_pavlodar):
    low, high = _cases(caseworker_pavlodar, supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("my-work"), {"cases-risk_level": "high"}).content.decode()
    assert high.reference in page and low.reference not in page


def test_my_cases_sort_by_risk_either_way(client, caseworker_pavlodar, supervisor_pavlodar):
    low, high = _cases(caseworker_pavlodar, supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    default = client.get(reverse("my-work")).content.decode()
    lowest_first = client.get(reverse("my-work"), {"cases-sort": "risk_level"}).content.decode()
    assert default.index(high.reference) < default.index(low.reference)  # highest risk first
    assert lowest_first.index(low.reference) < lowest_first.index(high.reference)


def test_a_bad_filter_value_shows_nothing_rather_than_everything(
    client, caseworker_pavlodar, supervisor_pavlodar
):
    low, high = _cases(caseworker_pavlodar, supervisor_pavlodar)
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("my-work"), {"cases-risk_level": "extreme"}).content.decode()
    assert low.reference not in page and high.reference not in page
