"""Validation rules, as far as one broken file per rule (tests/fixtures/broken, checked by
tests/test_broken_fixtures.py) cannot show them: the many ways a quote writes a figure, a rule's
passing side, several problems in one file, schema keywords without their own message."""

import datetime as dt
import json

import pytest
from jsonschema import Draft202012Validator

from casebook.load import load_case_file
from casebook.schema import base_schema
from casebook.validate import validate_files
from casebook.vocabulary import VocabularyError, load_vocabulary
from helpers import TODAY, dump_case, problems_in, write_case


def check(tmp_path, vocabulary, data, name="jinjiang-grid-womens-groups.yaml"):
    write_case(tmp_path, dump_case(data), name)
    return problems_in(tmp_path, vocabulary)


def test_ids_that_are_not_lowercase_words_and_hyphens_are_refused(tmp_path, vocabulary, example_data):
    """Beyond tests/fixtures/broken/unsafe-id.yaml (a path): the other ways an id breaks the pattern."""
    for bad in ["has space", "UPPER", "晋江"]:
        example_data["id"] = bad
        problems = check(tmp_path, vocabulary, example_data)
        assert any(p.field == "id" and "格式不对" in p.message for p in problems), bad


# --- what a figure says: unit, qualifier and range as the quote writes them --------------------

def figure_problems(tmp_path, vocabulary, example_data, **metric) -> list:
    """The problems of the example case with one metric (its source not archived, so any quote
    may be tried) that has the given fields."""
    example_data["sources"][0].pop("archive", None)
    example_data["metrics"] = [{"label": "数据", **metric}]
    # The editor's marks on the example's own figures go with them.
    example_data["editor_added"] = [path for path in example_data.get("editor_added", [])
                                    if not path.startswith("metrics")]
    return check(tmp_path, vocabulary, example_data)


@pytest.mark.parametrize("quote, value, unit", [
    ("吸纳1397名“格姐”", 1397, "名"), ("共1,397名", 1397, "名"), ("满意率达９５％", 95, "%"),
    ("百分之九十的居民", 90, "%"), ("共包保90戶", 90, "户"), ("三個組的居民", 3, "个"),
    ("每天3000立方米", 3000, "立方米/天"), ("按照100元/天", 100, "元/天"), ("点击量25万人次", 25, "万人次"),
    ("点击量25万人次", 250000, "人次"), ("亲子阅读一刻钟", 1, "刻钟"), ("增长3个百分点", 3, "个百分点"),
])
def test_a_unit_written_right_after_the_number_passes(tmp_path, vocabulary, example_data, quote, value, unit):
    assert figure_problems(tmp_path, vocabulary, example_data, value=value, unit=unit, quote=quote) == []


@pytest.mark.parametrize("quote, value, unit, written, expected", [
    ("吸纳1000名“格姐”", 1000, "万名", "1000名", "名"),
    ("吸纳1000名“格姐”", 1000, "人", "1000名", "名"),
    ("共计排查情感纠纷32起", 32, "件", "32起", "起"),
    ("满意度提高3个百分点", 3, "%", "3个百分点", "个百分点"),
    ("满意度提高3个百分点", 3, "个", "3个百分点", "个百分点"),
    ("点击量25万人次", 25, "万人", "25万人次", "万人次"),
    ("每年900元的工作补助", 900, "元/月", "900元", "元"),
    ("受教育学生两万余人", 2, "人", "两万余人", "万人"),
])
def test_a_unit_the_quote_does_not_write_after_the_number_is_reported_with_the_right_one(
        tmp_path, vocabulary, example_data, quote, value, unit, written, expected):
    (problem,) = figure_problems(tmp_path, vocabulary, example_data, value=value, unit=unit, quote=quote)
    assert problem.field == "metrics[0].unit"
    assert f"原文是“{quote[:12]}" in problem.message or quote[-6:] in problem.message
    assert problem.hint == f"原文写的是“{written}”，unit 应写“{expected}”，不是“{unit}”"


@pytest.mark.parametrize("quote, value, unit, qualifier", [
    ("140余名机关企事业单位党员干部", 140, "名", "余"), ("三十多人参加", 30, "人", "多"),
    ("快速处置率达90%以上", 90, "%", "以上"), ("受教育学生2万余人", 2, "万人", "余"),
    ("长度约560米", 560, "米", "约"), ("整个工程不到20天就基本完工", 20, "天", "不足"),
    ("受益群众超过1200人", 1200, "人", "超"), ("累计补水量达8万3千余立方米", 83000, "立方米", "余"),
    ("累计补水量达8万3千余立方米", 83000, "立方米", "累计"), ("節約資金20萬元", 20, "万元", None),
    ("近3年来受理120件", 3, "年", None), ("服务社区3年多", 3, "年", "多"),
    # Issue 32's trial (Xinmin Evening News on Nangong): 多方 is "several parties", not "more than".
    ("通过12次多方协商引入专业停车公司并制定管理办法", 12, "次", None),
])
def test_a_qualifier_the_quote_writes_next_to_the_number_passes(tmp_path, vocabulary, example_data,
                                                               quote, value, unit, qualifier):
    metric = {"value": value, "unit": unit, "quote": quote} | ({"qualifier": qualifier} if qualifier else {})
    assert figure_problems(tmp_path, vocabulary, example_data, **metric) == []


@pytest.mark.parametrize("quote, qualifier, hint", [
    ("140余名党员干部", "多", "原文用的是“余”，qualifier 应写“余”，不是“多”"),
    ("140多名党员干部", "余", "原文用的是“多”，qualifier 应写“多”，不是“余”"),
    ("约140名党员干部", "近", "原文用的是“约”，qualifier 应写“约”，不是“近”"),
    ("140名党员干部", "以上", "原文在这个数字前后没有限定词：删掉 qualifier"),
])
def test_a_qualifier_the_quote_does_not_use_is_reported(tmp_path, vocabulary, example_data, quote, qualifier, hint):
    (problem,) = figure_problems(tmp_path, vocabulary, example_data, value=140, unit="名", quote=quote,
                                 qualifier=qualifier)
    assert problem.field == "metrics[0].qualifier"
    assert problem.message == f"限定词“{qualifier}”与原文不符，原文是“{quote}”" and problem.hint == hint


@pytest.mark.parametrize("quote, missing", [("140余名党员干部", "余"), ("约140名党员干部", "约"), ("达140名以上", "以上")])
def test_a_qualifier_the_quote_writes_but_the_case_leaves_out_is_reported(tmp_path, vocabulary, example_data,
                                                                         quote, missing):
    (problem,) = figure_problems(tmp_path, vocabulary, example_data, value=140, unit="名", quote=quote)
    assert problem.field == "metrics[0].qualifier" and f"qualifier: {missing}" in problem.hint


@pytest.mark.parametrize("quote, missing", [
    ("共有300余人报名，最终300人参加", None), ("最终300人参加，共有300余人报名", None),
    ("约300人报名，最终300余人参加", None), ("共有300余人报名，最终300余人参加", "余"),
])
def test_a_qualifier_is_required_only_where_every_place_the_quote_writes_the_figure_has_it(
        tmp_path, vocabulary, example_data, quote, missing):
    """A quote may write a figure twice, once qualified and once exact: leaving the qualifier out
    is then a choice of the one meant, not a mistake; it is one when every place has the same."""
    problems = figure_problems(tmp_path, vocabulary, example_data, value=300, unit="人", quote=quote)
    assert [(p.field, p.message.split("，")[0], p.hint.rsplit(" ", 1)[-1]) for p in problems] == (
        [("metrics[0].qualifier", "缺少限定词", missing)] if missing else [])


def test_the_upper_end_of_a_range_is_checked_in_the_quote(tmp_path, vocabulary, example_data):
    passing = {"value": 2, "value_max": 3, "unit": "个", "quote": "每个村均有2~3个网格妇女小组"}
    assert figure_problems(tmp_path, vocabulary, example_data, **passing) == []
    # The lower end is in the quote, the upper one is not: only a check of value_max finds it.
    (problem,) = figure_problems(tmp_path, vocabulary, example_data, **(passing | {"value_max": 4}))
    assert problem.field == "metrics[0].value_max" and "找不到区间上限 4" in problem.message


def test_a_range_must_be_written_as_one(tmp_path, vocabulary, example_data):
    assert figure_problems(tmp_path, vocabulary, example_data, value=2, value_max=3, unit="个",
                           quote="每个村有2个至3个小组") == []
    (problem,) = figure_problems(tmp_path, vocabulary, example_data, value=2, value_max=3, unit="个",
                                 quote="甲村2个小组，乙村3个小组")
    assert problem.field == "metrics[0].value_max" and "没有把 2 到 3 写成一个区间" in problem.message


def test_a_range_recorded_as_one_number_is_told_to_write_its_upper_end(tmp_path, vocabulary, example_data):
    (problem,) = figure_problems(tmp_path, vocabulary, example_data, value=2, unit="个",
                                 quote="每个村均有2~3个网格妇女小组")
    assert problem.field == "metrics[0].unit" and "value_max 写上限" in problem.hint


@pytest.mark.parametrize("start, end", [("2024", "2024-03"), ("2024-05", "2024"), ("2024-05", "2024-05-31"),
                                        ("2024-05-31", "2024-05")])
def test_a_period_may_end_within_the_year_or_month_it_starts_in(tmp_path, vocabulary, example_data, start, end):
    """A partial date is a span: 2024 may end after 2024-05 begins; only an end wholly before the
    start is reported (tests/fixtures/broken/end-before-start.yaml)."""
    example_data["period"] = {"start": start, "end": end}
    example_data["editor_added"] = [path for path in example_data.get("editor_added", []) if not path.startswith("period")]
    assert check(tmp_path, vocabulary, example_data) == []
    example_data["period"] = {"start": "2024-05", "end": "2024-04"}
    assert [p.field for p in check(tmp_path, vocabulary, example_data)] == ["period.end"]


def test_a_date_up_to_today_is_accepted_and_a_later_one_is_in_the_future(tmp_path, vocabulary, example_data):
    """The validator's today (helpers.TODAY) has happened: only a later day is in the future."""
    example_data["sources"][0]["date"] = TODAY.isoformat()
    assert check(tmp_path, vocabulary, example_data) == []
    example_data["sources"][0]["date"] = (TODAY + dt.timedelta(days=1)).isoformat()
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "sources[0].date" and "在未来" in problem.message


def test_urls_must_be_http(tmp_path, vocabulary, example_data):
    example_data["sources"][0]["url"] = "javascript:alert(1)"
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "sources[0].url"


def test_every_problem_is_reported_in_one_run(tmp_path, vocabulary, example_data):
    example_data["level"] = "县级"
    example_data["tags"].append("不存在的标签")
    del example_data["summary"]
    check(tmp_path, vocabulary, example_data)
    write_case(tmp_path, "id: [unclosed\n", name="broken.yaml")
    problems = problems_in(tmp_path, vocabulary)
    assert {p.field for p in problems} >= {"level", "tags[5]", "summary", ""}
    assert len({p.path for p in problems}) == 2


def test_problem_outside_the_problem_list_suggests_nearest(tmp_path, vocabulary, example_data):
    example_data["problems"] = ["矛盾纠纷多"]
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "problems[0]" and "“矛盾纠纷多发”" in problem.hint


def test_a_broken_problem_list_is_reported_with_the_taxonomy(tmp_path, project):
    taxonomy = project.taxonomy_path.read_text(encoding="utf-8")
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text(taxonomy + "  - name: 施工扰民\n    slug: noise\n    description: 重复的问题。\n"
                      "  - name: 无说明\n    slug: no-description\n"
                      "  - name: 无网址\n    description: 没有 slug。\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as raised:
        load_vocabulary(broken, project.provinces_path)
    assert [p.message for p in raised.value.problems] == [
        "问题 施工扰民 重复", "每个问题都要有 name 和 description",
        "问题 无网址 的 slug “”应为小写英文和连字符，用作问题页的网址"]


def test_text_date_is_reported_as_a_date(tmp_path, vocabulary, example_data):
    example_data["sources"][0]["date"] = "去年"
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "sources[0].date" and "“去年”不是有效的日期" in problem.message


def test_editor_schema_flags_what_an_editor_can_see(project, example_data):
    """The generated schema/case.schema.json, read by a second validator as an editor reads it."""
    editor = Draft202012Validator(json.loads(project.editor_schema_path.read_text(encoding="utf-8")))
    example_data = json.loads(json.dumps(example_data, default=str))  # dates as the editor sees them: text
    assert not list(editor.iter_errors(example_data))
    for path, bad in [(("region", "city"), ""), (("period", "start"), "2024-13"), (("period", "start"), "去年"),
                      (("sources", 0, "date"), "2024-1-32"), (("metrics", 0, "period"), "")]:
        data = json_copy(example_data)
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = bad
        assert [tuple(e.absolute_path) for e in editor.iter_errors(data)] == [path], (path, bad)


def test_keywords_without_their_own_message_are_still_reported(tmp_path, vocabulary, example_data):
    schema = json_copy(base_schema())
    schema["properties"]["outcomes"]["maxItems"] = 1
    schema["properties"]["lessons_origin"] = {"const": "原文"}
    path = write_case(tmp_path, dump_case(example_data))
    problems = validate_files([load_case_file(path, tmp_path / "cases")], vocabulary, dt.date(2026, 11, 23), schema)
    found = {p.field: p.message for p in problems}
    assert found["outcomes"].startswith("最多写 1 项") and "const" in found["lessons_origin"]


def json_copy(value):
    return json.loads(json.dumps(value))


@pytest.mark.parametrize("field", ["lessons", "outcomes", "editor_added"])
def test_a_list_field_written_as_a_single_value_is_a_problem_not_a_crash(tmp_path, vocabulary, example_data, field):
    """Found by the fuzz test: `lessons: true` reached the lesson and outcome rules as a list."""
    example_data[field] = True
    assert field in {problem.field for problem in check(tmp_path, vocabulary, example_data)}
