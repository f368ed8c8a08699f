import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("language", "heading"),
    [("kk", "Менің жұмысым"), ("ru", "Моя работа"), ("en", "My work")],
)
def test_my_work_speaks_the_language_the_browser_asks_for(
    client, caseworker_pavlodar, language, heading
):
    client.force_login(caseworker_pavlodar)
    response = client.get(reverse("my-work"), HTTP_ACCEPT_LANGUAGE=language)
    assert f'lang="{language}"' in response.content.decode()
    assert heading in response.content.decode()


def test_the_language_switcher_changes_the_interface_language(client, caseworker_pavlodar):
    client.force_login(caseworker_pavlodar)
    client.post(reverse("set_language"), {"language": "kk", "next": "/"})
    assert "Менің жұмысым" in client.get(reverse("my-work")).content.decode()
