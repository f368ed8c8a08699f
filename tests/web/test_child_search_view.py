from django.urls import reverse

from personas import make_child


def test_child_search_answers_htmx_with_the_results_fragment_only(
    client, personas, caseworker_pavlodar
):
    make_child(
        actor=caseworker_pavlodar,
        place=personas.pavlodar_city,
        first_name="Нұрсұлтан",
        last_name="Әбілов",
    )
    client.force_login(caseworker_pavlodar)
    response = client.get(
        reverse("child-search"), {"q": "nursultan abilov"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Нұрсұлтан" in html
    assert "<html" not in html, "an HTMX request gets the fragment, not the page"
    full = client.get(reverse("child-search"), {"q": "НУРСУЛТАН"})
    assert "<html" in full.content.decode() and "Нұрсұлтан" in full.content.decode()
