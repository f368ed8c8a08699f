import io
import logging
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import technical_500_response

from qorgau.protection.masking import MaskPersonalData, PersonalDataReporterFilter

from .conftest import IIN, NARRATIVE

REPORTER = "Synthetic Reporter Name"


@pytest.fixture
def console():
    """What the configured console handler writes, for the duration of a test."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalData) for f in h.filters)
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_every_configured_handler_masks_personal_data():
    for name, handler in django_settings.LOGGING["handlers"].items():
        assert "mask_personal_data" in handler.get("filters", []), name
    for logger in (logging.getLogger(), logging.getLogger("django")):
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest"):
                continue
            assert any(isinstance(f, MaskPersonalData) for f in handler.filters), handler


def test_an_iin_in_a_log_line_is_masked(console):
    logging.getLogger("qorgau.test").warning("lookup of %s failed for child %d", IIN, 7)
    written = console.getvalue()
    assert IIN not in written
    assert "lookup of [IIN] failed for child 7" in written


def test_an_iin_in_an_exception_is_masked(console):
    try:
        raise ValueError(f"no child with IIN {IIN}")
    except ValueError:
        logging.getLogger("qorgau.test").exception("search failed")
    written = console.getvalue()
    assert IIN not in written and "no child with IIN [IIN]" in written


def test_values_of_personal_fields_are_masked(console):
    logger = logging.getLogger("qorgau.test")
    logger.warning("report %(narrative)s from %(ref)s", {"narrative": NARRATIVE, "ref": "R-1"})
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "saved", None, None)
    record.narrative = NARRATIVE
    MaskPersonalData().filter(record)
    assert record.narrative == "[masked]"
    written = console.getvalue()
    assert NARRATIVE not in written and "report [masked] from R-1" in written


def test_longer_numbers_are_not_taken_for_an_iin():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "ids %s %s", ("1234567890123", "12"), None
    )
    MaskPersonalData().filter(record)
    assert record.getMessage() == "ids 1234567890123 12"


def test_the_technical_500_page_in_debug_shows_no_posted_narrative(
    client, settings, operator_111, personas
):
    settings.DEBUG = True
    client.raise_request_exception = False
    client.force_login(operator_111)
    with mock.patch("qorgau.web.views.reports.report_create", side_effect=RuntimeError("boom")):
        response = client.post(
            reverse("report-new"),
            {
                "reporter_type": "parent",
                "reporter_name": "Synthetic Reporter Name",
                "reporter_contact": "+7 702 555 44 55",
                "place": personas.pavlodar_city.pk,
                "narrative": NARRATIVE,
                "urgency": "routine",
                "concerns": ["neglect"],
                "children-TOTAL_FORMS": "1",
                "children-INITIAL_FORMS": "0",
                "children-0-description": "Girl, about 10",
                "iin": IIN,
            },
        )
    assert response.status_code == 500
    page = response.content.decode()
    assert "RuntimeError" in page and "boom" in page, "still a useful report"
    for secret in (NARRATIVE, "Synthetic Reporter Name", "555 44 55", IIN, "Girl, about 10"):
        assert secret not in page, secret


def test_the_exception_reporter_cleanses_in_debug_too(settings):
    settings.DEBUG = True
    request = RequestFactory().post(
        "/", {"narrative": NARRATIVE, "password": "hunter2-secret", "comment": f"iin {IIN}"}
    )
    post = PersonalDataReporterFilter().get_post_parameters(request)
    assert post["narrative"] == post["password"] == "********************"
    assert post["comment"] == "iin [IIN]"


def test_a_technical_500_names_no_narrative_held_in_a_local_variable(settings):
    settings.DEBUG = True
    request = RequestFactory().get("/")

    def save(narrative: str, data: dict) -> None:
        raise RuntimeError("failed")

    try:
        save(NARRATIVE, {"reporter_name": REPORTER, "iin_text": IIN})
    except RuntimeError as exc:
        page = technical_500_response(request, type(exc), exc, exc.__traceback__).content
    assert NARRATIVE.encode() not in page
    assert REPORTER.encode() not in page and IIN.encode() not in page
