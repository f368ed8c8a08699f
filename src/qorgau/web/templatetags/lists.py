"""The app's list tables: the rows of a table's page (qorgau.tables.body_rows)."""

from django import template
from django.utils.safestring import SafeString
from django_tables2 import Table

from qorgau.tables import body_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context: template.Context, table: Table) -> SafeString:
    return body_rows(table, context)
