"""The language switch keeps a logged-in user's choice on the account."""

from django.conf import settings
from django.test import Client
from django.urls import reverse


def _switch(client: Client, language: str):
    return client.post(reverse("set_language"), {"language": language, "next": "/"})


def test_a_logged_in_users_choice_is_kept_on_the_account(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    response = _switch(client, "kk")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    caseworker_pavlodar.refresh_from_db()
    assert caseworker_pavlodar.language == "kk"
    _switch(client, "ru")
    caseworker_pavlodar.refresh_from_db()
    assert caseworker_pavlodar.language == "ru"


def test_a_language_qorgau_lacks_changes_nothing(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    _switch(client, "kk")
    _switch(client, "de")
    caseworker_pavlodar.refresh_from_db()
    assert caseworker_pavlodar.language == "kk"


def test_the_switch_works_before_login_and_stores_nothing(caseworker_pavlodar):
    response = _switch(Client(), "kk")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    caseworker_pavlodar.refresh_from_db()
    assert caseworker_pavlodar.language == ""


def test_another_browser_gets_the_accounts_language(client, caseworker_pavlodar):
    caseworker_pavlodar.language = "kk"
    caseworker_pavlodar.save(update_fields=["language"])
    client.force_login(caseworker_pavlodar)
    page = client.get(reverse("my-work"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "kk"
    assert '<html lang="kk">' in page.content.decode()


def test_the_browsers_own_choice_wins_over_the_accounts(client, caseworker_pavlodar):
    caseworker_pavlodar.language = "kk"
    caseworker_pavlodar.save(update_fields=["language"])
    client.force_login(caseworker_pavlodar)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get(reverse("my-work"))
    assert '<html lang="ru">' in page.content.decode()
