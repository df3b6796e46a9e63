"""Outcomes carry their evidence: a status and a quote checked against the archive; the plain-text
form still validates with a warning; measures and the source's lessons may carry quotes; the
editors' lessons and inferred dates are labelled; one quote shared by two items is shown once;
and `casebook migrate-outcomes` rewrites what it can prove."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys

import pytest
import yaml

from casebook.catalog import CatalogError, read_catalog
from casebook.export import CASES_CSV, CASES_JSON, export_files
from casebook.fields import fields_script
from casebook.migrate import migrate_file
from casebook.page_kinds import render_site
from casebook.project import Project
from casebook.provenance import load_archive
from casebook.routes import match, route
from helpers import EXAMPLE_CASE, TODAY, copy_project, dump_case, messages, problems_in, warnings_in, write_case

ARCHIVE = "ijjnews-jinjiang-grid-womens-federation"
# Sentences of the archived article (sources/ijjnews-jinjiang-grid-womens-federation.md).
AIM = "东石镇则以网格妇女小组全覆盖为抓手"
UNDER_WAY = "一排排雨棚正紧锣密鼓地施工中"
ONE_VILLAGE = "让村民感受到了参与村庄治理的获得感"
LEGACY = "住宅小区的妇女小组推动了共享空间改造。"


def evidenced_case() -> dict:
    """The example case with outcomes of every status, one sharing its quote with the first
    figure, one in the plain-text form, a measure with a quote and inferred dates marked."""
    data = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    data["sources"] = [{"title": "推行“网格+妇联”模式 激活基层社会治理“她”力量", "publisher": "晋江新闻网",
                        "archive": ARCHIVE}]
    data["period"] = {"start": "2024-10", "ongoing": True}
    data["metrics"] = [{"label": "组建网格妇女小组", "value": 305, "unit": "个", "period": "截至2024年12月",
                        "quote": "晋江市已组建了305个网格妇女小组"}]
    data["outcomes"] = [
        {"text": "全市已组建起305个网格妇女小组。", "status": "结果", "quote": "晋江市已组建了305个网格妇女小组"},
        {"text": "东石镇以网格妇女小组全覆盖为抓手，发动家家户户落实“门前三包”。", "status": "目标", "quote": AIM},
        {"text": "世纪华廷小区电动车停放区的雨棚正在施工。", "status": "进展", "quote": UNDER_WAY},
        {"text": "砌坑村村民感受到了参与村庄治理的获得感。", "status": "个例", "quote": ONE_VILLAGE},
        LEGACY,
    ]
    data["practice"]["measures"][0]["quote"] = "晋江市“网格+妇联”工作启动仪式在池店旧铺村“党建+”邻里中心拉开序幕"
    data["lessons_origin"] = "编者归纳"
    data["lessons"] = ["可以讨论：把妇女小组建在网格上，各地要具备哪些条件？"]
    data["editor_added"] = ["region.province", "period.start", "metrics[0].period"]
    return data


def _project_with(tmp_path, data: dict) -> Project:
    project = copy_project(tmp_path / "project", with_cases=False)
    (project.cases_dir / EXAMPLE_CASE.name).write_text(dump_case(data), encoding="utf-8")
    return project


def _line_of(path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text in line)


# --- validation ---------------------------------------------------------------------------------

def test_outcomes_with_status_and_quote_validate_and_a_plain_text_one_is_a_warning_at_its_line(tmp_path, vocabulary):
    path = write_case(tmp_path, dump_case(evidenced_case()))
    assert problems_in(tmp_path, vocabulary) == []
    (warning,) = warnings_in(tmp_path, vocabulary)
    assert warning.field == "outcomes[4]" and warning.line == _line_of(path, LEGACY)
    assert warning.path.endswith(EXAMPLE_CASE.name) and str(warning).split(": ", 2)[1].startswith("提醒")
    assert "未附原文" in warning.message


def test_every_plain_text_outcome_is_a_warning_wherever_it_stands(tmp_path, vocabulary):
    """Not only the one the fixtures put last: the first, one in the middle and the last each warn."""
    data = evidenced_case()
    evidenced = data["outcomes"][:4]
    data["outcomes"] = [LEGACY, evidenced[0], "妇女小组参与了邻里纠纷调解。", *evidenced[1:], "格姐队伍不断壮大。"]
    write_case(tmp_path, dump_case(data))
    assert problems_in(tmp_path, vocabulary) == []
    warnings = warnings_in(tmp_path, vocabulary)
    assert [(w.field, "未附原文" in w.message) for w in warnings] == [
        ("outcomes[0]", True), ("outcomes[2]", True), ("outcomes[6]", True)]


def test_one_changed_character_of_an_outcome_quote_names_file_line_and_nearest_passage(tmp_path, vocabulary):
    data = evidenced_case()
    data["outcomes"][2]["quote"] = UNDER_WAY.replace("施工", "施王")
    path = write_case(tmp_path, dump_case(data))
    (problem,) = problems_in(tmp_path, vocabulary)
    assert problem.field == "outcomes[2].quote" and problem.line == _line_of(path, "施王")
    assert problem.path.endswith(EXAMPLE_CASE.name) and "找不到这段引文" in problem.message
    assert UNDER_WAY[:8] in re.search(r"最接近的一段是“(.*)”；", problem.hint).group(1)


@pytest.mark.parametrize("where", ["measure", "lesson"])
def test_measure_and_source_lesson_quotes_are_checked_like_figures(tmp_path, vocabulary, where):
    data = evidenced_case()
    if where == "measure":
        data["practice"]["measures"][0]["quote"] = "启动仪式在池店新铺村"
        field = "practice.measures[0].quote"
    else:
        data["lessons_origin"] = "原文"
        data["lessons"] = [{"text": "发挥“联”字优势，三级妇联与网格小组联动。", "quote": "我们将发挥‘联’字劣势"}]
        field = "lessons[0].quote"
    write_case(tmp_path, dump_case(data))
    (problem,) = problems_in(tmp_path, vocabulary)
    assert problem.field == field and "找不到这段引文" in problem.message


def test_a_quote_may_serve_a_figure_and_an_outcome(tmp_path, vocabulary):
    data = evidenced_case()
    assert data["outcomes"][0]["quote"] == data["metrics"][0]["quote"]
    write_case(tmp_path, dump_case(data))
    assert problems_in(tmp_path, vocabulary) == []


@pytest.mark.parametrize("outcome, field, expected", [
    ({"text": "全市已组建起305个网格妇女小组。", "status": "完成", "quote": "晋江市已组建了305个网格妇女小组"},
     "outcomes[0].status", "可选：结果、进展、目标、个例"),
    ({"text": "全市已组建起305个网格妇女小组。", "quote": "晋江市已组建了305个网格妇女小组"},
     "outcomes[0].status", "缺少必填字段 status"),
    ({"text": "全市已组建起305个网格妇女小组。", "status": None, "quote": "晋江市已组建了305个网格妇女小组"},
     "outcomes[0].status", "冒号后面写其中一个：结果、进展、目标、个例"),
    ({"text": "全市已组建起305个网格妇女小组。", "status": "结果", "quote": "晋江市已组建了305个网格妇女小组",
      "source": "x"}, "outcomes[0].source", "未知字段 source"),
    ({"text": "短", "status": "结果", "quote": "晋江市已组建了305个网格妇女小组"}, "outcomes[0].text", "太短"),
    (42, "outcomes[0]", "应为一组字段（键: 值）或文字"),
])
def test_an_outcome_of_the_wrong_shape_gets_one_clear_message_at_its_field(tmp_path, vocabulary, outcome, field, expected):
    """jsonschema reports a oneOf as 'not valid under any of the given schemas': the message
    must name the field inside the outcome and what it allows."""
    data = evidenced_case()
    data["outcomes"][0] = outcome
    write_case(tmp_path, dump_case(data))
    (problem,) = problems_in(tmp_path, vocabulary)
    assert problem.field == field and expected in str(problem), messages([problem])
    assert "oneOf" not in str(problem) and "given schemas" not in str(problem)


def test_an_editors_lesson_carries_no_quote(tmp_path, vocabulary):
    data = evidenced_case()
    data["lessons"] = [{"text": "可以讨论：妇女小组怎样进小区？", "quote": AIM}]
    write_case(tmp_path, dump_case(data))
    (problem,) = problems_in(tmp_path, vocabulary)
    assert problem.field == "lessons[0].quote" and "编者归纳" in problem.message


def test_validate_prints_warnings_and_fails_on_them_only_when_strict(tmp_path):
    project = _project_with(tmp_path, evidenced_case())
    run = [sys.executable, "-m", "casebook.cli", "validate"]
    lenient = subprocess.run(run, cwd=project.root, capture_output=True, text=True)
    strict = subprocess.run(run + ["--strict"], cwd=project.root, capture_output=True, text=True)
    assert lenient.returncode == 0 and "提醒：outcomes[4]: 未附原文" in lenient.stderr
    assert strict.returncode == 1 and "outcomes[4]: 未附原文" in strict.stderr and "提醒：" not in strict.stderr


def test_a_build_shows_warnings_without_failing(tmp_path):
    project = _project_with(tmp_path, evidenced_case())
    catalog = read_catalog(project, today=TODAY)
    assert [w.field for w in catalog.warnings] == ["outcomes[4]"]
    with pytest.raises(CatalogError) as failed:
        read_catalog(project, today=TODAY, strict=True)
    assert "outcomes[4]" in str([str(p) for p in failed.value.problems])


# --- the model and the page ---------------------------------------------------------------------

def test_plain_text_outcomes_and_lessons_read_as_entries_without_status_or_quote(tmp_path):
    (case,) = read_catalog(_project_with(tmp_path, evidenced_case()), today=TODAY).cases
    assert [o.status for o in case.outcomes] == ["结果", "目标", "进展", "个例", None]
    assert case.outcomes[4].text == LEGACY and case.outcomes[4].quote is None
    assert case.outcomes[1].context.quote == AIM and case.practice.measures[0].context is not None
    assert case.lessons[0].text.startswith("可以讨论") and case.lessons[0].quote is None


@pytest.fixture
def case_page(tmp_path):
    catalog = read_catalog(_project_with(tmp_path, evidenced_case()), today=TODAY)
    pages = render_site(catalog, {}, lambda source, target: target, "")
    return pages[route("case", EXAMPLE_CASE.stem)].html, pages


def _section(html: str, heading: str) -> str:
    return html.split(f'<h2 id="{heading}">{heading}</h2>', 1)[1].split("<h2 ", 1)[0]


def test_each_outcome_shows_its_status_as_a_word_and_a_plain_text_one_shows_unquoted(case_page):
    outcomes = _section(case_page[0], "成效")
    chips = re.findall(r'<span class="cb-status[^"]*"(?: data-status="([^"]+)")?>([^<]+)</span>', outcomes)
    assert chips == [("结果", "结果"), ("目标", "目标"), ("进展", "进展"), ("个例", "个例"), ("", "未附原文")]


def test_an_outcome_quote_opens_in_its_sentence_and_prints(case_page):
    outcomes = _section(case_page[0], "成效")
    under_way = outcomes.split("世纪华廷小区电动车停放区的雨棚正在施工。", 1)[1].split("</li>", 1)[0]
    assert re.search(r"在梅岭街道梅庭社区世纪华廷小区,电动车停放区即将迎来新变化——<mark>一排排雨棚正紧锣密鼓地施工中</mark>",
                     under_way)
    assert f'<p class="cb-print-quote">原文：“{UNDER_WAY}”</p>' in under_way


def test_a_quote_shared_by_a_figure_and_an_outcome_shows_its_sentence_once(case_page):
    html = case_page[0]
    assert html.count("<mark>晋江市已组建了305个网格妇女小组</mark>") == 1
    outcome = _section(html, "成效").split("</li>", 1)[0]
    assert 'href="#q-jinjiang-grid-womens-groups-metrics-0"' in outcome and "依据同一句原文" in outcome
    assert 'id="q-jinjiang-grid-womens-groups-metrics-0"' in html
    assert 'href="#q-jinjiang-grid-womens-groups-outcomes-0"' in _section(html, "数据")


def test_editors_lessons_are_labelled_as_their_view_in_the_text(case_page):
    lessons = _section(case_page[0], "经验启示")
    assert re.search(r'<span class="cb-status cb-status--editor">编者观点</span>', lessons)


def test_inferred_dates_carry_the_editor_mark_beside_them(case_page):
    html = case_page[0]
    overview = html.split('<dt>时间</dt>', 1)[1].split("</dd>", 1)[0]
    assert re.search(r"2024-10<abbr class=\"cb-editor-mark\"[^>]*>编者补充</abbr> 起，仍在实施", overview)
    figures = _section(html, "数据")
    assert re.search(r"截至2024年12月<abbr class=\"cb-editor-mark\"[^>]*>编者补充</abbr>", figures)


def test_the_training_pack_shows_statuses_and_quotes(case_page):
    pages = case_page[1]
    pack = next(page.html for uri, page in pages.items() if match("pack", uri))
    assert 'data-status="目标"' in pack and f"原文：“{AIM}”" in pack and "编者观点" in pack


def test_case_content_in_outcomes_is_escaped(tmp_path):
    """Validation refuses markup in case text (tests/test_broken_fixtures.py); a page escapes it
    all the same."""
    data = evidenced_case()
    data["outcomes"][0]["status"] = "结果"
    catalog = read_catalog(_project_with(tmp_path, data), today=TODAY)
    [case] = catalog.cases
    outcome = dataclasses.replace(case.outcomes[0], text="<script>alert(1)</script>成效")
    catalog = dataclasses.replace(catalog, cases=(dataclasses.replace(case, outcomes=(outcome, *case.outcomes[1:])),))
    html = render_site(catalog, {}, lambda source, target: target, "")[route("case", EXAMPLE_CASE.stem)].html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# --- exports and compare ------------------------------------------------------------------------

def test_downloads_carry_status_and_quote_and_keep_the_plain_text_form(tmp_path):
    catalog = read_catalog(_project_with(tmp_path, evidenced_case()), today=TODAY)
    files = export_files(catalog, "{}")
    (record,) = json.loads(files[CASES_JSON])
    assert record["outcomes"] == evidenced_case()["outcomes"]  # as the case file has them
    assert json.loads(files[route("case_json", EXAMPLE_CASE.stem)]) == record
    (row,) = csv.DictReader(io.StringIO(files[CASES_CSV].lstrip("\ufeff")))
    # One line per outcome in each column, side by side; the plain-text one has no status.
    assert row["outcomes[].status"].split("\n") == ["结果", "目标", "进展", "个例", ""]
    assert row["outcomes[].text"].split("\n")[4] == LEGACY
    assert row["outcomes[].quote"].split("\n")[1] == AIM
    assert row["practice.measures[].quote"].split("\n")[0].startswith("晋江市“网格+妇联”工作启动仪式")


def test_compare_fields_describe_outcome_statuses(vocabulary):
    script = fields_script(vocabulary)
    fields = json.loads(script[script.index("{"):script.rindex("}") + 1])
    assert fields["statusFields"] == ["outcomes"] and fields["unquoted"] == "未附原文"


# --- migration ----------------------------------------------------------------------------------

def test_migration_converts_what_the_archive_holds_and_keeps_the_rest_and_the_layout(tmp_path, vocabulary):
    data = evidenced_case()
    found = "返乡妇女说，截至目前晋江市已组建了305个网格妇女小组，吸纳1397名“格姐”。"
    data["outcomes"] = ["晋江市已组建了305个网格妇女小组，吸纳1397名“格姐”。", LEGACY]
    text = "# a comment the rewrite keeps\n" + dump_case(data).replace("lessons:", "# before lessons\nlessons:")
    path = write_case(tmp_path, text)
    archive, _ = load_archive(tmp_path / "sources")
    results = migrate_file(path, archive)
    assert [(r.index, bool(r.quote)) for r in results] == [(0, True), (1, False)]
    assert "截至目前,晋江市已组建了305个网格妇女小组,吸纳1397名“格姐”。" == results[0].quote
    rewritten = path.read_text(encoding="utf-8")
    assert rewritten.startswith("# a comment the rewrite keeps\n") and "# before lessons\nlessons:" in rewritten
    outcomes = yaml.safe_load(rewritten)["outcomes"]
    assert outcomes[0] == {"text": data["outcomes"][0], "status": None, "quote": results[0].quote}
    assert outcomes[1] == LEGACY
    assert found not in rewritten  # nothing but the archive's own sentence is written
    # The person's part: status is left empty, and validation says what to write there.
    problems = problems_in(tmp_path, vocabulary)
    assert [p.field for p in problems] == ["outcomes[0].status"]
    assert "结果、进展、目标、个例" in problems[0].hint


def test_migration_never_takes_a_sentence_that_only_resembles_the_outcome(tmp_path):
    data = evidenced_case()
    data["outcomes"] = ["晋江市组建了网格妇女小组，帮助村民解决了许多难题。"]
    path = write_case(tmp_path, dump_case(data))
    before = path.read_text(encoding="utf-8")
    archive, _ = load_archive(tmp_path / "sources")
    (result,) = migrate_file(path, archive)
    assert result.quote is None and path.read_text(encoding="utf-8") == before


def test_migrate_command_lists_what_it_could_not_convert(tmp_path):
    data = evidenced_case()
    data["outcomes"] = ["晋江市已组建了305个网格妇女小组，吸纳1397名“格姐”。", LEGACY]
    project = _project_with(tmp_path, data)
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "migrate-outcomes"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "outcomes[0]：已补上原文依据" in result.stdout and "改写 1 条，保持原样 1 条" in result.stdout
    assert f"outcomes[1]：存档原文中找不到依据，保持原样：“{LEGACY}”" in result.stderr
