"""No input makes a server error: odd values in every parameter the views read.

Each route of the access table is asked by a persona it allows, once per odd value,
with every parameter its views read set to that value; ids in the path are pushed
beyond any record's range. The answer may be a page, a form error, 400, 403, 404 or
a redirect, never a 500 (the test client re-raises a view's exception, which fails
the test with the traceback).
"""

import pytest
from django.urls import reverse

from qorgau.pages import ID_MAX, parse_id
from web.test_route_access import RULES
from web.test_route_access import records as records  # a fixture

ODD_VALUES = (
    "²",  # a digit to str.isdigit(), not to int()
    "٣",  # an Arabic-Indic 3: int() reads it
    "9" * 30,
    str(ID_MAX + 1),
    "-1",
    "0",
    "a/b",
    "",
    "\x00",
    "1\x00",
    "abc",
    " 1 ",
    "1e3",
    "%",
    "<script>x</script>",
    "x" * 20_000,
)

# The parameters the views read, per route (GET or POST as the route's rule says).
CASE_FIELDS = ("version", "risk_level", "reasoning", "immediate_danger", "safety_decision")
PARAMS: dict[str, tuple[str, ...]] = {
    "child-search": ("q", "birth_date", "report", "link"),
    "child-new": ("report", "link"),
    "report-new": (
        "reporter_type",
        "reporter_name",
        "reporter_contact",
        "urgency",
        "concerns",
        "place",
        "incident_address",
        "incident_date",
        "narrative",
        "children-TOTAL_FORMS",
        "children-INITIAL_FORMS",
        "children-0-description",
        "remove_child",
    ),
    "report-link": ("link", "child"),
    "report-screen": ("decision", "in-worker", "in-join_case", "in-note", "out-reason", "out-note"),
    "case-action": CASE_FIELDS,
    "plan-action": ("status", "outcome_note"),
    "police-notification": ("police", "police_reference"),
    "family-member-new": ("relationship", "full_name", "birth_date", "phone"),
    "family-member-edit": ("relationship", "full_name", "birth_date", "phone"),
    "child-edit": ("version", "first_name", "birth_date", "iin", "sex", "place"),
    "grant-new": ("grant-user", "grant-reason", "grant-expires_at"),
    "emergency-review": ("note",),
    "case-hold": ("reason",),
    "child-hold": ("reason",),
    "audit-search": ("kind", "record_id", "username"),
    "audit-record": ("since", "until", "page"),
    "audit-record-export": ("since", "until"),
    "audit-user": ("since", "until", "page"),
    "audit-user-export": ("since", "until"),
    "child-history": ("page",),
    "case-history": ("page",),
    "survey-detail": ("by",),
    "api-report-create": ("place", "incident_date", "children", "concerns", "narrative"),
    "two-factor-verify": ("token", "next"),
    "reauthenticate": ("password", "token", "next"),
}
# Which path arguments are numbers, per kind of record in the access table's fixture.
RECORD_KWARGS = {
    "plan-action": {"pk": 1, "action_pk": 1},
    "hold": {"pk": 1, "hold_pk": 1},
    "child-hold": {"pk": 1, "hold_pk": 1},
    "family-member": {"pk": 1, "member_pk": 1},
    "grant": {"pk": 1},
    "emergency": {"pk": 1},
    "report": {"pk": 1},
    "child": {"pk": 1},
    "case": {"pk": 1},
    "audit-record": {"pk": 1},
    "case-action": {"pk": 1},
    "police": {"pk": 1, "notification_pk": 1},
}
# Who asks: an allowed persona, the one that reaches furthest into the view.
ASKER = ("caseworker_pavlodar", "supervisor_pavlodar", "auditor", "national_analyst")


def _asker(name: str) -> str:
    allowed = RULES[name].allowed
    return next((p for p in ASKER if p in allowed), sorted(allowed)[0])


def _call(client, name: str, url: str, data: dict):
    if RULES[name].method == "post":
        return client.post(url, data)
    return client.get(url, data)


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_odd_values_in_any_parameter_make_no_server_error(client, personas, records, name):
    rule_ = RULES[name]
    url = reverse(name, kwargs=records[rule_.args])
    client.force_login(personas[_asker(name)])
    for value in ODD_VALUES:
        response = _call(client, name, url, dict.fromkeys(PARAMS[name], value))
        assert response.status_code < 500, (name, value)


NUMBERED = sorted(
    n
    for n in RULES
    if any(isinstance(v, int) for v in RECORD_KWARGS.get(RULES[n].args, {}).values())
)


@pytest.mark.parametrize("name", NUMBERED)
def test_ids_beyond_any_record_in_the_path_make_no_server_error(client, personas, records, name):
    client.force_login(personas[_asker(name)])
    for number in (ID_MAX + 1, 10**30):
        kwargs = {
            key: number if isinstance(value, int) else value
            for key, value in records[RULES[name].args].items()
        }
        response = _call(client, name, reverse(name, kwargs=kwargs), {})
        # Not found, or (an auditor's log of any number) an empty page.
        assert response.status_code in (200, 302, 404), (name, number)


def test_the_inputs_found_by_fuzzing_are_answered_without_a_server_error(
    client, personas, records, caseworker_pavlodar, auditor
):
    client.force_login(caseworker_pavlodar)
    assert client.get(reverse("child-search"), {"report": "²", "link": "²"}).status_code == 200
    link_url = reverse("report-link", kwargs=records["report"])
    assert client.post(link_url, {"link": "abc", "child": "1"}).status_code == 404
    client.force_login(auditor)
    response = client.get(reverse("audit-search"), {"username": "a/b"})
    assert response.status_code == 200
    assert response.context["user_form"].errors["username"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(ID_MAX), ID_MAX),
        (str(ID_MAX + 1), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1 ", None),
        ("", None),
        (None, None),
        ("1\x00", None),
    ],
)
def test_parse_id_accepts_only_ascii_digits_within_range(value, expected):
    assert parse_id(value) == expected
