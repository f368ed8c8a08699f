"""HTML to PDF with WeasyPrint, fetching nothing (the case file, the programme dashboard).

Nothing is fetched while rendering: the stylesheet is read from the app's own static
file, fonts are the system's (DejaVu, which has Kazakh and Russian letters), and any URL
in the document is refused, so no text typed by a user makes the server fetch anything.
"""

from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher


class _FetchNothing(URLFetcher):
    """Refuses every URL: WeasyPrint leaves the resource out and renders the rest."""

    def fetch(self, url: str, headers: Any = None) -> NoReturn:
        raise ValueError(f"a PDF fetches no resources ({url[:40]})")


@cache
def _stylesheet(name: str) -> str:
    found = finders.find(name)
    if not isinstance(found, str):
        raise FileNotFoundError(name)
    return Path(found).read_text(encoding="utf-8")


def pdf_of(html: str, *, stylesheet: str) -> bytes:
    """The PDF of `html`, laid out with the static file `stylesheet` (e.g. "app/x.css")."""
    document = HTML(string=html, base_url=None, url_fetcher=_FetchNothing())
    return bytes(document.write_pdf(stylesheets=[CSS(string=_stylesheet(stylesheet))]))
