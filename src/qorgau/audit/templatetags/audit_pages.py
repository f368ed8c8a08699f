from django import template

from qorgau.audit.page_names import page_name as _page_name

register = template.Library()


@register.filter
def page_name(url_name: str) -> str:
    """`{{ entry.url_name|page_name }}`: the logged route as the page's title."""
    return _page_name(url_name)
