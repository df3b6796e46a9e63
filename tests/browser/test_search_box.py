"""The search box of every page and the 案例检索 finder, in Chromium, at phone and desktop sizes.

Chinese arrives through an input method, as composed text with no key event for each character:
`keyboard.insert_text()` is the closest stand-in, so every query here is typed that way.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from browsing import DESKTOP, PHONE, screenshot_for_review, serious_violations
from casebook.routes import route
from helpers import keys_at, page_address

POINTS_CASES = {"fenggang-party-masses-direct-deliberation", "honghuagang-jinianguan-reporting-party-members",
                "ningguo-songhe-grid-baobao"}
CASE_PAGE = page_address(route("case", "jinjiang-grid-womens-groups"))
BOX = "form.cb-search--header"



def type_into_box(page, text: str, box: str = BOX) -> None:
    field = page.locator(f"{box} input[name=q]")
    field.click()
    field.fill("")
    page.keyboard.insert_text(text)


def case_ids(links) -> list[str]:
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    return [keys["id"] for keys in (keys_at("case", href) for href in hrefs) if keys]


def box_case_ids(page, box: str = BOX) -> list[str]:
    expect(page.locator(f"{box} .cb-search__all")).to_be_visible(timeout=10_000)
    return case_ids(page.locator(f"{box} .cb-search__group[aria-label=案例] [role=option]"))


def finder_case_ids(page) -> list[str]:
    expect(page.locator("[data-finder-results]")).to_have_attribute("aria-busy", "false", timeout=10_000)
    expect(page.locator(".cb-finder__result").first).to_be_visible()
    return case_ids(page.locator(".cb-finder__result > a"))


def test_header_box_drops_down_results_as_chinese_is_typed(sized_page, site_url, screenshots):
    page = sized_page
    page.goto(site_url + CASE_PAGE)
    type_into_box(page, "积分制")
    ids = box_case_ids(page)
    assert POINTS_CASES <= set(ids)
    first = page.locator(f"{BOX} [role=option]").first
    expect(first.locator(".cb-search__title")).not_to_be_empty()
    expect(first.locator(".cb-search__meta")).to_contain_text(" · ")
    expect(first.locator(".cb-search__snippet mark").first).to_be_visible()
    # The list fits the screen: nothing to scroll sideways, on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(screenshots / f"search-dropdown-{page.size_name}.png"))
    assert page.console_errors == []


def test_traditional_script_is_folded(page, site_url):
    page.goto(site_url + CASE_PAGE)
    type_into_box(page, "網格員")
    expect(page.locator(f"{BOX} input[name=q]")).to_have_value("网格员")
    assert "jinchuan-tongxin-365" in box_case_ids(page)


def test_keyboard_moves_through_results_and_enter_opens_one(page, site_url):
    page.goto(site_url + CASE_PAGE)
    type_into_box(page, "楼栋长")
    box_case_ids(page)
    field = page.locator(f"{BOX} input[name=q]")
    options = page.locator(f"{BOX} [role=option]")
    field.press("ArrowDown")
    field.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(field).to_be_focused()
    field.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    field.press("Escape")
    expect(page.locator(f"{BOX} .cb-search__panel")).to_be_hidden()
    field.press("ArrowDown")  # opens the list again
    expect(options.first).to_be_visible()
    field.press("ArrowDown")
    target = options.first.get_attribute("href")
    field.press("Enter")
    page.wait_for_url(target)
    expect(page.locator("h1#case-title")).to_be_visible()


def test_last_line_opens_the_finder_with_the_same_cases_in_the_same_order(sized_page, site_url):
    page = sized_page
    page.goto(site_url + CASE_PAGE)
    type_into_box(page, "怎样调动居民参与小区治理的积极性")
    in_box = box_case_ids(page)
    see_all = page.locator(f"{BOX} .cb-search__all")
    expect(see_all).to_have_text(re.compile(r"^在案例检索中查看全部 \d+ 个结果$"))
    total = int(re.search(r"\d+", see_all.text_content()).group())
    see_all.click()
    page.wait_for_url(re.compile(r"/finder/\?q="))
    assert parse_qs(urlsplit(page.url).query) == {"q": ["怎样调动居民参与小区治理的积极性"]}
    expect(page.locator(".cb-finder__input")).to_have_value("怎样调动居民参与小区治理的积极性")
    expect(page.locator(".cb-finder__status")).to_have_text(f"找到 {total} 个案例")
    assert finder_case_ids(page)[:len(in_box)] == in_box


def test_enter_without_a_chosen_result_opens_the_finder(page, site_url):
    page.goto(site_url)
    type_into_box(page, "妇联")
    box_case_ids(page)
    page.locator(f"{BOX} input[name=q]").press("Enter")
    page.wait_for_url(re.compile(r"/finder/\?q=%E5%A6%87%E8%81%94$"))
    assert finder_case_ids(page)


@pytest.mark.parametrize("parameter", ["q", "kw"])
def test_finder_deep_links_and_reload(page, site_url, parameter):
    page.goto(site_url + f"finder/?{parameter}=楼栋长")
    expect(page.locator(".cb-finder__input")).to_have_value("楼栋长")
    before = finder_case_ids(page)
    assert "bozhou-red-beautiful-buildings" in before
    page.reload()
    assert finder_case_ids(page) == before


def test_typing_in_the_finder_writes_q_into_the_address(page, site_url):
    page.goto(site_url + "finder/?kw=网格")
    page.locator(".cb-finder__input").fill("")
    page.locator(".cb-finder__input").click()
    page.keyboard.insert_text("反诈宣传")
    expect(page.locator(".cb-finder__result").first).to_contain_text("派出所")
    assert parse_qs(urlsplit(page.url).query) == {"q": ["反诈宣传"]}
    page.reload()
    expect(page.locator(".cb-finder__input")).to_have_value("反诈宣传")


def test_weak_matches_are_said_plainly(page, site_url):
    page.goto(site_url + CASE_PAGE)
    type_into_box(page, "老旧小区加装电梯")
    # No case answers it: said first, then which words no case holds (test_takeaways.py has more).
    notice = "没有案例提到“加装电梯”，以下案例部分相关"
    expect(page.locator(f"{BOX} .cb-search__status")).to_have_text(
        re.compile("^案例库里还没有“老旧小区加装电梯”的案例。.*" + notice))
    page.goto(site_url + "finder/?q=老旧小区加装电梯")
    expect(page.locator(".cb-finder__status")).to_contain_text("没有案例提到“加装电梯”")
    # A question whose words are all found is not called weak.
    page.goto(site_url + "finder/?q=怎样调动居民参与小区治理的积极性")
    expect(page.locator(".cb-finder__status")).to_have_text(re.compile(r"^找到 \d+ 个案例$"))


@pytest.mark.parametrize("query, path, title", [("投稿", "contributing/", "投稿指南"),
                                                 ("数据下载", "downloads/", "数据下载"),
                                                 ("可信度", "about/", "关于本案例库")])
def test_hand_written_pages_have_their_own_group(page, site_url, query, path, title):
    page.goto(site_url + CASE_PAGE)
    type_into_box(page, query)
    group = page.locator(f"{BOX} .cb-search__group[aria-label=网站页面]")
    expect(group).to_be_visible(timeout=10_000)
    option = group.locator("[role=option]", has_text=title).first
    assert option.get_attribute("href").endswith(path)
    option.click()
    page.wait_for_url(site_url + path)


def test_a_failed_index_file_says_so_and_retry_works(page, site_url):
    page.goto(site_url + CASE_PAGE)
    page.route("**/finder-index/*/terms/*.js", lambda route: route.abort())
    type_into_box(page, "积分制")
    status = page.locator(f"{BOX} .cb-search__status")
    expect(status).to_contain_text("检索索引没有载入", timeout=10_000)
    page.unroute("**/finder-index/*/terms/*.js")
    status.locator("button", has_text="重试").click()
    assert POINTS_CASES <= set(box_case_ids(page))


def test_finder_failed_index_file_says_so_and_retry_works(page, site_url):
    page.route("**/finder-index/*/terms/*.js", lambda route: route.abort())
    page.goto(site_url + "finder/?q=积分制")
    status = page.locator(".cb-finder__status")
    expect(status).to_contain_text("检索索引没有载入", timeout=10_000)
    page.unroute("**/finder-index/*/terms/*.js")
    status.locator("button", has_text="重试").click()
    assert POINTS_CASES <= set(finder_case_ids(page))


def test_more_shows_only_when_there_are_more_results_and_works(page, site_url):
    page.goto(site_url + "finder/")  # no query, no filter: every case, ten at a time
    expect(page.locator(".cb-finder__status")).to_have_text(re.compile(r"^共 \d+ 个案例$"))
    every = int(re.search(r"\d+", page.locator(".cb-finder__status").text_content()).group())
    more = page.locator("[data-finder-more]")
    expect(page.locator(".cb-finder__result")).to_have_count(min(every, 10))
    expect(more).to_be_visible() if every > 10 else expect(more).to_be_hidden()
    page.goto(site_url + "finder/?metrics=有数据")  # a filter alone lists every case it keeps
    status = page.locator(".cb-finder__status")
    expect(status).to_have_text(re.compile(r"^找到 \d+ 个案例$"))
    total = int(re.search(r"\d+", status.text_content()).group())
    results = page.locator(".cb-finder__result")
    assert total > 10
    expect(results).to_have_count(10)
    expect(more).to_be_visible()
    more.click()
    expect(results).to_have_count(min(total, 20))
    if total <= 20:
        expect(more).to_be_hidden()
    page.goto(site_url + "finder/?q=格姐")
    expect(page.locator(".cb-finder__result").first).to_be_visible()
    expect(more).to_be_hidden()


def test_finder_on_a_phone_puts_results_first_and_filters_behind_a_button(browser, site_url, screenshots):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(site_url + "finder/?q=网格")
    first = page.locator(".cb-finder__result").first
    expect(first).to_be_visible(timeout=10_000)
    assert first.bounding_box()["y"] + 40 < 844  # the first result starts on the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "finder-phone.png"))
    expect(page.locator("[data-finder-filters]")).to_be_hidden()
    toggle = page.locator("[data-finder-toggle]")
    expect(toggle).to_have_text("筛选（0）")
    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    box = page.locator(".cb-finder__filter input[name=province][value=福建省]")
    box.tap()
    expect(page.locator(".cb-finder__status")).to_have_text("找到 1 个案例")
    expect(box).to_be_checked()
    expect(box).to_be_focused()  # the filters were drawn anew; focus stays on the box ticked
    expect(toggle).to_have_text("筛选（1）")
    chip = page.locator(".cb-finder__chip")
    expect(chip).to_have_text("福建省 ×")
    screenshot_for_review(page, screenshots / "finder-phone-filters.png")
    done = page.locator("[data-finder-done]")
    for target in (toggle, chip, done, page.locator(".cb-finder__option").first, page.locator(".cb-finder__input"),
                   page.locator(".cb-finder__result .md-button").first):
        assert target.bounding_box()["height"] >= 44, target
    expect(done).to_have_text("查看 1 个结果")
    done.tap()
    expect(page.locator("[data-finder-filters]")).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.locator(".cb-finder__result").first.bounding_box()["y"] < 844
    chip.tap()
    expect(page.locator(".cb-finder__chip")).to_have_count(0)
    expect(toggle).to_have_text("筛选（0）")
    expect(page.locator(".cb-finder__input")).to_be_focused()
    assert "province" not in parse_qs(urlsplit(page.url).query)
    context.close()


def test_finder_on_desktop(browser, site_url, screenshots):
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    page.goto(site_url + "finder/?q=积分制")
    expect(page.locator(".cb-finder__result").first).to_be_visible(timeout=10_000)
    expect(page.locator("[data-finder-filters]")).to_be_visible()
    expect(page.locator("[data-finder-toggle]")).to_be_hidden()
    page.screenshot(path=str(screenshots / "finder-desktop.png"))
    context.close()


@pytest.mark.parametrize("path, query", [("finder/?q=积分制", None), (CASE_PAGE, "积分制")])
def test_no_serious_accessibility_violation(sized_page, site_url, path, query):
    page = sized_page
    page.goto(site_url + path)
    if query:
        type_into_box(page, query)
        box_case_ids(page)
    else:
        finder_case_ids(page)
    serious = serious_violations(page, within=OURS)
    assert serious == [], "\n".join(serious)


# The search box, its drop-down and the finder; the rest of each page is the page tests' part.
OURS = r"cb-search|cb-finder|md-header"


LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 300);
})"""


@pytest.mark.parametrize("path", ["finder/?q=积分制", "finder/?q=网格&province=福建省", "finder/"])
def test_finder_does_not_shift_as_it_loads(browser, site_url, path):
    """On a phone, where the count, the order and the filter button share two lines: space for
    them, the results and the chips is kept while the scripts and the index load, so the
    cumulative layout shift stays under 0.1, the "good" threshold of Web Vitals. The processor
    is slowed down so that the page is painted before the scripts run, as on a slow phone (or a
    busy test machine, where this once failed)."""
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    page.goto(site_url + path)
    expect(page.locator(".cb-finder__status")).not_to_have_text("正在载入检索索引…")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(LAYOUT_SHIFT) < 0.1
    context.close()
