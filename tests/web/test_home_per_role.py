"""Each role's home page fits the role, and every link on it opens for that role only."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from qorgau.surveys.models import Survey

AGGREGATES_ONLY = "aggregate figures only"
ADMIN_LINKS = [
    reverse("admin:accounts_user_changelist"),
    reverse("admin:accounts_organisation_changelist"),
    reverse("admin:axes_accessattempt_changelist"),
    reverse("admin:axes_accesslog_changelist"),
]


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("my-work"))
    assert response.status_code == 200
    return response.content.decode()


def _links_in_main(page: str) -> set[str]:
    main = page.split('<main id="main"', 1)[1]
    return set(re.findall(r'href="(/[^"]*)"', main))


@pytest.mark.parametrize(
    "persona", ["auditor", "administrator", "regional_analyst_pavlodar", "national_analyst"]
)
def test_every_link_on_the_home_page_opens_for_its_role(client, personas, persona):
    links = _links_in_main(_home(client, personas[persona]))
    assert links, "the home page leads somewhere"
    refused = {url: client.get(url).status_code for url in links}
    assert {url: code for url, code in refused.items() if code != 200} == {}


def test_the_administrator_home_leads_to_users_organisations_sessions_and_lockouts(
    client, administrator
):
    page = _home(client, administrator)
    assert set(ADMIN_LINKS) <= _links_in_main(page)
    assert AGGREGATES_ONLY not in page
    assert reverse("audit-search") not in page
    assert reverse("statistics") not in page


def test_the_auditor_home_offers_the_log_searches_and_exports(client, auditor):
    page = _home(client, auditor)
    assert 'name="record_id"' in page and 'name="username"' in page
    assert f'action="{reverse("audit-search")}"' in page
    assert "CSV" in page
    assert AGGREGATES_ONLY not in page
    assert not set(ADMIN_LINKS) & _links_in_main(page)


def test_the_auditor_search_from_the_home_page_finds_the_log(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("audit-search"), {"kind": "case", "record_id": "7"})
    assert response["Location"] == reverse("audit-record", kwargs={"kind": "case", "pk": 7})


@pytest.mark.parametrize("persona", ["regional_analyst_pavlodar", "national_analyst"])
def test_an_analyst_home_offers_statistics_and_the_latest_surveys(client, personas, persona):
    Survey.objects.create(
        name="mics-synthetic",
        title="Synthetic MICS 2026",
        layout=Survey.Layout.values[0],
        imported_at=timezone.now(),
        folder="surveys/mics-synthetic",
    )
    page = _home(client, personas[persona])
    links = _links_in_main(page)
    assert {reverse("statistics"), reverse("survey-list")} <= links
    assert reverse("survey-detail", kwargs={"name": "mics-synthetic"}) in links
    assert AGGREGATES_ONLY in page
    assert reverse("audit-search") not in links
    assert not set(ADMIN_LINKS) & links


@pytest.mark.parametrize("persona", ["auditor", "regional_analyst_pavlodar"])
def test_the_administrator_pages_stay_closed_to_other_roles(client, personas, persona):
    client.force_login(personas[persona])
    for url in ADMIN_LINKS:
        assert client.get(url).status_code == 302, url  # to the admin's login


@pytest.mark.parametrize("persona", ["administrator", "regional_analyst_pavlodar"])
def test_the_audit_pages_stay_closed_to_other_roles(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("audit-search")).status_code == 404


def test_a_reporter_home_is_their_reports(client, school_reporter):
    page = _home(client, school_reporter)
    assert reverse("report-new") in page
    assert AGGREGATES_ONLY not in page
    assert reverse("audit-search") not in page


def test_a_caseworker_home_is_unchanged_work_lists(client, caseworker_pavlodar):
    page = _home(client, caseworker_pavlodar)
    assert "Reports to screen" in page and "My cases" in page
    assert AGGREGATES_ONLY not in page
