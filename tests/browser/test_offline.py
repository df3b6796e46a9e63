"""The offline build (`make offline`) opened straight from disk, as on a USB stick or intranet share."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from casebook.routes import route
from helpers import built_page


def test_pages_and_links_work_from_disk(page, offline_site):
    page.goto((offline_site / "index.html").as_uri())
    page.locator(".cb-card a").first.click()
    expect(page.locator("h1#case-title")).to_be_visible()
    assert page.url.endswith(".html")
    page.locator(".md-tag").first.click()
    expect(page.locator("h2#cases")).to_be_visible()


def test_header_search_works_from_disk(page, offline_site):
    page.goto((offline_site / built_page(route("case", "jinjiang-grid-womens-groups"), offline=True)).as_uri())
    page.locator("form.cb-search--header input[name=q]").click()
    page.keyboard.insert_text("积分制")
    option = page.locator("form.cb-search--header [role=option]").first
    expect(option).to_be_visible(timeout=10_000)
    assert option.get_attribute("href").startswith("file://") and option.get_attribute("href").endswith(".html")
    see_all = page.locator("form.cb-search--header .cb-search__all")
    see_all.click()
    expect(page.locator(".cb-finder__result").first).to_be_visible(timeout=10_000)
    assert page.url.split("?")[0].endswith("/finder.html")
    assert page.console_errors == []


def test_finder_works_from_disk(page, offline_site):
    page.goto((offline_site / "finder.html").as_uri() + "?kw=积分制")
    expect(page.locator(".cb-finder__result").first).to_be_visible(timeout=10_000)
    href = page.locator(".cb-finder__result > a").first.get_attribute("href")
    assert href.startswith("file://") and href.endswith(".html")
    assert page.console_errors == []


def test_compare_from_disk_says_it_needs_a_web_server_and_offers_no_retry(page, offline_site):
    cases = json.loads((offline_site / "downloads" / "cases.json").read_text(encoding="utf-8"))
    page.goto((offline_site / "compare.html").as_uri() + "?ids=" + ",".join(case["id"] for case in cases[:2]))
    status = page.locator("[data-compare-status]")
    expect(status).to_contain_text("需要通过网页服务器访问")
    expect(status.locator("button")).to_have_count(0)
