"""The history pages read as a person reads them, in Kazakh and Russian: translated
labels, choice labels, questions with their answers, people by name, audit page titles."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from personas import make_case
from qorgau.audit.history import case_history
from qorgau.audit.models import TRACKED_MODELS
from qorgau.audit.page_names import PAGE_NAMES, page_name
from qorgau.cases.models import AssessmentQuestion, Case

LANGUAGES = ["kk", "ru"]


@pytest.fixture
def case_awaiting_closure(caseworker_pavlodar, supervisor_pavlodar):
    return make_case(
        worker=caseworker_pavlodar,
        supervisor=supervisor_pavlodar,
        status=Case.Status.CLOSURE_REQUESTED,
    )


def _english_labels(case: Case) -> set[str]:
    with translation.override("en"):
        versions = case_history(case_id=case.pk, show_values=True)
        return {change.field for v in versions for change in v.changes} | {
            v.record for v in versions
        }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_case_history_has_no_english_label_raw_value_or_user_name(
    client, caseworker_pavlodar, case_awaiting_closure, language
):
    english = _english_labels(case_awaiting_closure)
    assert {"Closure requested by", "Score", "Answers"} <= english, "the walk reached them"
    client.force_login(caseworker_pavlodar)
    url = reverse("case-history", args=[case_awaiting_closure.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'lang="{language}"' in page
    leaked = sorted(label for label in english if f">{label}<" in page)
    assert leaked == [], f"English labels on the {language} page"
    assert "{&#x27;" not in page and "{'" not in page, "a raw dict"
    assert "caseworker_pavlodar" not in page and "supervisor_pavlodar" not in page
    assert "Aliya Bekova" in page and "Gulnara Sadykova" in page


@pytest.mark.parametrize(("language", "no"), [("kk", "Жоқ"), ("ru", "Нет")])
def test_assessment_answers_are_shown_as_question_and_answer(
    client, caseworker_pavlodar, case_awaiting_closure, language, no
):
    question = AssessmentQuestion.objects.filter(active=True).first()
    client.force_login(caseworker_pavlodar)
    url = reverse("case-history", args=[case_awaiting_closure.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"{question.text(language)}: {no}" in page
    assert f"{question.code}:" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_tracked_field_and_record_has_a_translated_label(language):
    untranslated = []
    for model in TRACKED_MODELS:
        tracked = {f.attname for f in model.history.model.tracked_fields}  # type: ignore[attr-defined]
        labelled: list[tuple[str, object]] = [("", model._meta.verbose_name)]
        labelled += [
            (f.name, f.verbose_name)
            for f in model._meta.concrete_fields
            if f.attname in tracked and not f.primary_key
        ]
        for name, label in labelled:
            with translation.override("en"):
                english = str(label)
            with translation.override(language):
                if str(label) == english:
                    untranslated.append(f"{model.__name__}.{name}: {english}")
    assert untranslated == []


def _route_names(patterns: list) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and pattern.app_name != "admin":
            names |= _route_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_route_has_a_page_name_on_the_audit_pages():
    routes = _route_names(get_resolver().url_patterns)
    assert sorted(routes - set(PAGE_NAMES)) == [], "routes the audit pages cannot name"


@pytest.mark.parametrize(
    ("language", "title"), [("kk", "Баланың жазбасы"), ("ru", "Запись о ребёнке")]
)
def test_the_audit_log_shows_page_titles_not_route_names(
    client, caseworker_pavlodar, auditor, child, language, title
):
    client.force_login(caseworker_pavlodar)
    client.get(reverse("child-detail", args=[child.pk]))
    client.force_login(auditor)
    url = reverse("audit-record", kwargs={"kind": "child", "pk": child.pk})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(rf"<td[^>]*>{title}</td>", page), "the page's title in its cell"
    assert "child-detail" not in page


def test_a_page_name_the_table_does_not_know_is_shown_as_logged():
    assert page_name("retention-job") == "retention-job"
    assert page_name("") == "—"
    with translation.override("ru"):
        assert page_name("admin:cases_case_change") == "Администрирование"
