"""A real browser (Debian's Chromium, driven by Playwright) on the built site, served over HTTP.

Chromium is installed by `.ci/run` (apt-get install chromium fonts-noto-cjk); Playwright never
downloads a browser here. A failing test leaves a screenshot in build/screenshots/.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browsing import SIZES, full_page_screenshot

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _served(site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The fixture library's site, served: what the software's browser tests open."""
    yield from _served(built_site)


@pytest.fixture(scope="session")
def real_site_url(real_site):
    """The repository's library, served: its invariants and the judged rankings in the browser."""
    yield from _served(real_site)


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install -y chromium fonts-noto-cjk"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(SIZES))
def sized_page(browser, request):
    """A fresh page at phone size and at desktop size (``page.size_name``), recording script errors."""
    context = browser.new_context(locale="zh-CN", **SIZES[request.param])
    page = context.new_page()
    page.size_name = request.param
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request):
    """A fresh page that records console errors; screenshot saved if the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        full_page_screenshot(page, SCREENSHOTS / f"{request.node.name}.png")
    context.close()
