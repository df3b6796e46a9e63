"""What a reader sees of an outcome's evidence: its status as a word, its quote opened in its
sentence, the editors' lessons labelled, on a phone, a desktop and paper; and a build with a
plain-text outcome succeeds, showing the warning."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest

from browser.conftest import _QuietHandler
from browsing import screenshot_for_review
from casebook.routes import route
from helpers import EXAMPLE_CASE, copy_project, dump_case, page_address, run_mkdocs_build
from test_outcomes import AIM, evidenced_case

VIEWPORTS = {"phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True),
             "desktop": dict(viewport={"width": 1366, "height": 900})}


@pytest.fixture(scope="module")
def evidenced_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("evidenced")
    project = copy_project(root / "project", with_cases=False)
    (project.cases_dir / EXAMPLE_CASE.name).write_text(dump_case(evidenced_case()), encoding="utf-8")
    result = run_mkdocs_build(project, root / "site")
    # The plain-text outcome is a warning: shown in the log, and the strict build still succeeds.
    assert result.returncode == 0, result.stderr
    assert "1 个提醒" in result.stderr and "outcomes[4]: 未附原文" in result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_outcome_statuses_and_an_open_quote(browser, evidenced_site, screenshots, size):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[size])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(evidenced_site + page_address(route("case", EXAMPLE_CASE.stem)))
    outcomes = page.locator(".cb-outcomes > li")
    assert [outcomes.nth(i).locator(".cb-status").inner_text() for i in range(outcomes.count())] == \
        ["结果", "目标", "进展", "个例", "未附原文"]
    # 目标 and 结果 differ in more than colour: border style too.
    styles = [outcomes.nth(i).locator(".cb-status").evaluate("e => getComputedStyle(e).borderTopStyle") for i in (0, 1)]
    assert styles[0] != styles[1]
    aim = outcomes.nth(1)
    aim.locator("summary").click()
    quote = aim.locator("blockquote.cb-context")
    assert quote.is_visible() and quote.locator("mark").inner_text() == AIM
    assert page.locator(".cb-lessons-origin .cb-status").inner_text() == "编者观点"
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["viewport"]["width"]
    page.locator("#成效").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"outcome-evidence-{size}.png"))
    page.emulate_media(media="print")
    assert quote.is_hidden() and aim.locator(".cb-print-quote").is_visible()
    screenshot_for_review(page, screenshots / f"outcome-evidence-print-{size}.png")
    assert errors == []
    context.close()
