"""What showing a list costs in Python (issue 7): the home page of a caseworker at 1M
children was ~110 ms of Python beside 18 ms of SQL, most of it django-tables2 writing
seven lists cell by cell. The rows are written by qorgau.tables.body_rows and dates by
qorgau.tables.DateColumn; the cells must come out as django-tables2's own template
writes them."""

import datetime as dt
import re
from unittest import mock

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import timezone
from django.utils.html import format_html

from personas import make_case, make_report
from qorgau.tables import DateColumn, body_rows, table_of


def test_a_second_my_work_compiles_no_template(
    client, caseworker_pavlodar, supervisor_pavlodar, operator_111, pavlodar_city
):
    """django-tables2's DateColumn and DateTimeColumn compiled a template for every cell
    (a tenth of the page's time); every template the page uses is compiled once."""
    make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(caseworker_pavlodar)
    client.get("/")
    with mock.patch.object(
        Template, "compile_nodelist", autospec=True, side_effect=Template.compile_nodelist
    ) as compiled:
        page = client.get("/").content.decode()
    assert "Opened" in page and "Screen by" in page  # the date columns are on the page
    assert compiled.call_count == 0


def test_my_work_decrypts_nothing_it_does_not_show(
    client, caseworker_pavlodar, supervisor_pavlodar, operator_111, pavlodar_city
):
    """No list of the home page shows an encrypted field (a report's narrative and
    reporter, a case's closure note, a child's IIN): read, each would be decrypted for
    every row, three Fernet tokens per report of the screening queue."""
    make_case(worker=caseworker_pavlodar, supervisor=supervisor_pavlodar, status="active")
    make_report(actor=operator_111, place=pavlodar_city)
    client.force_login(caseworker_pavlodar)
    client.get("/")
    with mock.patch("qorgau.protection.fields.decrypt", side_effect=AssertionError) as decrypt:
        page = client.get("/").content.decode()
    assert "R-" in page and "C-" in page  # a report to screen and a case are listed
    assert decrypt.call_count == 0


class _Row:
    def __init__(self, name: str, born: dt.date, seen: dt.datetime, count: int) -> None:
        self.name, self.born, self.seen, self.count = name, born, seen, count


class _Table(tables.Table):
    name = tables.Column(attrs={"td": {"class": "name"}})
    born = DateColumn(format="SHORT_DATE_FORMAT")
    seen = DateColumn(format="SHORT_DATETIME_FORMAT")
    count = tables.Column(localize=False, attrs={"td": {"data-n": lambda value: value}})
    link = tables.Column(empty_values=())

    class Meta:
        row_attrs = {"class": lambda record: "late" if record.count > 1 else ""}
        empty_text = "Nothing <here>"

    def render_link(self, record: _Row) -> str:
        return format_html('<a href="/{}">{}</a>', record.count, record.name)


class _TheirDates(_Table):
    born = tables.DateColumn(format="SHORT_DATE_FORMAT")
    seen = tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT")

    class Meta(_Table.Meta):
        pass


def _rows(html: str) -> list[str]:
    """The table's body, its white space as django-tables2's template leaves it removed."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.sub(r"\s+", " ", body).replace("> <", "><").replace(" >", ">").strip()


@pytest.mark.parametrize("records", [2, 0], ids=["rows", "empty"])
def test_rows_are_written_as_django_tables2_writes_them(settings, db, records):
    settings.USE_THOUSAND_SEPARATOR = True
    moment = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)  # another day here
    data = [_Row(f"<b>{i}</b>", dt.date(2014, 3, i + 1), moment, 1000 * i) for i in range(records)]
    request = RequestFactory().get("/")
    ours = get_template("web/_table.html").render({"table": _Table(data)}, request)
    theirs = get_template("django_tables2/table.html").render({"table": _TheirDates(data)}, request)
    assert _rows(ours) == _rows(theirs)
    if records:
        assert 'data-n="1000"' in ours and "&lt;b&gt;1&lt;/b&gt;" in ours
    else:
        assert "Nothing &lt;here&gt;" in ours


def test_body_rows_compute_fixed_cell_attributes_once_per_column(db):
    data = [_Row(str(i), dt.date(2014, 3, 1), timezone.now(), i) for i in range(5)]
    _, table = table_of(RequestFactory().get("/"), _Table, data, prefix="t")
    with mock.patch.object(
        tables.columns.BoundColumn, "attrs", new_callable=mock.PropertyMock
    ) as attrs:
        attrs.return_value = {"td": tables.utils.AttributeDict()}
        body_rows(table, Context())
    # name, born, seen and link once each; count (its data-n from the value) per row.
    assert attrs.call_count == 4 + 5
