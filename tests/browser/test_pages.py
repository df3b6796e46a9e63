"""What a person sees, in headless Chromium: search, finder, compare, print."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from browsing import screenshot_for_review
from casebook.routes import route
from helpers import keys_at, page_address

POINTS_CASES = {"fenggang-party-masses-direct-deliberation", "honghuagang-jinianguan-reporting-party-members",
                "ningguo-songhe-grid-baobao"}


def test_home_page_loads_without_console_errors(page, site_url):
    page.goto(site_url)
    expect(page.locator("h1")).to_have_text("基层治理案例库")
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_pages_load_nothing_from_outside_the_site(fresh_page, site_url):
    """An intranet without internet access must get the whole site: no CDN, no web fonts."""
    page = fresh_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ("", "finder/?kw=积分制", "compare/?ids=jinjiang-grid-womens-groups,ningguo-songhe-grid-baobao",
                 page_address(route("case", "jinjiang-grid-womens-groups")), page_address(route("tag", "points-system"))):
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    outside = [url for url in requested if not url.startswith((site_url, "data:", "blob:"))]
    assert requested and outside == []


def finder_result_ids(page) -> set[str]:
    """The cases the finder lists once the search the address asks for has its rows in."""
    expect(page.locator("[data-finder-results]")).to_have_attribute("aria-busy", "false", timeout=10_000)
    expect(page.locator(".cb-finder__result").first).to_be_visible()
    hrefs = page.locator(".cb-finder__result > a").evaluate_all("links => links.map(a => a.href)")
    return {keys_at("case", href)["id"] for href in hrefs}


def test_finder_search_returns_the_expected_cases(page, site_url):
    page.goto(site_url + "finder/")
    page.locator(".cb-finder__input").fill("积分制")
    expect(page).to_have_url(re.compile(r"\?q=%E7%A7%AF"))  # the typed query has started its search
    assert POINTS_CASES <= finder_result_ids(page)
    assert page.console_errors == []


def test_finder_filter_narrows_and_survives_reload(page, site_url):
    page.goto(site_url + "finder/?kw=" + "网格")
    before = finder_result_ids(page)
    page.locator(".cb-finder__filter input[name=province][value=福建省]").check()
    expect(page.locator(".cb-finder__status")).to_have_text("找到 1 个案例")
    after = finder_result_ids(page)
    assert after == {"jinjiang-grid-womens-groups"} and len(before) > len(after)
    assert parse_qs(urlsplit(page.url).query) == {"q": ["网格"], "province": ["福建省"]}  # old ?kw= links become ?q=
    page.reload()
    expect(page.locator(".cb-finder__status")).to_have_text("找到 1 个案例")
    assert finder_result_ids(page) == {"jinjiang-grid-womens-groups"}
    expect(page.locator(".cb-finder__filter input[name=province][value=福建省]")).to_be_checked()


def test_the_finders_year_filter_leads_to_the_year_pages(page, site_url):
    page.goto(site_url + page_address(route("finder")))
    years = page.locator(".cb-finder__filter", has=page.locator("input[name=year]"))
    browse = years.locator("a.cb-finder__browse")
    expect(browse).to_have_text("按年份浏览")
    browse.click()
    expect(page).to_have_url(site_url + page_address(route("years")))
    page.locator(".cb-year-index a").first.click()
    assert keys_at("year", page.url) is not None
    assert page.console_errors == []


def test_compare_page_shows_two_cases_side_by_side(page, site_url):
    page.goto(site_url + "compare/?ids=jinjiang-grid-womens-groups,ningguo-songhe-grid-baobao")
    table = page.locator("[data-compare-table]")
    expect(table).to_be_visible()
    headers = table.locator("thead th a")
    expect(headers).to_have_count(2)
    expect(headers.nth(0)).to_contain_text("晋江市")
    expect(table.locator("tbody tr", has_text="层级")).to_contain_text("村社区")


def test_compare_basket_from_case_pages(page, site_url):
    for case in ("jinjiang-grid-womens-groups", "lezhi-neighborhood-party-building"):
        page.goto(site_url + page_address(route("case", case)))
        page.locator("button.cb-compare-add").click()
    page.locator("button.cb-compare-add").click()  # second click goes to the comparison
    expect(page.locator("[data-compare-table] thead th a")).to_have_count(2)
    assert "ids=jinjiang-grid-womens-groups,lezhi-neighborhood-party-building" in page.url


def test_case_page_prints_as_a_handout(page, site_url, screenshots):
    page.goto(site_url + page_address(route("case", "jinjiang-grid-womens-groups")))
    page.emulate_media(media="print")
    expect(page.locator(".md-header")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    expect(page.locator("table.cb-metrics-table")).to_be_visible()
    address = site_url + page_address(route("case", "jinjiang-grid-womens-groups"))
    expect(page.locator(".cb-page-address")).to_contain_text(address)
    expect(page.locator(".cb-metric-groups")).to_be_hidden()
    screenshot_for_review(page, screenshots / "case-print.png")


def test_training_pack_starts_each_case_on_a_new_page(page, site_url):
    page.goto(site_url + "packs/points-system-1/")
    page.emulate_media(media="print")
    sections = page.locator("section.cb-pack-case")
    expect(sections).to_have_count(4)
    breaks = sections.evaluate_all("nodes => nodes.map(n => getComputedStyle(n).breakBefore)")
    assert breaks == ["page"] * 4
    expect(page.locator(".md-header")).to_be_hidden()


def test_metrics_at_a_glance_need_no_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "tags/women-children-rights/")
    # Only figures that count the same thing side by side, labelled by case title, as written.
    teams = page.locator("table.cb-glance", has_text="单位：支").filter(has_text="队伍")
    expect(teams).to_contain_text("17支")
    expect(teams).to_contain_text("15支")
    expect(teams.locator("tbody tr").first).to_contain_text("嵩明县")  # a case title, not a place name
    expect(page.locator("#cases")).to_be_visible()
    cases_top = page.locator("#cases").bounding_box()["y"]
    assert cases_top < page.locator("#metrics").bounding_box()["y"]  # the case list comes first
    context.close()
