"""The benchmark's Server-Timing header counts the SQL a request ran."""

import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from qorgau.ops.timing import ServerTimingMiddleware


@pytest.mark.django_db
def test_the_header_gives_the_sql_time_and_count_within_the_request_time():
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    match = re.fullmatch(
        r'sql;dur=([\d.]+);desc="(\d+) queries", app;dur=([\d.]+)', response["Server-Timing"]
    )
    assert match is not None
    sql, count, total = float(match[1]), int(match[2]), float(match[3])
    assert count == 2
    assert 0 < sql <= total
