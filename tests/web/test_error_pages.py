"""Error pages speak the reader's language, keep the site's layout and lead back home."""

import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from personas import make_case, make_organisation, make_user
from qorgau.accounts.models import Organisation
from qorgau.accounts.roles import Role
from qorgau.cases.models import Case
from qorgau.cases.services.transfers import case_transfer_decide, case_transfer_request

HOME_LINK = 'href="/"'


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")],
)
def test_a_missing_page_is_a_translated_page_of_the_site(
    client, caseworker_pavlodar, language, heading
):
    client.force_login(caseworker_pavlodar)
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404
    assert f'lang="{language}"' in page
    assert heading in page
    assert HOME_LINK in page
    assert reverse("child-search") in page, "the menu of the site is there"
    assert "Not Found" not in page


def test_the_404_page_lists_no_url_patterns_even_in_the_development_settings(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"URLconf" not in response.content
    assert b"cases/&lt;int:pk&gt;" not in response.content


def _debug_setting(**env: str) -> str:
    """DEBUG as a fresh process reads the settings from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "QORGAU_ENV")}
    code = "import qorgau.settings as s; print(s.DEBUG)"
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )
    return result.stdout.strip()


def test_development_runs_without_debug_unless_asked(tmp_path):
    assert _debug_setting(QORGAU_VAR_DIR=str(tmp_path)) == "False"
    assert _debug_setting(QORGAU_VAR_DIR=str(tmp_path), DJANGO_DEBUG="1") == "True"


def test_the_demo_serves_static_files_without_debug():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "runserver --insecure" in demo


def test_the_500_page_renders_in_kazakh_without_a_request_or_the_database():
    # No `db` fixture: pytest-django fails any query this page would make.
    request = RequestFactory().get("/")
    with translation.override("kk"):
        response = defaults.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Бірдеңе дұрыс болмады" in page
    assert HOME_LINK in page
    assert 'lang="kk"' in page


def test_the_400_page_is_translated(rf):
    with translation.override("ru"):
        response = defaults.bad_request(rf.get("/"), Exception("bad"))
    assert response.status_code == 400
    assert "Некорректный запрос" in response.content.decode()


def test_the_403_page_is_translated(rf):
    with translation.override("kk"):
        response = defaults.permission_denied(rf.get("/"), Exception("no"))
    assert response.status_code == 403
    assert "Қол жеткізу тыйым салынған" in response.content.decode()


def test_a_failed_csrf_check_is_a_translated_page_with_the_menu(caseworker_pavlodar):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker_pavlodar)
    response = client.post(reverse("set_language"), {"language": "kk"}, HTTP_ACCEPT_LANGUAGE="ru")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Срок действия формы истёк" in page
    assert HOME_LINK in page
    assert "CSRF verification failed" not in page


@pytest.fixture
def transferred_case(caseworker_pavlodar, supervisor_pavlodar, caseworker_astana, dept_astana):
    case = make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar)
    case_transfer_request(
        actor=caseworker_pavlodar,
        case=case,
        version=case.version,
        to_organisation=dept_astana,
        reason="The family moved to Astana",
    )
    case.refresh_from_db()
    case_transfer_decide(
        actor=caseworker_astana,
        case=case,
        version=case.version,
        accept=True,
        worker=caseworker_astana,
    )
    return Case.objects.get(pk=case.pk)


def test_the_sender_learns_on_the_old_link_where_the_case_went(
    client, caseworker_pavlodar, transferred_case
):
    client.force_login(caseworker_pavlodar)
    response = client.get(transferred_case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Дело передано" in page
    assert transferred_case.organisation.name in page
    assert transferred_case.transfers.get().decided_at.astimezone().strftime("%d.%m.%Y") in page


def test_a_colleague_of_the_sender_office_learns_it_too(
    client, caseworker2_pavlodar, transferred_case
):
    client.force_login(caseworker2_pavlodar)
    response = client.get(transferred_case.get_absolute_url())
    assert response.status_code == 404
    assert "This case was transferred to" in response.content.decode()


@pytest.mark.parametrize(
    "outsider", ["caseworker_elsewhere", "school_reporter", "operator_111", "auditor"]
)
def test_anyone_who_never_had_the_case_gets_the_plain_404(
    client, personas, transferred_case, outsider
):
    if outsider == "caseworker_elsewhere":
        office = make_organisation(
            name="Another office",
            kind=Organisation.Kind.CHILD_RIGHTS_DEPARTMENT,
            place=personas.astana,
        )
        user = make_user("caseworker_elsewhere", role=Role.CASEWORKER, organisation=office)
    else:
        user = personas[outsider]
    client.force_login(user)
    response = client.get(transferred_case.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 404
    assert "transferred" not in page
    assert transferred_case.organisation.name not in page


def test_a_restricted_case_is_told_only_to_who_asked_and_the_supervisors(
    client, caseworker_pavlodar, caseworker2_pavlodar, supervisor_pavlodar, transferred_case
):
    Case.objects.filter(pk=transferred_case.pk).update(restricted=True)
    client.force_login(caseworker2_pavlodar)
    assert "transferred" not in client.get(transferred_case.get_absolute_url()).content.decode()
    for who in (caseworker_pavlodar, supervisor_pavlodar):
        client.force_login(who)
        page = client.get(transferred_case.get_absolute_url()).content.decode()
        assert "This case was transferred to" in page
