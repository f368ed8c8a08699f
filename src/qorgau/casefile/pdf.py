"""The case file as PDF, laid out by WeasyPrint from the same HTML as the print page.

Nothing is fetched while rendering: the stylesheet is read from the app's own static
file, fonts are the system's (DejaVu, which has Kazakh and Russian letters), and any URL
in the document is refused, so no text typed into a case makes the server fetch anything.
"""

from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from django.contrib.staticfiles import finders

STYLESHEET = "casefile/case_file.css"


@cache
def _fetch_nothing() -> Any:
    """A URL fetcher that refuses every URL: WeasyPrint leaves the resource out and
    renders the rest. Made on first use: WeasyPrint takes seconds to load, and every
    page of the app would pay that at start-up for the few PDFs."""
    from weasyprint.urls import URLFetcher

    class FetchNothing(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> NoReturn:
            raise ValueError(f"the case file fetches no resources ({url[:40]})")

    return FetchNothing()


@cache
def _stylesheet() -> str:
    found = finders.find(STYLESHEET)
    if not isinstance(found, str):
        raise FileNotFoundError(STYLESHEET)
    return Path(found).read_text(encoding="utf-8")


def pdf_of(html: str) -> bytes:
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=None, url_fetcher=_fetch_nothing())
    return bytes(document.write_pdf(stylesheets=[CSS(string=_stylesheet())]))
