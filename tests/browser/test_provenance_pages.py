"""A quote opened in its source context on a case page, on a phone and on a desktop."""

from __future__ import annotations

import datetime as dt

import pytest

from browsing import screenshot_for_review
from casebook.routes import route
from helpers import SITE_URL, page_address

VIEWPORTS = {"phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True),
             "desktop": dict(viewport={"width": 1366, "height": 900})}


@pytest.mark.parametrize("size", VIEWPORTS)
def test_quote_opens_inside_its_source_sentence(browser, site_url, screenshots, size):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[size])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site_url + page_address(route("case", "ningguo-songhe-grid-baobao")))
    page.locator("details.cb-metric-group--folded > summary").click()  # a background figure (基本情况)
    figure = page.locator(".cb-metric-row", has_text="下辖居民小组")
    figure.locator("summary").click()
    quote = figure.locator("blockquote.cb-context")
    assert quote.is_visible()
    assert quote.locator(".cb-context__text mark").inner_text() == "下轄6個居民小組"
    assert quote.locator(".cb-context__simplified mark").inner_text() == "下辖6个居民小组"
    assert quote.locator("a").get_attribute("href").endswith("sources/ahwomen-ningguo-songhe-grid-baobao/")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["viewport"]["width"]
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"quote-in-context-{size}.png"))
    # The citation carries the reader's access date and the page's own address.
    assert page.locator("[data-cite-accessed]").inner_text() == dt.date.today().isoformat()
    assert SITE_URL + page_address(route("case", "ningguo-songhe-grid-baobao")) in page.locator(".cb-cite").inner_text()
    page.locator(".cb-cite").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / f"citation-{size}.png"))
    assert errors == []
    context.close()


def test_editor_mark_shows_its_explanation_on_a_phone(browser, site_url, screenshots):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(site_url + page_address(route("case", "chaoyang-nongzhanguan-lake-water-supply")))
    mark = page.locator(".cb-breadcrumb .cb-editor-mark")
    assert mark.inner_text() == "编者补充"
    assert "编者" in mark.get_attribute("title")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "editor-mark-phone.png"))
    page.goto(site_url + "sources/cnwomen-chaoyang-lake-water-supply/")
    assert page.locator(".cb-drawn mark").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot_for_review(page, screenshots / "source-page-phone.png")
    context.close()
