"""HTML to PDF with WeasyPrint, fetching nothing (the case file, the programme dashboard).

Nothing is fetched while rendering: the stylesheet is read from the app's own static
file, fonts are the system's (DejaVu, which has Kazakh and Russian letters), and any URL
in the document is refused, so no text typed by a user makes the server fetch anything.
"""

from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from django.contrib.staticfiles import finders


@cache
def _fetch_nothing() -> Any:
    """A URL fetcher that refuses every URL: WeasyPrint leaves the resource out and
    renders the rest. Made on first use: WeasyPrint takes seconds to load, and every
    page of the app would pay that at start-up for the few PDFs."""
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> NoReturn:
            raise ValueError(f"a PDF fetches no resources ({url[:40]})")

    return FetchNothing()


@cache
def _stylesheet(name: str) -> str:
    found = finders.find(name)
    if not isinstance(found, str):
        raise FileNotFoundError(name)
    return Path(found).read_text(encoding="utf-8")


def pdf_of(html: str, *, stylesheet: str) -> bytes:
    """The PDF of `html`, laid out with the static file `stylesheet` (e.g. "app/x.css")."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=None, url_fetcher=_fetch_nothing())
    return bytes(document.write_pdf(stylesheets=[CSS(string=_stylesheet(stylesheet))]))
