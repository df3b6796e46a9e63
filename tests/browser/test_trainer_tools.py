"""What a trainer and a cadre do with chosen cases, in Chromium: compare them on a phone, build a
course pack and print it, copy a case's citation, and land on a missing page.

The cases are taken from the built catalog (downloads/cases.json), never named: the tests hold
for any library of at least four cases.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import expect

from browsing import PHONE, cases_showing_every_kind, screenshot_for_review, serious_violations
from casebook.routes import route
from helpers import SITE_URL, page_address

# A text block narrower than this holding more than NARROW_TEXT characters reads as a column of
# single characters on a phone.
NARROW_WIDTH = 150
NARROW_TEXT = 20
NARROW_BLOCKS = """() => [...document.querySelectorAll('.md-content *')].flatMap((node) => {
  const own = [...node.childNodes].filter((child) => child.nodeType === Node.TEXT_NODE)
    .map((child) => child.textContent.trim()).join('');
  const box = node.getBoundingClientRect();
  return own.length > %d && box.width > 0 && box.height > 0 && box.width < %d
    ? [`${node.tagName} ${Math.round(box.width)} px: ${own.slice(0, 30)}`] : [];
})""" % (NARROW_TEXT, NARROW_WIDTH)


@pytest.fixture(scope="module")
def catalog(built_site) -> list[dict]:
    """The built cases, as the site's download lists them."""
    cases = json.loads((built_site / "downloads" / "cases.json").read_text(encoding="utf-8"))
    assert len(cases) >= 4, "these tests need a library of at least four cases"
    return cases


def open_compare(page, site_url, ids):
    page.goto(site_url + "compare/?ids=" + ",".join(ids))
    expect(page.locator("[data-compare-table] thead th a")).to_have_count(len(ids))


def pack_address(ids, title, questions=None):
    query = "ids=" + ",".join(ids) + "&title=" + quote(title)
    for case_id, text in (questions or {}).items():
        query += f"&q-{case_id}=" + quote(text)
    return "packs/custom/?" + query


# --- compare ---------------------------------------------------------------------------------

@pytest.mark.parametrize("count", [2, 3, 4])
def test_compare_reads_on_a_phone(phone, site_url, screenshots, catalog, count):
    ids = [case["id"] for case in catalog[:count]]
    open_compare(phone, site_url, ids)
    screenshot_for_review(phone, screenshots / f"compare-{count}-cases-390.png")
    assert phone.evaluate(NARROW_BLOCKS) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    if count == 4:
        assert phone.evaluate("document.documentElement.scrollHeight") < 15_000
    # Each value is a card naming its case, under the field's label.
    first_row = phone.locator("[data-compare-table] tbody tr").first
    expect(first_row.locator("td .cb-compare__who")).to_have_count(count)
    expect(first_row.locator("td .cb-compare__who").first).to_be_visible()


def test_compare_lists_sources_by_title_not_by_archive_id(page, site_url, catalog):
    ids = [case["id"] for case in catalog[:2]]
    open_compare(page, site_url, ids)
    sources = page.locator("[data-compare-table] tbody tr", has_text="出处")
    for case in catalog[:2]:
        for source in case["sources"]:
            expect(sources).to_contain_text(source["title"])
            if "archive" in source:
                expect(sources).not_to_contain_text(source["archive"])


def test_a_compared_case_can_be_taken_out(page, site_url, catalog):
    ids = [case["id"] for case in catalog[:3]]
    open_compare(page, site_url, ids)
    page.locator(".cb-compare__remove").nth(1).click()
    expect(page.locator("[data-compare-table] thead th a")).to_have_count(2)
    assert page.url.endswith("?ids=" + ",".join([ids[0], ids[2]]))
    assert page.evaluate("JSON.parse(localStorage.getItem('casebook-compare')).ids") == [ids[0], ids[2]]
    page.locator(".cb-compare__remove").first.click()
    expect(page.locator("[data-compare-table]")).to_be_hidden()
    expect(page.locator("[data-compare-status]")).to_contain_text("至少")


def test_a_full_compare_basket_says_so_instead_of_dropping_a_case(page, site_url, catalog):
    full = [case["id"] for case in catalog[1:4]] + ["another-case"]
    page.goto(site_url)
    page.evaluate("ids => localStorage.setItem('casebook-compare', JSON.stringify({ids}))", full)
    page.goto(site_url + page_address(route("case", catalog[0]["id"])))
    button = page.locator("button.cb-compare-add")
    expect(button).to_contain_text("已满")
    button.click()  # opens the comparison, where a case can be taken out
    expect(page).to_have_url(site_url + "compare/")
    assert page.evaluate("JSON.parse(localStorage.getItem('casebook-compare')).ids") == full


@pytest.mark.parametrize("path, what", [("compare/?ids=", "[data-compare-clear]"),
                                        ("packs/custom/?ids=", "[data-pack-clear]")])
def test_a_case_missing_from_the_library_is_named_and_can_be_cleared(page, site_url, catalog, path, what):
    page.goto(site_url + path + catalog[0]["id"] + ",no-such-case")
    expect(page.locator("[role=status]").filter(has_text="no-such-case")).to_contain_text("找不到案例")
    expect(page.locator(what)).to_be_visible()


@pytest.mark.parametrize("path, shown", [("compare/?ids=", "[data-compare-table]"),
                                         ("packs/custom/?ids=", ".cb-custom-pack__case")])
def test_cases_that_did_not_load_can_be_loaded_again(page, site_url, catalog, path, shown):
    """A network failure is not a missing case: the page says what did not load and offers 重试."""
    second = catalog[1]["id"]

    def case_file(url):  # the second case's file, not the page whose address names it
        return second in urlsplit(url).path
    page.route(case_file, lambda route: route.abort())
    page.goto(site_url + path + catalog[0]["id"] + "," + second)
    status = page.locator("[role=status]").filter(has_text=second)
    expect(status).to_contain_text("没有载入")
    page.unroute(case_file)
    status.locator("button", has_text="重试").click()
    expect(page.locator(shown).first).to_be_visible()


def test_full_or_garbled_storage_leaves_the_baskets_empty_not_broken(fresh_page, site_url, catalog):
    page = fresh_page
    page.add_init_script("""localStorage.setItem("casebook-compare", "{not json");
        Storage.prototype.setItem = () => { throw new DOMException("storage is full", "QuotaExceededError"); };""")
    page.goto(site_url + page_address(route("case", catalog[0]["id"])))
    button = page.locator("button.cb-compare-add")
    expect(button).to_have_text("加入对比")
    button.click()
    expect(button).to_contain_text("不允许保存")
    page.goto(site_url + "compare/")
    expect(page.locator("[data-compare-status]")).to_contain_text("至少两个")
    assert page.console_errors == []


# --- the course pack ---------------------------------------------------------------------------

def test_course_pack_shows_the_chosen_cases_in_order_under_the_title(page, site_url, catalog):
    chosen = [catalog[2], catalog[0], catalog[1]]
    ids = [case["id"] for case in chosen]
    title = "社区治理专题培训<script>"
    page.goto(site_url + pack_address(ids, title, {ids[1]: "这一做法靠谁推动？\n本地能否借鉴？"}))
    expect(page.locator("h1")).to_have_text(title)  # the trainer's words as text, not markup
    sections = page.locator("section.cb-pack-case")
    expect(sections).to_have_count(3)
    for index, case in enumerate(chosen):
        expect(sections.nth(index).locator("h2").first).to_have_text(case["title"])
        expect(page.locator(".cb-custom-pack__contents > li").nth(index).locator("a")).to_have_text(case["title"])
    questions = sections.nth(1).locator(".cb-custom-pack__questions li")
    expect(questions).to_have_text(["这一做法靠谁推动？", "本地能否借鉴？"])
    expect(sections.nth(1).locator(".cb-custom-pack__questions-origin")).to_be_hidden()  # the trainer's own
    # Without the trainer's questions, the editors' prompts (可以讨论), marked as theirs, or none.
    first = sections.nth(0).locator(".cb-custom-pack__questions")
    if chosen[0]["lessons_origin"] == "编者归纳":
        expect(first.locator("li")).to_have_text([lesson if isinstance(lesson, str) else lesson["text"]
                                                  for lesson in chosen[0]["lessons"]])
        expect(first).to_contain_text("编者根据报道拟的讨论题")
    else:
        expect(first).to_be_hidden()
    assert page.evaluate("document.querySelectorAll('[id]').length") == \
        page.evaluate("new Set([...document.querySelectorAll('[id]')].map((n) => n.id)).size")  # ids stay unique
    assert page.console_errors == []


def test_course_pack_order_and_questions_live_in_the_address(page, site_url, catalog):
    ids = [case["id"] for case in catalog[:3]]
    page.goto(site_url + pack_address(ids, "专题"))
    expect(page.locator("section.cb-pack-case")).to_have_count(3)
    page.locator(".cb-custom-pack__contents > li").nth(2).get_by_role("button", name="上移").click()
    page.locator(".cb-custom-pack__contents > li").nth(0).locator("textarea").fill("讨论什么？")
    page.locator("[data-pack-title-input]").fill("新标题")
    page.reload()
    expect(page.locator("h1")).to_have_text("新标题")
    titles = page.locator("section.cb-pack-case").evaluate_all("nodes => nodes.map(n => n.querySelector('h2').textContent)")
    assert titles == [catalog[0]["title"], catalog[2]["title"], catalog[1]["title"]]
    expect(page.locator("section.cb-pack-case").first.locator(".cb-custom-pack__questions li")).to_have_text("讨论什么？")


def test_cases_join_the_course_pack_from_their_pages(page, site_url, catalog):
    ids = [case["id"] for case in catalog[:2]]
    for case_id in ids:
        page.goto(site_url + page_address(route("case", case_id)))
        page.locator("button.cb-pack-add").click()
        expect(page.locator("button.cb-pack-add")).to_contain_text("已加入讲义")
    page.locator("button.cb-pack-add").click()  # once in the pack, the button opens it
    expect(page.locator("section.cb-pack-case")).to_have_count(2)
    assert "ids=" + ",".join(ids) in page.url


def test_course_pack_prints_a_cover_then_a_case_per_page(page, site_url, catalog, screenshots):
    ids = [case["id"] for case in catalog[:2]]
    page.goto(site_url + pack_address(ids, "专题培训"))
    expect(page.locator("section.cb-pack-case")).to_have_count(2)
    page.emulate_media(media="print")
    sections = page.locator("section.cb-pack-case")
    assert sections.evaluate_all("nodes => nodes.map(n => getComputedStyle(n).breakBefore)") == ["page", "page"]
    expect(page.locator(".cb-custom-pack__contents > li")).to_have_count(2)
    for hidden in ("button", "textarea", "input", ".md-header"):
        assert page.locator(hidden).evaluate_all("nodes => nodes.filter(n => n.offsetParent !== null).length") == 0, hidden
    # The test build knows its published address: the printed case addresses are that site's.
    addresses = page.locator("section.cb-pack-case .cb-page-address a").all_inner_texts()
    assert addresses == [SITE_URL + page_address(route("case", case_id)) for case_id in ids]
    screenshot_for_review(page, screenshots / "pack-custom-print.png")


def test_print_buttons_print(fresh_page, site_url, catalog):
    page = fresh_page
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; }")
    for path in (page_address(route("case", catalog[0]["id"])), pack_address([catalog[0]["id"]], "专题")):
        page.goto(site_url + path)
        page.get_by_role("button", name="打印").click()
        assert page.evaluate("window.printed") == 1
    # A tag's pack, reached as a trainer would: from a case's tag.
    page.goto(site_url + page_address(route("case", catalog[0]["id"])))
    page.locator(".cb-overview .md-tag").first.click()
    page.locator(".cb-packs a").first.click()
    expect(page.locator("section.cb-pack-case").first).to_be_attached()
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") == 1


def test_printed_case_has_no_buttons_and_no_download_line(page, site_url, catalog):
    page.goto(site_url + page_address(route("case", catalog[0]["id"])))
    page.emulate_media(media="print")
    expect(page.locator(".cb-actions")).to_be_hidden()
    assert "下载引文" not in page.locator("[data-case-page]").inner_text()
    expect(page.locator(".cb-compare-start")).to_be_hidden()


# --- citation ---------------------------------------------------------------------------------

def citation_of(page) -> str:
    return page.locator("[data-citation]").inner_text().strip()


def test_copy_citation_puts_the_gbt_7714_text_on_the_clipboard(browser, site_url, catalog):
    context = browser.new_context(locale="zh-CN", **PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    case = catalog[0]
    page.goto(site_url + page_address(route("case", case["id"])))
    button = page.locator("button[data-copy-citation]").first
    expect(button).to_have_text("复制引用")
    expect(button).to_be_in_viewport()  # next to the title, on the first phone screen
    button.click()
    expect(button).to_have_text("已复制")
    expect(page.locator("[data-copy-status]").first).to_contain_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == citation_of(page)
    assert case["title"] in copied and "[EB/OL]" in copied and page_address(route("case", case["id"])) in copied
    context.close()


def test_copy_citation_works_without_the_clipboard_api(fresh_page, site_url, catalog):
    """A site on an intranet over plain http is no secure context: no navigator.clipboard."""
    page = fresh_page
    page.add_init_script("""
        Object.defineProperty(navigator, "clipboard", {value: undefined});
        document.addEventListener("copy", (event) => { window.copied = document.getSelection().toString(); });
    """)
    page.goto(site_url + page_address(route("case", catalog[0]["id"])))
    page.get_by_role("button", name="复制引用").first.click()
    expect(page.locator("[data-copy-status]").first).to_contain_text("已复制")
    assert page.evaluate("window.copied") == citation_of(page)


# --- the missing page ------------------------------------------------------------------------

def test_missing_page_is_chinese_with_a_search_box(page, site_url):
    page.goto(site_url + "404.html")
    expect(page.locator("h1")).to_have_text("找不到这个页面")
    assert "Not found" not in page.locator("body").inner_text()
    box = page.locator(".md-content form[data-cb-search] input[type=search]")
    expect(box).to_be_visible()
    box.fill("网格")
    box.press("Enter")
    expect(page).to_have_url(site_url + "finder/?q=" + quote("网格"))
    page.go_back()
    page.locator(".md-content a", has_text="返回首页").click()
    expect(page.locator("h1")).to_have_text("基层治理案例库")


def test_header_box_widens_while_a_query_is_typed_on_a_phone(phone, site_url):
    phone.goto(site_url)
    field = phone.locator("form.cb-search--header input[name=q]")
    narrow = field.bounding_box()["width"]
    field.click()
    phone.keyboard.insert_text("怎样调动居民参与小区治理")
    assert field.bounding_box()["width"] > max(narrow, 0.7 * 390)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


# --- every changed page at both sizes: screenshot and axe-core --------------------------------

OPEN_EVERY_DETAILS = "document.querySelectorAll('details').forEach((node) => { node.open = true; })"


def changed_pages(catalog) -> dict[str, tuple[str, str | None]]:
    first = catalog[0]
    archived = next(source["archive"] for case in catalog for source in case["sources"] if "archive" in source)
    return {
        "source-quotes-open": (f"sources/{archived}/", OPEN_EVERY_DETAILS),
        "compare-4": ("compare/?ids=" + ",".join(case["id"] for case in catalog[:4]), None),
        "pack-custom": (pack_address([case["id"] for case in catalog[:2]], "专题培训",
                                     {catalog[0]["id"]: "讨论题"}), OPEN_EVERY_DETAILS),
        "finder-filters-open": ("finder/?q=" + quote(first["practice"]["name"]), "filters"),
        "contributing": ("contributing/", None),
        "404": ("404.html", None),
    }


PAGE_NAMES = ["source-quotes-open", "compare-4", "pack-custom", "finder-filters-open",
              "contributing", "404"]



def open_changed_page(page, site_url, catalog, name):
    path, action = changed_pages(catalog)[name]
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    if action == "filters":
        toggle = page.locator("[data-finder-toggle]")
        if toggle.is_visible():  # a phone: the filters open behind their button
            toggle.click()
            expect(page.locator("[data-finder-filters]")).to_be_visible()
    elif action:
        page.evaluate(action)
    page.wait_for_timeout(200)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_changed_page_has_no_serious_accessibility_violation(sized_page, site_url, screenshots, catalog, name):
    page = sized_page
    open_changed_page(page, site_url, catalog, name)
    width = page.viewport_size["width"]
    # Before the screenshot: a full-page screenshot scrolls a long page, and Material hides its
    # tabs while scrolled down (fading their links); axe-core checks the page as a reader opens it.
    serious = serious_violations(page)
    assert serious == [], "\n".join(serious)
    screenshot_for_review(page, screenshots / f"{name}-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_case_pages_with_their_quotes_open_have_no_serious_accessibility_violation(sized_page, site_url, built_site, screenshots):
    """Every kind of element a case page can show, each in the case that shows it (an editor's
    date in the grey overview was 4.47:1 on the one case that had one)."""
    page = sized_page
    width = page.viewport_size["width"]
    for case_id in cases_showing_every_kind(built_site):
        page.goto(site_url + page_address(route("case", case_id)))
        page.wait_for_load_state("networkidle")
        page.evaluate(OPEN_EVERY_DETAILS)
        serious = serious_violations(page)
        assert serious == [], f"{page_address(route('case', case_id))} at {width} px:\n" + "\n".join(serious)
        screenshot_for_review(page, screenshots / f"case-{case_id}-quotes-open-{width}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
