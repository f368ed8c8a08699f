"""The API answers as its OpenAPI schema says: schemathesis against the live test server.

Logged in as a supervisor with the second factor (the persona who may call every
endpoint), schemathesis sends generated requests to every operation and runs all its
checks: no server error, status codes, content types and bodies as documented, valid
data accepted and invalid data refused. The run is bounded (few examples per
operation, no deadline) to stay well under a minute.
"""

import datetime as dt

import pytest
import requests
import schemathesis
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import get_random_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from personas import SecondFactorClient
from qorgau.cases.models import Report

REPORTS = "/api/v1/reports/"
# Valid by the schema, refused by the data, which no schema can say: a KATO code that no
# place has, an incident date after today or more than 18 years before it. Field -> the
# messages that may refuse it.
DATA_DEPENDENT = {
    "place": ("does not exist",),
    "incident_date": ("in the future", "more than 18 years before"),
}

pytestmark = pytest.mark.django_db(transaction=True)


# Built at collection, as /api/schema/ builds it (a test below checks they agree): the
# live server exists only once a test runs, and schemathesis' fixture-based loader does
# not work with pytest 9.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
# schemathesis builds part of its cases at collection, before any test logs in: the
# session key and the CSRF token are fixed here, and each test stores its login under them.
SESSION_KEY = get_random_string(40)
CSRF_TOKEN = get_random_string(32)
CREDENTIALS = {
    "cookies": {settings.SESSION_COOKIE_NAME: SESSION_KEY, settings.CSRF_COOKIE_NAME: CSRF_TOKEN},
    "headers": {"X-CSRFToken": CSRF_TOKEN},
}


@pytest.fixture
def login(live_server, supervisor_pavlodar) -> dict[str, dict[str, str]]:
    """A supervisor's session after both factors, under SESSION_KEY."""
    client = SecondFactorClient()
    client.force_login(supervisor_pavlodar)
    Session.objects.create(
        session_key=SESSION_KEY,
        session_data=SessionStore().encode(dict(client.session.items())),
        expire_date=timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE),
    )
    return CREDENTIALS


@schema.auth(refresh_interval=None)
class SessionLogin:
    """How a browser authenticates. Knowing it, schemathesis also leaves it out on purpose
    and expects the refusal that the schema documents."""

    def get(self, case, ctx):
        return CREDENTIALS

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


def _refused_only_for_data_dependent_fields(case, response) -> None:
    """positive_data_acceptance, except for what the schema cannot express."""
    if response.status_code != 400 or not case.meta or not case.meta.generation.mode.is_positive:
        return
    unexpected = {
        field: messages
        for field, messages in response.json().items()
        if field not in DATA_DEPENDENT
        or not all(any(said in m for said in DATA_DEPENDENT[field]) for m in messages)
    }
    assert not unexpected, f"valid by the schema, refused: {unexpected}"


@pytest.fixture
def statuses():
    """What the server answered; all refusals would mean the login was never applied."""
    answered: list[int] = []
    yield answered
    assert set(answered) - {403}, "every request was refused: is SessionLogin applied?"


@schema.parametrize()
@hypothesis_settings(
    max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
def test_the_api_keeps_to_its_schema(case, login, live_server, statuses):
    response = case.call(base_url=live_server.url)
    statuses.append(response.status_code)
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if case.operation.method.upper() == "POST" and case.operation.path == REPORTS:
        _refused_only_for_data_dependent_fields(case, response)
        if response.status_code == 201:
            assert Report.objects.filter(pk=response.json()["id"]).exists()


def test_the_served_schema_is_the_one_tested(login, live_server):
    served = requests.get(f"{live_server.url}/api/schema/?format=json", **login, timeout=30)
    assert served.status_code == 200
    assert served.json()["paths"] == schema.raw_schema["paths"]


def test_the_documented_report_example_is_accepted_and_recorded(login, live_server):
    operation = schema[REPORTS]["POST"]
    content = operation.definition.raw["requestBody"]["content"]["application/json"]
    (example,) = (e["value"] for e in content["examples"].values())
    case = operation.Case(body=example, media_type="application/json")
    response = case.call(base_url=live_server.url, **login)
    case.validate_response(response)
    assert response.status_code == 201, response.text
    report = Report.objects.get(pk=response.json()["id"])
    assert report.narrative == example["narrative"]
    assert list(report.children.values_list("description", flat=True)) == example["children"]
