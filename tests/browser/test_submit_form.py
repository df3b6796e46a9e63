"""The 在线投稿 form in Chromium on a phone: filled with a real case it passes and saves a file
that `casebook intake` accepts; a quote changed by one character is flagged at its field; a reload
keeps what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browsing import DESKTOP, PHONE
from casebook.intake import intake, read_answers
from casebook.submission import form_fields
from helpers import TODAY, copy_project
from test_intake import BODY, CASE_ID

FENCE = re.compile(r"\A```yaml\n(.*)\n```\Z", re.S)


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def typed_answers(vocabulary) -> dict:
    """The real case's answers as a person types them into the site's form (YAML without fences)."""
    answers = read_answers(BODY, form_fields(vocabulary))
    return {key: FENCE.sub(r"\1", value) for key, value in answers.items()}


def fill(page, vocabulary, answers: dict) -> None:
    for field in form_fields(vocabulary):
        selector = f"#cb-{field.id}"
        if field.widget == "dropdown" and not field.multiple:
            page.select_option(selector, answers[field.id] or "")
        else:
            page.fill(selector, answers[field.id])


def errors(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-field]')]
        .map(box => [box.dataset.field, box.querySelector('[data-cb-error]').textContent]).filter(([, text]) => text))""")


def test_a_real_case_passes_and_its_file_is_accepted_by_intake(phone, site_url, vocabulary, tmp_path, screenshots):
    phone.goto(site_url + "submit/")
    fill(phone, vocabulary, typed_answers(vocabulary))
    phone.get_by_role("button", name="检查").click()
    expect(phone.locator("[data-cb-submit-ready]")).to_be_visible()
    assert errors(phone) == {} and phone.console_errors == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(screenshots / "submit-ready-390.png"))
    with phone.expect_download() as download:
        phone.get_by_role("button", name="下载投稿文件").click()
    saved = tmp_path / "submission.yaml"
    download.value.save_as(saved)
    project = copy_project(tmp_path / "repo", with_cases=False)
    for path in project.sources_dir.glob("*.md"):
        path.unlink()
    written = intake(saved.read_text(encoding="utf-8"), project, vocabulary, TODAY)
    assert [path.name for path in written] == [f"{CASE_ID}.yaml", f"{CASE_ID}.md"]
    github = phone.locator("[data-cb-submit-github]").get_attribute("href")
    assert "/issues/new?template=submit-case.yml" in github and len(github) <= 8000


def test_a_quote_changed_by_one_character_is_flagged_at_its_field(phone, site_url, vocabulary, screenshots):
    answers = typed_answers(vocabulary)
    answers["metrics"] = answers["metrics"].replace("吸纳1397名", "吸收1397名")
    phone.goto(site_url + "submit/")
    fill(phone, vocabulary, answers)
    phone.get_by_role("button", name="检查").click()
    found = errors(phone)
    assert list(found) == ["metrics"] and "第 2 条的原话“吸收1397名“格姐””在报道原文中找不到" in found["metrics"]
    expect(phone.locator("#cb-metrics")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#cb-metrics")).to_be_focused()
    expect(phone.locator("[data-cb-submit-ready]")).to_be_hidden()
    phone.screenshot(path=str(screenshots / "submit-error-390.png"))


def test_required_fields_unknown_tags_and_dates_are_flagged(phone, site_url, vocabulary):
    answers = typed_answers(vocabulary)
    answers.update(title="", tags="妇联、积分管理", source_date="2024-02-30")
    phone.goto(site_url + "submit/")
    fill(phone, vocabulary, answers)
    phone.get_by_role("button", name="检查").click()
    found = errors(phone)
    assert set(found) == {"title", "tags", "source_date"}
    assert "你是不是想写“积分制”" in found["tags"] and "不存在" in found["source_date"]


def test_a_reload_keeps_what_was_typed(phone, site_url, vocabulary):
    phone.goto(site_url + "submit/")
    phone.fill("#cb-title", "某县推行“积分制”")
    phone.keyboard.insert_text("，激活村民参与")
    phone.select_option("#cb-level", "县")
    phone.fill("#cb-metrics", "- label: 示例\n  quote: 原话")
    phone.reload()
    expect(phone.locator("#cb-title")).to_have_value("某县推行“积分制”，激活村民参与")
    expect(phone.locator("#cb-level")).to_have_value("县")
    expect(phone.locator("#cb-metrics")).to_have_value("- label: 示例\n  quote: 原话")


def test_screenshots_of_the_empty_form(browser, site_url, screenshots):
    for name, size in (("390", PHONE), ("1366", DESKTOP)):
        context = browser.new_context(**size, locale="zh-CN")
        page = context.new_page()
        page.goto(site_url + "submit/")
        page.screenshot(path=str(screenshots / f"submit-form-{name}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= size["viewport"]["width"]
        context.close()
