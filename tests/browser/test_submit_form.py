"""The 在线投稿 form in Chromium on a phone: no YAML, every input named by its schema path; a real
case typed into it passes, and what it sends (the file, or the GitHub link with a step and a copy
button for each field left out of it) reaches `casebook intake` whole; mistakes are listed at the
top as links to their inputs; rows are added, moved and removed; tags are found by their synonyms;
the id is made in pinyin; what was typed is kept as typed, across a reload."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from browsing import DESKTOP, PHONE
from casebook.claims import rules
from casebook.intake import IntakeFailed, intake
from casebook.load import load_case_file
from casebook.provenance import load_archive
from casebook.schema import node_at, resolved_schema
from casebook.submission import case_id_stem, form_fields
from helpers import EXAMPLE_CASE, LIBRARY, TODAY, copy_project

# A real case of the fixture library, sent again under an id of its own (its own id is taken).
CASE = {**load_case_file(EXAMPLE_CASE, EXAMPLE_CASE.parent).data, "id": "jinjiang-wangge-fulian"}
ARTICLE = load_archive(LIBRARY / "sources")[0].get(CASE["sources"][0]["archive"]).text
PROGRAM_WORDS = re.compile(r"\.ya?ml|casebook|data/|sources/|\[\d+\]|\b(?:lessons_origin|reposted|ongoing|quote|value|"
                           r"unit|qualifier|status|true|false|text)\b")


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def leaves(value, path=""):
    """(input name, value) for every value of a case, as the form names its inputs."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list) and path in ("tags", "problems", "editor_added"):
        for item in value:
            yield path, item
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves({"text": item} if isinstance(item, str) else item, f"{path}[{index}]")
    else:
        yield path, value


def rows(page, list_path: str) -> int:
    return page.locator(f'[data-cb-list="{list_path}"] [data-cb-rows] > li').count()


def fill_case(page, data: dict, article: str) -> None:
    """Type a case into the form as a person does: a row added for each item, each value into the
    input its path names, a radio or box ticked for each choice."""
    for list_path in page.eval_on_selector_all("[data-cb-list]", "lists => lists.map(l => l.dataset.cbList)"):
        wanted = data
        for part in list_path.split("."):
            wanted = wanted.get(part, {}) if isinstance(wanted, dict) else {}
        while rows(page, list_path) < len(wanted or []):
            page.locator(f'[data-cb-list="{list_path}"] [data-cb-row-add]').click()
    fill_values(page, leaves(data))
    page.locator('[name="source_text"]').fill(article)


def fill_values(page, values, cleared=()) -> None:
    """Each (input name, value) typed, chosen or ticked; each of ``cleared`` emptied or unticked."""
    kinds = dict(page.eval_on_selector_all("[data-cb-submit] [name]", "nodes => nodes.map(n => [n.name, n.type])"))
    for name, value in values:
        if name.endswith(".archive"):
            continue
        control = page.locator(f'[name="{name}"]')
        kind = kinds[name]
        if kind in ("radio", "checkbox") and not isinstance(value, bool):
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "checkbox":
            control.check()
        elif kind == "select-one":
            control.select_option(str(value))
        else:
            control.fill(str(value))
    for name, value in cleared:
        if kinds[name] in ("radio", "checkbox"):
            page.locator(f'[name="{name}"][value="{value}"]').uncheck()
        else:
            page.locator(f'[name="{name}"]').fill("")


@pytest.fixture(scope="module")
def typed_draft(browser, site_url) -> list[str]:
    """The real case typed in once, as the page keeps it (its draft in the browser's storage): the
    tests that need a whole case start from it and type only what they change."""
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(site_url + "submit/")
    fill_case(page, CASE, ARTICLE)
    draft = page.evaluate("() => Object.entries(localStorage).find(([key]) => key.startsWith('casebook-submit-draft'))")
    context.close()
    return draft


def type_case(page, site_url: str, typed_draft: list[str], data: dict = CASE) -> None:
    """The form holding ``data``: the typed real case restored (as after a reload), with what
    ``data`` changes typed over it."""
    page.goto(site_url + "submit/")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", typed_draft)
    page.reload()
    typed, wanted = list(leaves(CASE)), list(leaves(data))
    names = {name for name, _ in wanted}
    fill_values(page, [pair for pair in wanted if pair not in typed],
                [pair for pair in typed if pair not in wanted and pair[0] not in names])


def errors(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-cb-error]')]
        .filter(box => box.textContent).map(box => [box.id.replace(/^cb-|-error$/g, ''), box.textContent]))""")


def module(page, expression: str):
    return page.evaluate(f"""() => new Promise(resolve => casebook.define("probe", ["submit-form"],
        form => resolve((() => {{ {expression} }})())))""")


def test_no_yaml_box_and_every_input_is_named_by_its_schema_path(phone, site_url, vocabulary):
    phone.goto(site_url + "submit/")
    names = set(phone.eval_on_selector_all("[data-cb-submit] [name]", "nodes => nodes.map(n => n.name)"))
    schema = resolved_schema(vocabulary)
    assert phone.locator("textarea.cb-yaml").count() == 0
    for name in names - {"source_text", "editor_added"}:
        parts = tuple(int(index) if index else part for part, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", name))
        assert node_at(schema, parts), name
    assert {"region.province", "practice.measures[0].title", "outcomes[0].status", "sources[0].title", "tags"} <= names
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    words = phone.locator("[data-cb-submit] :is(.cb-field-help, legend, label)").all_inner_texts()
    assert not [text for text in words if PROGRAM_WORDS.search(text)]


def test_a_real_case_typed_in_reaches_intake_whole(phone, site_url, vocabulary, tmp_path, screenshots, typed_draft):
    type_case(phone, site_url, typed_draft)  # typed in by the fixture, kept by the page across a reload
    phone.get_by_role("button", name="检查").click()
    expect(phone.locator("[data-cb-submit-ready]")).to_be_visible()
    assert errors(phone) == {} and phone.console_errors == []
    built = module(phone, "return form.collect();")
    expected = {**CASE, "sources": [{**CASE["sources"][0], "archive": CASE["id"]}]}
    assert built == yaml.safe_load(yaml.safe_dump(expected, allow_unicode=True))
    phone.screenshot(path=str(screenshots / "submit-ready-390.png"))
    with phone.expect_download() as download:
        phone.get_by_role("button", name="下载投稿文件").click()
    saved = tmp_path / "submission.yaml"
    download.value.save_as(saved)
    # Said on the page: the file's name, to whom to send it (no address configured: the issues
    # page), what happens next.
    done = phone.locator("[data-cb-downloaded]")
    expect(done).to_be_visible()
    expect(done).to_be_focused()
    expect(done).to_contain_text(f"已下载：{download.value.suggested_filename}")
    assert download.value.suggested_filename == f"投稿-{CASE['id']}.yaml"
    assert done.locator("[data-cb-issues]").get_attribute("href").endswith("/issues")
    phone.screenshot(path=str(screenshots / "submit-downloaded-390.png"))
    project = copy_project(tmp_path / "repo", with_cases=False)
    for path in project.sources_dir.glob("*.md"):
        path.unlink()
    written = intake(saved.read_text(encoding="utf-8"), project, vocabulary, TODAY)
    assert load_case_file(written[0], project.cases_dir).data == built  # no field lost, none changed
    assert written[1].read_text(encoding="utf-8").rstrip().endswith(ARTICLE.strip().splitlines()[-1])
    # The GitHub link: every answer is in it or has its own step and copy button, before any tab opens.
    link = phone.locator("[data-cb-submit-github]").get_attribute("href")
    query = parse_qs(urlsplit(link).query)
    assert query["case_title"] == [CASE["title"]] and query["title"] == [f"[案例] {CASE['title']}"]  # filled in too
    in_link = set(query) - {"template", "title"}
    copied = set(phone.eval_on_selector_all("[data-cb-copy]", "buttons => buttons.map(b => b.dataset.cbCopy)"))
    answered = {key for key, value in module(phone, "return form.answersOf(form.collect());").items() if value.strip()}
    assert len(link) <= 8000 and not in_link & copied and in_link | copied == answered
    assert "source_text" in copied and phone.locator("[data-cb-steps] > li").count() == len(copied) + 2


def test_each_copy_button_copies_its_field_whole(phone, site_url, typed_draft):
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    type_case(phone, site_url, typed_draft)
    phone.get_by_role("button", name="检查").click()
    phone.locator('[data-cb-copy="source_text"]').click()
    expect(phone.locator('[data-cb-copy="source_text"] + .cb-copied')).to_contain_text("已复制")
    assert phone.evaluate("navigator.clipboard.readText()") == ARTICLE.strip()


def test_a_quote_changed_by_one_character_is_listed_and_linked_to_its_input(phone, site_url, screenshots, typed_draft):
    case = yaml.safe_load(yaml.safe_dump(CASE, allow_unicode=True))
    case["metrics"][1]["quote"] = case["metrics"][1]["quote"].replace("吸纳", "吸收")
    type_case(phone, site_url, typed_draft, case)
    phone.get_by_role("button", name="检查").click()
    summary = phone.locator("[data-cb-submit-summary]")
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert"
    assert list(errors(phone)) == ["metrics[1].quote"] and "找不到" in errors(phone)["metrics[1].quote"]
    expect(phone.locator("[data-cb-submit-ready]")).to_be_hidden()
    phone.screenshot(path=str(screenshots / "submit-error-390.png"))
    summary.get_by_role("link").click()
    expect(phone.locator('[name="metrics[1].quote"]')).to_be_focused()
    expect(phone.locator('[name="metrics[1].quote"]')).to_have_attribute("aria-invalid", "true")


def test_a_claim_the_validator_would_question_is_listed_in_the_form_s_words(phone, site_url, screenshots):
    """A case whose outcomes say more than their quotes (the claims lint, claim_rules.yaml): the
    page does not say 检查通过; each claim is a link in the summary, and its field says what to
    change in the form's words (form_hint), not the validator's (reviewed, status)."""
    path = LIBRARY / "cases" / "jinchuan-tongxin-365.yaml"
    case = {**load_case_file(path, path.parent).data, "id": "jinchuan-tongxin-365-2"}
    article = load_archive(LIBRARY / "sources")[0].get(case["sources"][0]["archive"]).text
    phone.goto(site_url + "submit/")
    fill_case(phone, case, article)
    phone.get_by_role("button", name="检查").click()
    links = phone.locator("[data-cb-submit-summary] a").all_inner_texts()
    assert [link.split("：")[0] for link in links] == ["成效 · 第 1 条", "成效 · 第 3 条"]
    assert "张恒山表示" in links[0] and "计划或目的" in links[1]
    shown = errors(phone)
    assert set(shown) == {"outcomes[0]", "outcomes[2]"} and phone.locator("[data-cb-submit-ready]").is_hidden()
    for field, rule in (("outcomes[0]", rules()["转述"]), ("outcomes[2]", rules()["计划"])):
        assert rule["form_hint"] in shown[field] and rule["hint"] not in shown[field]
        assert not PROGRAM_WORDS.search(rule["form_hint"])
    phone.screenshot(path=str(screenshots / "submit-claims-390.png"))


def test_missing_fields_and_future_dates_are_flagged_where_they_are(phone, site_url, typed_draft):
    case = yaml.safe_load(yaml.safe_dump(CASE, allow_unicode=True))
    del case["title"]
    case["sources"][0]["date"] = "2099-01"
    case["metrics"][0]["unit"] = "万个"
    type_case(phone, site_url, typed_draft, case)
    phone.get_by_role("button", name="检查").click()
    assert set(errors(phone)) == {"title", "sources[0].date", "metrics[0].unit"}
    assert "在未来" in errors(phone)["sources[0].date"] and "单位" in errors(phone)["metrics[0].unit"]
    # The future date is also later than the day the article is archived (a reminder, listed too).
    assert phone.locator("[data-cb-submit-summary] li").count() == 4
    # In the page's order: the title (near the top) first, the source's date (near the end) last.
    links = phone.locator("[data-cb-submit-summary] a").all_inner_texts()
    assert links[0].startswith("案例标题") and links[-1].startswith("出处")
    tops = [phone.locator(f'[id="{href[1:]}"]').bounding_box()["y"] for href in
            phone.eval_on_selector_all("[data-cb-submit-summary] a", "links => links.map(a => a.getAttribute('href'))")]
    assert tops == sorted(tops)


@pytest.mark.parametrize(("typed", "sent"), [("2022年12月", "2022-12"), ("2022.12", "2022-12"), ("2022/12/5", "2022-12-05"),
                                             ("2024年3月15日", "2024-03-15")])
def test_a_date_written_the_chinese_way_is_read_and_the_page_says_so(phone, site_url, typed, sent):
    phone.goto(site_url + "submit/")
    date = phone.locator('[name="sources[0].date"]')
    date.fill(typed)
    date.press("Tab")
    expect(date).to_have_value(sent)
    expect(phone.locator('[data-path="sources[0].date"] [data-cb-date-note]')).to_contain_text(f"已把“{typed}”改写成 {sent}")


def test_a_date_the_page_cannot_read_is_named_with_the_format_to_use(phone, site_url):
    phone.goto(site_url + "submit/")
    date = phone.locator('[name="sources[0].date"]')
    date.fill("12月5日")
    date.press("Tab")
    expect(date).to_have_value("12月5日")  # not guessed
    phone.get_by_role("button", name="检查").click()
    assert "写成 2024、2024-10 或 2024-10-15" in errors(phone)["sources[0].date"]


def test_rows_are_added_moved_and_removed_with_their_names(phone, site_url):
    phone.goto(site_url + "submit/")
    assert rows(phone, "metrics") == 0 and rows(phone, "outcomes") == 1
    add = phone.locator('[data-cb-list="metrics"] [data-cb-row-add]')
    add.click()
    add.click()
    phone.fill('[name="metrics[0].label"]', "第一")
    phone.fill('[name="metrics[1].label"]', "第二")
    phone.select_option('[name="metrics[1].kind"]', "成效")
    phone.locator('[data-path="metrics[1]"] [data-cb-row-up]').click()
    expect(phone.locator('[name="metrics[0].label"]')).to_have_value("第二")
    expect(phone.locator('[name="metrics[0].kind"]')).to_have_value("成效")
    expect(phone.locator('[data-path="metrics[0].kind"] .cb-option-explained')).to_contain_text("做法带来的结果")
    expect(phone.locator('[name="metrics[1].label"]')).to_have_value("第一")
    phone.locator('[data-path="metrics[0]"] [data-cb-row-remove]').click()
    assert rows(phone, "metrics") == 1
    expect(phone.locator('[name="metrics[0].label"]')).to_have_value("第一")
    box = phone.locator('[data-path="metrics[0]"] [data-cb-row-remove]').bounding_box()
    assert box["height"] >= 40  # a finger's width (CSS px x 2 for the phone's density is not counted)


def test_a_figure_fits_on_about_one_screen_of_a_phone(phone, site_url):
    """A figure's row: its choices (类别, 限定词, 按什么计) as lists, each labelled and named by its path,
    the chosen one explained in a line; short answers two to a line; the help of the input being
    filled in shown in one box of fixed height at the top of the row."""
    phone.goto(site_url + "submit/")
    phone.locator('[data-cb-list="metrics"] [data-cb-row-add]').click()
    row = phone.locator('[data-path="metrics[0]"]')
    assert row.bounding_box()["height"] <= 900  # was 2,686 px with a card for each choice
    for name in ("kind", "qualifier", "basis"):
        select = phone.get_by_label({"kind": "类别", "qualifier": "限定词", "basis": "按什么计"}[name], exact=True)
        assert select.get_attribute("name") == f"metrics[0].{name}"
    phone.select_option('[name="metrics[0].basis"]', "人均")
    expect(row.locator('[data-path="metrics[0].basis"] .cb-option-explained')).to_contain_text("总量除以人数")
    unit = phone.locator('[name="metrics[0].unit"]')
    assert "原文紧跟在数字后面" in phone.locator(f'[id="{unit.get_attribute("aria-describedby").split()[0]}"]').text_content()
    box = row.locator("[data-cb-row-help]")
    height = box.bounding_box()["height"]
    unit.focus()
    expect(box).to_contain_text("原文紧跟在数字后面")  # the help of the input being filled in
    phone.locator('[name="metrics[0].quote"]').focus()
    expect(box).to_contain_text("一字不改")
    assert box.bounding_box()["height"] == height  # nothing below it moves
    value, value_max = (phone.locator(f'[name="metrics[0].{name}"]').bounding_box() for name in ("value", "value_max"))
    assert value["y"] == value_max["y"] and value["x"] < value_max["x"]  # one line


def test_tags_are_found_by_their_synonyms_and_descriptions(phone, site_url):
    phone.goto(site_url + "submit/")
    phone.locator("[data-path=tags] [data-cb-filter]").fill("养老")
    visible = phone.locator("[data-path=tags] [data-cb-option]:visible").all_inner_texts()
    assert any("民生服务" in text for text in visible) and len(visible) < 5
    # Cards without the list's bullets beside them.
    assert phone.locator("[data-path=tags] [data-cb-option]").first.evaluate("li => getComputedStyle(li).listStyleType") == "none"


def test_the_id_is_the_place_and_the_practice_in_pinyin(phone, site_url):
    phone.goto(site_url + "submit/")
    phone.select_option('[name="region.province"]', "浙江省")
    phone.fill('[name="region.city"]', "杭州市")
    phone.fill('[name="region.county"]', "建德市")
    phone.fill('[name="region.town"]', "三都镇")
    phone.fill('[name="practice.name"]', "美好账本")
    expect(phone.locator('[name="id"]')).to_have_value("jiande-sandu-meihao-zhangben")
    phone.fill('[name="id"]', "jinjiang-grid-womens-groups")
    phone.fill('[name="practice.name"]', "美好账本2")
    expect(phone.locator('[name="id"]')).to_have_value("jinjiang-grid-womens-groups")  # edited: kept
    phone.get_by_role("button", name="检查").click()
    assert "已经被另一个案例使用" in errors(phone)["id"]


def test_the_library_s_ids_and_places_come_in_a_script_of_their_own(phone, site_url):
    """The ids taken and the place names grow with the library: the page loads them from the
    generated submission-library.js, not in its own HTML; the check and the suggestions use them."""
    cases = [load_case_file(path, LIBRARY / "cases").data for path in sorted((LIBRARY / "cases").glob("*.yaml"))]
    province = "贵州省"
    counties = sorted({case["region"]["county"] for case in cases
                       if case["region"]["province"] == province and case["region"].get("county")})
    html = phone.goto(site_url + "submit/").text()
    assert re.search(r'<script src="[^"]*submission-library\.[0-9a-f]{8}\.js" defer', html)
    assert not any(case["id"] in html for case in cases) and counties[0] not in html
    phone.select_option('[name="region.province"]', province)
    suggested = phone.eval_on_selector_all("#cb-region\\.county-places option", "options => options.map(o => o.value)")
    assert suggested == counties and len(counties) > 1
    phone.fill('[name="id"]', cases[-1]["id"])
    phone.get_by_role("button", name="检查").click()
    assert "已经被另一个案例使用" in errors(phone)["id"]


# Names of the trial's articles and of places whose suffixes are long (trial-findings.md, item 10).
ID_NAMES = [
    ({"county": "建德市", "town": "三都镇"}, "美好账本"),
    ({"city": "郑州市", "county": "郑州高新技术产业开发区", "town": "梧桐街道办事处"}, "梧桐在线·“您‘码’上说”"),
    ({"city": "宁波市", "county": "宁海县"}, "“老人食堂”助餐服务体系建设"),
    ({"city": "长沙市", "town": "丰泉家园社区"}, "红色物业"),
    ({"county": "新蔡县", "town": "练村镇"}, "门前三包 3.0"),
    ({"county": "鄂温克族自治旗", "town": "巴彦托海镇锡尼河西苏木"}, "民族团结进步示范创建"),
    ({"county": "郑州高新技术产业开发区", "town": "须水街道办事处"}, "党建引领物业服务进小区全覆盖"),
    ({}, "美好账本"),
]


def test_the_page_makes_the_id_by_intakes_rule(phone, site_url):
    """One rule, two runtimes: the page's id and intake's (submission.case_id_stem) for the same names."""
    phone.goto(site_url + "submit/")
    names = json.dumps(ID_NAMES, ensure_ascii=False)
    made = module(phone, f"return {names}.map(([region, name]) => form.caseIdStem(region, name, 'henan'));")
    assert made == [case_id_stem(region, name, "henan") for region, name in ID_NAMES]
    assert made[1] == "zhengzhou-wutong-wutong-zaixian-nin-ma" and all(len(stem) <= 40 for stem in made)


def test_required_marks_match_what_is_required(phone, site_url):
    """No star on 实施时间 (it may be left out); who drew the lessons is asked before them, and an
    editor's lessons ask for no quote."""
    phone.goto(site_url + "submit/")
    stars = phone.eval_on_selector_all("[data-cb-submit] :is(legend, label):has(> .cb-required)",
                                       "nodes => nodes.map(n => n.textContent.replace('*', '').trim())")
    assert "实施时间" not in stars and "开始时间" not in stars and "原话" not in " ".join(stars[-6:])
    origin, lessons = phone.locator('[data-path="lessons_origin"]'), phone.locator('[data-cb-list="lessons"]')
    assert origin.evaluate("(node, other) => !!(node.compareDocumentPosition(other) & 4)", lessons.element_handle())
    quote = phone.locator('[name="lessons[0].quote"]')
    expect(quote).to_be_visible()
    phone.check('[name="lessons_origin"][value="编者归纳"]')
    expect(quote).to_be_hidden()
    phone.fill('[name="lessons[0].text"]', "可以讨论：本地能否这样做？")
    quote.evaluate("node => { node.value = '不会寄出的原话'; }")
    assert module(phone, "return form.collect().lessons;") == ["可以讨论：本地能否这样做？"]
    phone.check('[name="lessons_origin"][value="原文"]')
    expect(quote).to_be_visible()


def test_a_correction_of_a_case_in_the_library_can_be_sent(phone, site_url, vocabulary, tmp_path, typed_draft):
    """The id of a case already in the library is refused unless the contributor says the
    submission corrects it; then it is sent, and intake takes it with --update only."""
    taken = load_case_file(EXAMPLE_CASE, EXAMPLE_CASE.parent).data["id"]
    phone.goto(site_url + "submit/")
    box = phone.locator("[data-cb-correction-box]")
    expect(box).to_be_hidden()
    type_case(phone, site_url, typed_draft, {**CASE, "id": taken})
    expect(box).to_be_visible()
    phone.get_by_role("button", name="检查").click()
    assert "这是对已有案例的更正" in errors(phone)["id"]
    expect(phone.locator("[data-cb-submit-ready]")).to_be_hidden()
    phone.get_by_label("这是对已有案例的更正").check()
    phone.get_by_role("button", name="检查").click()
    expect(phone.locator("[data-cb-correction-note]")).to_be_visible()
    assert parse_qs(urlsplit(phone.locator("[data-cb-submit-github]").get_attribute("href")).query)["title"][0] \
        .startswith("[案例更正]")
    with phone.expect_download() as download:
        phone.get_by_role("button", name="下载投稿文件").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert f"这是对已有案例 {taken} 的更正" in text.splitlines()[1]
    project = copy_project(tmp_path / "repo")
    with pytest.raises(IntakeFailed, match="1 个问题"):
        intake(text, project, vocabulary, TODAY)
    written = intake(text, project, vocabulary, TODAY, update=True)
    assert written[0].name == f"{taken}.yaml"


def test_what_was_typed_is_kept_as_typed_across_a_reload(phone, site_url):
    phone.goto(site_url + "submit/")
    phone.locator('[name="sources[0].title"]').click()
    phone.keyboard.insert_text("新華網：寧波推出")
    phone.keyboard.press("End")
    phone.locator('[data-cb-list="metrics"] [data-cb-row-add]').click()
    phone.fill('[name="metrics[0].unit"]', "個")
    phone.check('[name="level"][value="县"]')
    expect(phone.locator('[name="sources[0].title"]')).to_have_value("新華網：寧波推出")
    phone.reload()
    expect(phone.locator('[name="sources[0].title"]')).to_have_value("新華網：寧波推出")
    expect(phone.locator('[name="metrics[0].unit"]')).to_have_value("個")
    expect(phone.locator('[name="level"][value="县"]')).to_be_checked()


def test_the_saved_file_is_the_issue_forms_fields(phone, site_url, vocabulary, typed_draft):
    type_case(phone, site_url, typed_draft)
    text = module(phone, "return form.submissionFile(form.answersOf(form.collect()));")
    assert set(yaml.safe_load(text)) == {field.id for field in form_fields(vocabulary)}


def test_screenshots_of_the_empty_form(browser, site_url, screenshots):
    for name, size in (("390", PHONE), ("1366", DESKTOP)):
        context = browser.new_context(**size, locale="zh-CN")
        page = context.new_page()
        page.goto(site_url + "submit/")
        page.screenshot(path=str(screenshots / f"submit-form-{name}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= size["viewport"]["width"]
        context.close()
