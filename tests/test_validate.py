"""Validation rules: one test per rule, checking the message a contributor sees."""

import datetime as dt
import json
import math

import pytest

from casebook.vocabulary import VocabularyError, load_vocabulary

from jsonschema import Draft202012Validator

from casebook.load import load_case_file
from casebook.schema import base_schema
from casebook.validate import validate_files
from helpers import dump_case, messages, problems_in, write_case


def check(tmp_path, vocabulary, data, name="jinjiang-grid-womens-groups.yaml"):
    write_case(tmp_path, dump_case(data), name)
    return problems_in(tmp_path, vocabulary)


def test_missing_required_field_is_named(tmp_path, vocabulary, example_data):
    del example_data["lessons"]
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "lessons" and "缺少必填字段 lessons" in problem.message


def test_wrong_type_says_what_was_found_and_expected(tmp_path, vocabulary, example_data):
    example_data["metrics"][0]["value"] = "三百"
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "metrics[0].value"
    assert "应为数字，实际是文字 “三百”" in problem.message and "阿拉伯数字" in problem.hint


def test_position_points_at_the_field(tmp_path, vocabulary, example_data):
    example_data["level"] = "县级"
    (problem,) = check(tmp_path, vocabulary, example_data)
    text = dump_case(example_data).split("\n")
    assert text[problem.line - 1].startswith("level:")


def test_empty_string_is_reported(tmp_path, vocabulary, example_data):
    example_data["region"]["city"] = "   "
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "region.city" and "不能是空的" in problem.message


def test_unknown_field_suggests_nearest_known_name(tmp_path, vocabulary, example_data):
    example_data["lesson"] = example_data.pop("lessons")
    problems = check(tmp_path, vocabulary, example_data)
    assert any("未知字段 lesson" in p.message and "`lessons`" in p.hint for p in problems), messages(problems)


def test_tag_outside_taxonomy_suggests_nearest_tags(tmp_path, vocabulary, example_data):
    example_data["tags"] = ["积分管理制"]
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "tags[0]" and "“积分制”" in problem.hint


def test_province_must_be_a_province_level_division(tmp_path, vocabulary, example_data):
    example_data["region"]["province"] = "福建"
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "region.province" and "“福建省”" in problem.hint


def test_duplicate_ids_are_reported(tmp_path, vocabulary, example_data):
    check(tmp_path, vocabulary, example_data)
    problems = check(tmp_path, vocabulary, example_data, name="jinjiang-copy.yaml")
    assert any("已被" in p.message and "使用" in p.message for p in problems), messages(problems)


def test_id_must_match_file_name(tmp_path, vocabulary, example_data):
    (problem,) = check(tmp_path, vocabulary, example_data, name="jinjiang.yaml")
    assert "与文件名 jinjiang.yaml 不一致" in problem.message


def test_unsafe_ids_are_refused(tmp_path, vocabulary, example_data):
    for bad in ["../etc/passwd", "has space", "UPPER", "晋江"]:
        example_data["id"] = bad
        problems = check(tmp_path, vocabulary, example_data)
        assert any(p.field == "id" and "格式不对" in p.message for p in problems), bad


def test_impossible_date_is_reported(tmp_path, vocabulary, example_data):
    example_data["period"]["start"] = "2024-13"
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "period.start" and "不是有效的日期" in problem.message


def test_end_before_start_is_reported(tmp_path, vocabulary, example_data):
    example_data["period"] = {"start": "2024-10", "end": "2024-09"}
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert "早于开始时间" in problem.message


def test_future_date_is_reported(tmp_path, vocabulary, example_data):
    example_data["sources"][0]["date"] = "2027-01-01"
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert "在未来" in problem.message


def test_negative_and_non_finite_metric_values_are_reported(tmp_path, vocabulary, example_data):
    example_data["metrics"][0]["value"] = -305
    example_data["metrics"][1]["value"] = math.nan
    found = messages(check(tmp_path, vocabulary, example_data))
    assert "不能小于 0" in found and "应为有限的数字" in found


def test_quote_must_contain_its_value(tmp_path, vocabulary, example_data):
    example_data["metrics"][0]["value"] = 306
    (problem,) = check(tmp_path, vocabulary, example_data)
    assert problem.field == "metrics[0].quote" and "找不到数值 306" in problem.message


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
        "问题 施工扰民 重复", "每个问题都要有 name 和 description", "问题 无网址 的 slug “”应为小写英文和连字符，用作问题页的网址"]


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
