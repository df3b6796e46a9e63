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


class _Tabs:
    """One page per size for the whole run of a test process, handed to each test in turn.

    A new page costs Chromium a new renderer process, about 1.5 s of CPU (the theme's scripts and
    a CJK font loaded again), while going to another page of the same site in the same tab costs
    about 0.5 s: over a hundred tests, that is a minute of the run. Between tests a tab forgets
    what a test may leave behind: its storage (baskets, drafts), routes, print emulation and
    recorded errors. A test that adds init scripts or listeners of its own uses ``fresh_page``."""

    def __init__(self, browser):
        self.browser, self.pages = browser, {}

    def get(self, size_name: str, options: dict):
        if size_name not in self.pages:
            page = self.browser.new_context(locale="zh-CN", **options).new_page()
            page.size_name = size_name
            _record_errors(page)
            self.pages[size_name] = page
        page = self.pages[size_name]
        page.console_errors = []
        return page

    @staticmethod
    def forget(page) -> None:
        page.unroute_all(behavior="ignoreErrors")
        page.emulate_media(media="null")
        page.context.clear_cookies()
        if page.url.startswith("http"):
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")


def _record_errors(page) -> None:
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))


@pytest.fixture(scope="session")
def _tabs(browser):
    return _Tabs(browser)


def _handed_out(tabs, request, size_name, options):
    page = tabs.get(size_name, options)
    yield page
    _screenshot_if_failed(page, request)
    tabs.forget(page)


@pytest.fixture(params=list(SIZES))
def sized_page(_tabs, request):
    """The page at phone size and at desktop size (``page.size_name``), recording script errors."""
    yield from _handed_out(_tabs, request, request.param, SIZES[request.param])


@pytest.fixture
def phone(_tabs, request):
    """The page at phone size, recording script errors."""
    yield from _handed_out(_tabs, request, "phone", SIZES["phone"])


@pytest.fixture
def page(_tabs, request):
    """The desktop page, recording script errors."""
    yield from _handed_out(_tabs, request, "desktop", SIZES["desktop"])


@pytest.fixture
def fresh_page(browser, request):
    """A page of its own, for a test that adds init scripts or listeners; recording script errors."""
    context = browser.new_context(locale="zh-CN", **SIZES["desktop"])
    page = context.new_page()
    _record_errors(page)
    yield page
    _screenshot_if_failed(page, request)
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


def _screenshot_if_failed(page, request) -> None:
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        full_page_screenshot(page, SCREENSHOTS / f"{request.node.name}.png")
