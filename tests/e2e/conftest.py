"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Chromium comes from the system (`apt-get install chromium`), never a downloaded
browser build. Without it the tests skip on a developer's machine and fail in CI.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # The live server needs committed data. Flushing after each test removes the
            # data migrations' rows too: personas.ensure_reference_data() reloads them.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the
    # tests make there are synchronous and safe. Only while browser tests run: the
    # deploy check rightly refuses this variable anywhere else.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _chromium()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _chromium():
    # Looked up when the first browser test starts, not at import: the path must still
    # be there when Playwright spawns it.
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: .ci/run must install it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """A page factory: one browser context (its own cookies and language) per person."""
    contexts = []

    def make(locale: str = "en"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url  # type: ignore[attr-defined]
        page.on("console", lambda message: console.append(message.text))
        return page

    console: list[str] = []
    yield make
    for context in contexts:
        context.close()
    blocked = [text for text in console if "Content Security Policy" in text]
    assert not blocked, f"the page broke its own Content-Security-Policy: {blocked}"


class AccessibilityAudit:
    """Runs axe-core on each page it is shown; the test asserts no violation at the end."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.violations: dict[str, list[str]] = {}
        self.pages = 0

    def check(self, page, label: str) -> None:
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        self.pages += 1
        found = results.response["violations"]
        if found:
            self.violations[label] = [
                f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
                for v in found
            ]


@pytest.fixture
def a11y():
    return AccessibilityAudit()
