"""Every page type on a phone (390 x 844, touch) and on a desktop (1366 x 900), in Chromium.

The assertions check what can be measured: nothing scrolls sideways, no English chrome, and
axe-core finds no serious or critical accessibility violation, whether it comes from our
templates or from the theme (one visit per page and size does all three). `make screenshots`
also saves every page type at both sizes into build/screenshots/ (`<page>-<width>.png`) for a
person to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browsing import PHONE, screenshot_for_review, serious_violations
from casebook.routes import route
from helpers import page_address

COMPARED = ("jinjiang-grid-womens-groups", "ningguo-songhe-grid-baobao")
PAGES = {
    "home": "",
    "case": page_address(route("case", "ningguo-songhe-grid-baobao")),
    "tag": "tags/points-system/",
    "tags-index": "tags/",
    "region": "regions/",
    "province": "regions/fujian/",
    "practices": "practices/",
    "compare": "compare/?ids=" + ",".join(COMPARED),
    "pack": "packs/points-system-1/",
    "downloads": "downloads/",
    "about": "about/",
    "submit": "submit/",
    "finder": "finder/?kw=网格",  # h13's page: included in the sideways-scroll sweep
}
# Words of the theme's English chrome that a Chinese reader must not meet.
ENGLISH_CHROME = ("Made with", "Skip to content", "Back to top", "Edit this page", "Table of contents",
                  "Initializing search", "Type to start searching", "Previous", "Next", "Search")



def open_page(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("compare/"):
        expect(page.locator("[data-compare-table] thead th a")).to_have_count(2)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_reads_at_phone_and_desktop_size(sized_page, site_url, screenshots, name):
    page = sized_page
    open_page(page, site_url, PAGES[name])
    # Before the screenshot, which scrolls: axe-core checks the page as a reader opens it. The
    # finder's states are checked in test_search_box.
    if name != "finder":
        serious = serious_violations(page)
        assert serious == [], "\n".join(serious)
    width = page.viewport_size["width"]
    screenshot_for_review(page, screenshots / f"{name}-{width}.png")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} scrolls sideways at {width} px: {scroll_width} px wide"
    text = page.locator("body").inner_text()
    english = [word for word in ENGLISH_CHROME if word in text]
    assert english == [], f"English chrome on {name}: {english}"


def test_compared_case_names_are_both_visible_on_a_phone(browser, site_url):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    open_page(page, site_url, PAGES["compare"])
    names = page.locator("[data-compare-table] thead th a")
    for index in range(2):
        expect(names.nth(index)).to_be_in_viewport()
    # Scrolled down to the figures, the case names are still on screen.
    page.locator("[data-compare-table] tbody th", has_text="数据").first.scroll_into_view_if_needed()
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(200)
    for index in range(2):
        expect(names.nth(index)).to_be_in_viewport()
    context.close()


def test_the_site_name_reads_in_full_on_a_phone_with_the_course_pack_link_shown(browser, site_url):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(site_url)
    page.evaluate("ids => localStorage.setItem('casebook-pack', JSON.stringify({ids}))", list(COMPARED))
    open_page(page, site_url, PAGES["case"])
    expect(page.locator("[data-pack-link]")).to_be_visible()
    name = page.locator(".md-header__topic:first-child .md-ellipsis")
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth"), "the site's name is cut short"
    box = page.locator(".cb-search--header input")
    box.tap()
    page.keyboard.type("网格")
    assert box.evaluate("e => e.getBoundingClientRect().width") > 200  # typing, the box takes the room
    expect(page.locator("[data-pack-link]")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("name", ["compare", "case"])
def test_page_does_not_shift_as_it_loads(browser, site_url, name):
    """A page the scripts fill in (compare's table, a case page's buttons) keeps their place from
    the first paint: nothing the reader has started to read moves. The processor is slowed down
    as on a slow phone, so that the page is painted before the scripts run."""
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 6})
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
        }).observe({type: "layout-shift", buffered: true});
    """)
    open_page(page, site_url, PAGES[name])
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") < 0.01
    context.close()


def test_case_page_puts_results_first_and_folds_the_background(browser, site_url):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    open_page(page, site_url, PAGES["case"])
    groups = page.locator(".cb-metric-group__title")
    assert groups.all_inner_texts()[0].startswith("成效")
    background = page.locator("details.cb-metric-group--folded")
    expect(background).not_to_have_attribute("open", "")
    expect(background.locator(".cb-metric-row").first).to_be_hidden()
    # A quote opens behind its icon, in the source's traditional script with the simplified reading.
    row = page.locator(".cb-metric-row", has_text="当选居民小组干部的女性")
    row.locator("summary").click()
    expect(row.locator(".cb-context__text")).to_contain_text("選舉")
    expect(row.locator(".cb-context__simplified")).to_contain_text("选举")
    context.close()


# What a reader measures: the longest line of body text in characters (an em is one Chinese
# character), the title against the text, the smallest mark, and whether tables have rules.
READING = """() => {
  const shown = (el) => el.getClientRects().length > 0;
  const blocks = [...document.querySelectorAll("article p, article li")].filter((el) => shown(el) && !el.closest("table"));
  const chars = (el) => el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize);
  const marks = [...document.querySelectorAll(".cb-editor-mark, .cb-status, .cb-context__label, .cb-unarchived")];
  const h1 = getComputedStyle(document.querySelector("article h1"));
  const text = getComputedStyle(document.querySelector("article p"));
  const cells = [...document.querySelectorAll("article table td")].map(getComputedStyle);
  return {
    longest: Math.max(...blocks.map(chars)),
    marks: marks.length,
    smallest_mark: Math.min(...marks.map((el) => parseFloat(getComputedStyle(el).fontSize))),
    title: [h1.color, Number(h1.fontWeight)], text_colour: text.color,
    font: getComputedStyle(document.body).fontFamily,
    unruled_cells: cells.filter((cell) => cell.borderBottomStyle === "none" || parseFloat(cell.borderBottomWidth) === 0).length,
    cells: cells.length,
  };
}"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_case_page_reads_in_short_lines_with_a_dark_title_ruled_tables_and_legible_marks(page, site_url, media):
    """On a desktop, body text runs at most about 40 Chinese characters a line; the title is as
    dark as the text and not light; every table is ruled; the editor's and the outcomes' marks are
    at least 12 px; the text is set in a Chinese system font (nothing downloaded). On screen and
    on paper (line length is a screen rule: paper has its own width)."""
    open_page(page, site_url, PAGES["case"])
    page.emulate_media(media=media)
    reading = page.evaluate(READING)
    if media == "screen":
        assert reading["longest"] <= 43, reading
    assert reading["title"][0] == reading["text_colour"] or media == "print" and reading["title"][0] == "rgb(0, 0, 0)"
    assert reading["title"][1] >= 600, reading
    assert reading["marks"] > 0 and reading["smallest_mark"] >= 12, reading
    assert reading["cells"] > 0 and reading["unruled_cells"] == 0, reading
    assert reading["font"].startswith('"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC"'), reading


def test_case_page_buttons_stand_on_one_line_in_one_size(browser, site_url):
    """复制引用, 打印, 加入对比 and 加入讲义 under a case's title: one row, one top, one height."""
    for size in (PHONE, {"viewport": {"width": 1366, "height": 900}}):
        context = browser.new_context(**size, locale="zh-CN")
        page = context.new_page()
        page.goto(site_url + PAGES["case"])
        buttons = page.locator(".cb-actions .md-button:visible")
        expect(buttons).to_have_count(4)
        boxes = [buttons.nth(i).bounding_box() for i in range(4)]
        if size is PHONE:  # they may wrap on a phone: each line's buttons share their top
            boxes = [box for box in boxes if abs(box["y"] - boxes[0]["y"]) < 20]
        assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) < 1, boxes
        assert max(b["height"] for b in boxes) - min(b["height"] for b in boxes) < 1, boxes
        context.close()
