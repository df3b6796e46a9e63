"""What trainers and cadres take away, in Chromium (issue 34): the course pack as a lesson plan
and its printed pages, compare for reading on a phone and on paper, the evidence behind a figure
to copy, problem and tag pages to act from, the search boxes' answer when no case answers, and
indexes that mean one thing.

The cases are taken from the built catalog (downloads/cases.json), never named, except where a
test needs what only one kind of case has, which it then looks for in the catalog.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from browsing import PHONE, screenshot_for_review, serious_violations
from casebook.routes import route
from helpers import SITE_URL, built_folder, page_address

A4_PAGE = re.compile(rb"/Type\s*/Page[^s]")
COVER = {"title": "网格化治理专题培训", "unit": "某县委党校", "date": "2026年12月8日"}


@pytest.fixture(scope="module")
def catalog(built_site) -> list[dict]:
    cases = json.loads((built_site / "downloads" / "cases.json").read_text(encoding="utf-8"))
    assert len(cases) >= 4, "these tests need a library of at least four cases"
    return cases


def lesson_texts(case: dict) -> list[str]:
    return [lesson if isinstance(lesson, str) else lesson["text"] for lesson in case["lessons"]]


def pack_address(ids, view: str = "") -> str:
    query = "ids=" + ",".join(ids) + "".join(f"&{name}={quote(value)}" for name, value in COVER.items())
    return "packs/custom/?" + query + (f"&view={view}" if view else "")


def printed_pages(page) -> tuple[int, str]:
    """The page printed to A4 as Chromium prints it (the page's own @page sizes win): how many
    sheets, and the text a reader sees on them."""
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="print")
    text = page.locator("body").inner_text()
    page.emulate_media(media="screen")
    return len(A4_PAGE.findall(pdf)), text


# --- 1. the course pack ------------------------------------------------------------------------

def test_pack_cover_carries_course_unit_and_date_kept_in_the_address(page, site_url, catalog):
    ids = [case["id"] for case in catalog[:2]]
    page.goto(site_url + page_address(route("custom_pack")) + "?ids=" + ",".join(ids))
    expect(page.locator("section.cb-pack-case")).to_have_count(2)
    page.locator("[data-pack-title-input]").fill(COVER["title"])
    page.locator("[data-pack-unit-input]").fill(COVER["unit"])
    page.locator("[data-pack-date-input]").fill(COVER["date"])
    page.reload()
    expect(page.locator("h1")).to_have_text(COVER["title"])
    expect(page.locator("[data-pack-meta]")).to_have_text(f"举办单位：{COVER['unit']}日期：{COVER['date']}")
    assert "unit=" + quote(COVER["unit"]) in page.url and "date=" + quote(COVER["date"]) in page.url
    # And in the browser: the header's 讲义 leads back to it, cover and all.
    page.goto(site_url + page_address(route("page", "about")))
    page.locator("[data-pack-link]").click()
    expect(page.locator("[data-pack-meta]")).to_contain_text(COVER["unit"])


def test_pack_shows_each_case_as_a_digest_of_the_build_or_in_full(page, site_url, catalog):
    case = next(case for case in catalog if case["metrics"] and case["outcomes"])
    page.goto(site_url + pack_address([case["id"], catalog[0]["id"] if catalog[0] is not case else catalog[1]["id"]]))
    section = page.locator("section.cb-pack-case").first
    facts = section.locator(".cb-digest__facts")
    for name in ("地区", "层级", "时间", "做法", "机制", "成效", "主要数据"):
        expect(facts.locator(f"[data-digest-field='{name}'] dt")).to_have_text(name)
    expect(facts.locator("[data-digest-field='层级'] dd")).to_have_text(case["level"])
    # Figures as their quotes write them (amount_text, from the build), never rebuilt here.
    first_figure = next(m for m in case["metrics"] if m["kind"] in ("成效", "做法"))
    expect(facts.locator("[data-digest-field='主要数据'] .cb-amount").first).to_have_text(
        next(m for m in case["metrics"] if m["kind"] == "成效")["amount_text"]
        if any(m["kind"] == "成效" for m in case["metrics"]) else first_figure["amount_text"])
    outcomes = section.locator(".cb-digest__outcomes > li")
    expect(outcomes).to_have_count(len(case["outcomes"]))
    for index, outcome in enumerate(case["outcomes"]):
        if isinstance(outcome, dict) and outcome.get("status"):
            expect(outcomes.nth(index).locator(".cb-status")).to_have_text(outcome["status"])
    expect(section.locator(".cb-digest")).to_be_visible()
    expect(section.locator(".cb-metrics-table")).to_have_count(0)  # the full case is not there
    page.get_by_label("全文").check()
    expect(section.locator(".cb-metrics-table")).to_have_count(1)
    assert "view=full" in page.url
    assert page.evaluate("document.querySelectorAll('[id]').length") == \
        page.evaluate("new Set([...document.querySelectorAll('[id]')].map((n) => n.id)).size")
    assert page.console_errors == []


def test_pack_offers_the_editors_prompts_as_questions_the_trainer_can_change(page, site_url, catalog):
    case = next(case for case in catalog if case["lessons_origin"] == "编者归纳")
    page.goto(site_url + pack_address([case["id"]]))
    field = page.locator(".cb-custom-pack__contents textarea")
    expect(field).to_have_value("\n".join(lesson_texts(case)))
    box = page.locator(".cb-custom-pack__questions")
    expect(box.locator("li")).to_have_text(lesson_texts(case))
    expect(box).to_contain_text("编者根据报道拟的讨论题")
    field.fill("本地哪个社区可以先试？")
    expect(box.locator("li")).to_have_text(["本地哪个社区可以先试？"])
    expect(box.locator(".cb-custom-pack__questions-origin")).to_be_hidden()
    page.reload()
    expect(page.locator(".cb-custom-pack__questions li")).to_have_text(["本地哪个社区可以先试？"])
    page.locator(".cb-custom-pack__contents textarea").fill("")  # no questions at all, on purpose
    page.reload()
    expect(page.locator(".cb-custom-pack__questions")).to_be_hidden()


def test_pack_compares_its_cases_on_a_page_of_their_own(page, site_url, catalog):
    chosen = catalog[:3]
    page.goto(site_url + pack_address([case["id"] for case in chosen]))
    comparison = page.locator("[data-pack-compare]")
    expect(comparison).to_be_visible()
    expect(comparison.locator("thead th")).to_have_count(3)
    for index, case in enumerate(chosen):
        expect(comparison.locator("thead th").nth(index)).to_contain_text(case["title"])
    level = comparison.locator("tbody tr", has=page.locator("th", has_text="层级"))
    expect(level.locator("td")).to_have_text([case["level"] for case in chosen])
    page.emulate_media(media="print")
    assert comparison.evaluate("node => getComputedStyle(node).breakBefore") == "page"


@pytest.mark.parametrize("view, most", [("", 1 + 1 + 3 * 2), ("full", None)])
def test_pack_of_three_prints_a_cover_a_comparison_and_short_digests(page, site_url, catalog, screenshots, view, most):
    """Measured on the fixture library: 3 cases print as 5 A4 pages as digests (cover, the
    comparison, a page per case) and 12 in full; a digest may take at most two pages."""
    ids = [case["id"] for case in catalog[:3]]
    page.goto(site_url + pack_address(ids, view))
    expect(page.locator("section.cb-pack-case")).to_have_count(3)
    digest_pages, text = printed_pages(page)
    print(f"\ncustom pack of 3 cases, {view or 'digest'}: {digest_pages} A4 pages")
    if most:
        assert digest_pages <= most
    assert COVER["title"] in text and COVER["unit"] in text and COVER["date"] in text
    for screen_only in ("点“打印”", "打印", "清空讲义", "上移", "移除", "在案例页、问题页", "正在载入", "每个案例印"):
        assert screen_only not in text, screen_only
    assert "案例对比" in text
    screenshot_for_review(page, screenshots / f"pack-custom-{view or 'digest'}.png")


def test_a_tags_pack_prints_no_screen_text(page, site_url, built_site):
    pack = sorted((built_site / built_folder("pack")).glob("*-1/index.html"))[0].parent.name
    page.goto(site_url + page_address(route("pack", *pack.rsplit("-", 1))))
    _, text = printed_pages(page)
    for screen_only in ("点“打印”", "返回标签页", "打印"):
        assert screen_only not in text, screen_only


def test_header_shows_the_pack_on_every_page_while_it_is_not_empty(page, site_url, catalog):
    link = page.locator("[data-pack-link]")
    page.goto(site_url)
    expect(link).to_be_hidden()
    page.goto(site_url + page_address(route("case", catalog[0]["id"])))
    page.locator("button.cb-pack-add").click()
    expect(link).to_have_text("讲义 (1)")
    for path in ("", "finder/", "compare/", "tags/", f"cases/{catalog[1]['id']}/"):
        page.goto(site_url + path)
        expect(link).to_have_text("讲义 (1)")
        expect(link).to_be_visible()
    page.locator("button.cb-pack-add").click()
    expect(link).to_have_text("讲义 (2)")
    link.click()
    expect(page.locator("section.cb-pack-case")).to_have_count(2)
    page.locator("[data-pack-clear]").click()
    expect(link).to_be_hidden()


# --- 2. compare ---------------------------------------------------------------------------------

def open_compare(page, site_url, ids):
    page.goto(site_url + page_address(route("compare")) + "?ids=" + ",".join(ids))
    expect(page.locator("[data-compare-table] thead th a")).to_have_count(len(ids))


def test_compare_chips_jump_to_a_field_on_a_phone(phone, site_url, catalog):
    open_compare(phone, site_url, [case["id"] for case in catalog[:4]])
    chips = phone.locator(".cb-compare__chips a")
    rows = phone.locator("[data-compare-table] tbody tr")
    expect(chips).to_have_count(rows.count())
    last = chips.last
    last.scroll_into_view_if_needed()
    label = last.inner_text()
    last.click()
    target = phone.locator("[data-compare-table] tbody tr").last.locator("th")
    expect(target).to_have_text(label)
    expect(target).to_be_in_viewport()
    # The chips stay at hand while the table scrolls under them.
    expect(phone.locator(".cb-compare__tools")).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_compare_lists_each_figure_in_the_words_of_the_build(page, site_url, catalog):
    """Compare's figure rows show each figure's line as the build words it (Metric.figure_text,
    which 复制证据 copies too), never joined from its parts in the browser."""
    chosen = [case for case in catalog if case.get("metrics")][:2]
    open_compare(page, site_url, [case["id"] for case in chosen])
    cells = page.locator("[data-compare-table] tbody li").all_inner_texts()
    for case in chosen:
        assert all(metric["figure_text"] in cells for metric in case["metrics"]), case["id"]


def test_compare_only_results_keeps_the_outcomes(page, site_url, catalog):
    open_compare(page, site_url, [case["id"] for case in catalog[:3]])
    rows = page.locator("[data-compare-table] tbody tr")
    every = rows.count()
    page.get_by_role("button", name="只看成效").click()
    shown = page.locator("[data-compare-table] tbody tr:visible th").all_inner_texts()
    assert 0 < len(shown) < every
    assert "成效" in shown and all("成效" in label for label in shown)
    page.get_by_role("button", name="显示全部对比项").click()
    expect(page.locator("[data-compare-table] tbody tr:visible")).to_have_count(every)


def test_compare_badges_the_editors_lessons(page, site_url, catalog):
    editors = next(case for case in catalog if case["lessons_origin"] == "编者归纳")
    others = [case for case in catalog if case is not editors][:1]
    open_compare(page, site_url, [editors["id"], others[0]["id"]])
    lessons = page.locator("[data-compare-table] tbody tr", has=page.locator("th", has_text="经验启示"))
    expect(lessons.locator("td").first.locator(".cb-status--editor")).to_have_text("编者观点")
    if others[0]["lessons_origin"] == "原文":
        expect(lessons.locator("td").nth(1).locator(".cb-status--source")).to_have_text("原文总结")


def test_compare_of_four_prints_landscape_without_controls(page, site_url, catalog, screenshots):
    open_compare(page, site_url, [case["id"] for case in catalog[:4]])
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    sheets = len(A4_PAGE.findall(pdf))
    print(f"\ncompare of 4 cases: {sheets} landscape A4 pages")
    assert b"/MediaBox [0 0 841" in pdf  # landscape: 297 mm wide
    assert sheets <= 8
    page.emulate_media(media="print")
    for control in ("button", ".cb-compare__chips", "[data-compare-status]", ".cb-compare__cases"):
        assert page.locator(control).evaluate_all("nodes => nodes.filter(n => n.offsetParent !== null).length") == 0, control
    assert "点“移除”" not in page.locator("body").inner_text()
    # Readable: every case's column at least 14 characters of 8.5 pt text wide.
    widths = page.locator("[data-compare-table] thead th").evaluate_all("nodes => nodes.map(n => n.offsetWidth)")
    assert min(widths) >= 14 * 11
    screenshot_for_review(page, screenshots / "compare-4-print.png")


# --- 3. evidence to cite ------------------------------------------------------------------------

def clipboard_page(browser, site_url, options=PHONE):
    context = browser.new_context(locale="zh-CN", **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    return context, context.new_page()


def test_copy_evidence_copies_figure_sentence_report_and_case(browser, site_url, catalog):
    case = next(case for case in catalog if any(source.get("archive") for source in case["sources"]) and case["metrics"])
    metric = case["metrics"][0]
    context, page = clipboard_page(browser, site_url)
    page.goto(site_url + page_address(route("case", case["id"])))
    row = page.locator(".cb-metric-row").filter(has_text=metric["label"]).first
    if not row.is_visible():
        page.locator("details.cb-metric-group > summary").click()
    button = row.locator("button.cb-copy-evidence")
    expect(button).to_have_text("复制证据")
    button.click()
    expect(button).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    lines = copied.split("\n")
    assert lines[0] == metric["figure_text"]  # the build's words (Metric.figure_text), as compare shows them
    assert lines[1].startswith("原文：“") and metric["quote"] in lines[1]
    reports = [line for line in lines if line.startswith("出处：")]
    assert reports and any(source["title"] in line for line in reports for source in case["sources"])
    assert f"{SITE_URL}cases/{case['id']}/" in lines[-1]
    context.close()


def test_citation_block_copies_the_original_reports_and_the_case(browser, site_url, catalog):
    case = catalog[0]
    context, page = clipboard_page(browser, site_url)
    page.goto(site_url + page_address(route("case", case["id"])))
    block = page.locator(".cb-cite")
    block.get_by_role("button", name="复制原报道引文").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    for source in case["sources"]:
        assert source["title"] in copied and source["publisher"] in copied
    expect(block.locator("[data-copy-status]")).to_contain_text("原报道")
    block.get_by_role("button", name="复制引用").click()
    assert page.evaluate("navigator.clipboard.readText()") == block.locator("[data-citation]").inner_text().strip()
    context.close()


# --- 4. problem and tag pages; the answer when no case answers -----------------------------------

@pytest.mark.parametrize("kind", ["problem", "tag"])
def test_problem_and_tag_pages_add_cases_to_compare_and_pack(page, site_url, built_site, kind):
    path = next(p for p in sorted((built_site / built_folder(kind)).glob("*/index.html"))
                if p.read_text(encoding="utf-8").count("data-case-id=") >= 4)
    page.goto(site_url + page_address(route(kind, path.parent.name)))
    cards = page.locator(".cb-card", has=page.locator("button.cb-compare-add"))
    assert cards.count() >= 2
    ids = [cards.nth(i).locator("button.cb-compare-add").get_attribute("data-case-id") for i in range(2)]
    for index in range(2):
        cards.nth(index).get_by_role("button", name=re.compile("^加入对比")).click()
    cards.nth(0).get_by_role("button", name=re.compile("^加入讲义")).click()
    assert page.evaluate("JSON.parse(localStorage.getItem('casebook-compare')).ids") == ids
    assert page.evaluate("JSON.parse(localStorage.getItem('casebook-pack')).ids") == ids[:1]
    expect(page.locator("[data-pack-link]")).to_have_text("讲义 (1)")
    if kind == "problem":  # each practice's level, setting and outcome statuses at a glance
        meta = cards.first.locator(".cb-card__meta")
        expect(meta).to_contain_text(re.compile("城市|农村|城乡结合"))
        statuses = cards.first.locator(".cb-practice__statuses .cb-status")
        expect(statuses.first).to_have_text(re.compile(r"^(结果|进展|目标|个例|未附原文) \d+$"))


NO_CASE_QUERY = "老旧小区没有物业"


def test_header_box_says_plainly_when_no_case_answers_and_suggests_the_problem(sized_page, site_url, screenshots):
    page = sized_page
    page.goto(site_url + page_address(route("page", "about")))
    field = page.locator("form.cb-search--header input[name=q]")
    field.click()
    page.keyboard.insert_text(NO_CASE_QUERY)
    status = page.locator("form.cb-search--header .cb-search__status")
    expect(status).to_contain_text(f"案例库里还没有“{NO_CASE_QUERY}”的案例")
    expect(status.get_by_role("link", name="按问题找做法")).to_have_attribute("href", re.compile(r"problems/$"))
    expect(status.get_by_role("link", name="投稿")).to_have_attribute("href", re.compile(r"submit/$"))
    problems = page.locator("form.cb-search--header .cb-search__group[aria-label=按问题找做法] [role=option]")
    expect(problems.first).to_contain_text("小区缺管理缺服务")
    screenshot_for_review(page, screenshots / f"header-no-case-{page.viewport_size['width']}.png")


def test_a_query_some_case_answers_gets_no_such_notice(page, site_url, catalog):
    page.goto(site_url + page_address(route("finder")) + "?q=" + quote(catalog[0]["practice"]["name"]))
    expect(page.locator(".cb-finder__result").first).to_be_visible()
    expect(page.locator("[data-finder-no-case]")).to_be_hidden()


def test_finder_says_plainly_when_no_case_answers(page, site_url):
    page.goto(site_url + page_address(route("finder")) + "?q=" + quote(NO_CASE_QUERY))
    notice = page.locator("[data-finder-no-case]")
    expect(notice).to_contain_text(f"案例库里还没有“{NO_CASE_QUERY}”的案例")
    expect(notice.get_by_role("link", name="投稿")).to_be_visible()
    expect(notice.get_by_role("link", name="小区缺管理缺服务")).to_be_visible()
    # Above whatever shares some of its words, which is said to be partly relevant.
    expect(page.locator("[data-finder-status]")).to_contain_text("部分相关")


# --- 5. indexes ---------------------------------------------------------------------------------

def test_practices_list_mechanisms_and_actors_have_their_own_index(page, site_url):
    page.goto(site_url + page_address(route("practices")))
    practices = set(page.locator(".md-content h2 a").all_inner_texts())
    page.locator(".md-content .cb-lead a").click()  # 主体索引, from the practices page
    expect(page.locator("h1")).to_have_text("主体索引")
    actors = set(page.locator(".md-content h2 a").all_inner_texts())
    assert practices and actors and not practices & actors
    page.goto(site_url)
    home_practices = {re.sub("（.*", "", text) for text in page.locator("nav[aria-label=按做法找] a").all_inner_texts()}
    home_actors = {re.sub("（.*", "", text) for text in page.locator("nav[aria-label=按主体找] a").all_inner_texts()}
    assert home_practices == practices and home_actors == actors


# --- every changed page: axe-core at both sizes ---------------------------------------------------

def changed_pages(catalog, built_site) -> dict[str, str]:
    problem = next(p.parent.name for p in sorted((built_site / "problems").glob("*/index.html"))
                   if "data-case-id=" in p.read_text(encoding="utf-8"))
    return {
        "pack-digest": pack_address([case["id"] for case in catalog[:3]]),
        "compare-4": "compare/?ids=" + ",".join(case["id"] for case in catalog[:4]),
        "case": f"cases/{catalog[0]['id']}/",
        "problem": f"problems/{problem}/",
        "tag": "tags/" + next(p.parent.name for p in sorted((built_site / "tags").glob("*/index.html"))
                              if "cb-glance" in p.read_text(encoding="utf-8")) + "/",
        "practices": "practices/",
        "actors": "actors/",
        "home": "",
        "finder-no-case": "finder/?q=" + quote(NO_CASE_QUERY),
    }


@pytest.mark.parametrize("name", ["pack-digest", "compare-4", "case", "problem", "tag", "practices", "actors", "home",
                                  "finder-no-case"])
def test_changed_page_has_no_serious_accessibility_violation(sized_page, site_url, built_site, catalog, screenshots, name):
    page = sized_page
    page.goto(site_url + page_address(route("page", "about")))
    page.evaluate("ids => localStorage.setItem('casebook-pack', JSON.stringify({ids}))", [catalog[0]["id"]])
    page.goto(site_url + changed_pages(catalog, built_site)[name])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)
    serious = serious_violations(page)
    assert serious == [], "\n".join(serious)
    width = page.viewport_size["width"]
    screenshot_for_review(page, screenshots / f"takeaways-{name}-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
