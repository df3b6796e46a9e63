"""The submission form (GitHub issue form, and the 投稿 page's form) against the case schema."""

import json
import re
import subprocess
import sys

import pytest
import yaml

from casebook.schema import resolved_schema
from casebook.submission import (
    ID_RULE,
    SUBMISSION_LABEL,
    browser_form,
    case_id_stem,
    form_fields,
    form_tree,
    library_script,
    pinyin_table,
)
from helpers import copy_project


@pytest.fixture(scope="module")
def issue_form(project):
    return yaml.safe_load(project.issue_form_path.read_text(encoding="utf-8"))


def _questions(form) -> dict:
    return {item["id"]: item for item in form["body"] if item["type"] != "markdown"}


def test_issue_form_asks_for_every_field_of_the_schema_as_the_schema_says(issue_form, vocabulary):
    schema = resolved_schema(vocabulary)
    questions = _questions(issue_form)
    source = schema["properties"]["sources"]["items"]
    expected = [name for name, prop in schema["properties"].items() if name != "sources" and prop.get("x-form") is not False]
    expected += [f"source_{name}" for name in source["properties"] if name != "archive"] + ["source_text"]
    # The case's title is asked as case_title: "title" in the issue's address is the issue's own.
    expected = ["case_title" if name == "title" else name for name in expected]
    assert sorted(questions) == sorted(expected)
    for name in expected:
        question = questions[name]
        name = name.removeprefix("case_")
        node = schema["properties"].get(name) or source["properties"].get(name.removeprefix("source_"))
        if name == "source_text":
            assert question["validations"]["required"] is True and question["type"] == "textarea"
            continue
        required = name in schema["required"] if name in schema["properties"] \
            else name.removeprefix("source_") in source["required"]
        if name == "id":  # intake makes one when it is left empty, and the form says so
            assert "自动生成" in question["attributes"]["description"]
        else:
            assert question.get("validations", {}).get("required", False) is required, name
        assert node["description"] in question["attributes"]["description"], name
        enum = node.get("enum") or node.get("items", {}).get("enum")
        if enum:
            assert question["type"] == "dropdown" and question["attributes"]["options"] == enum, name
            assert question["attributes"].get("multiple", False) is (node.get("type") == "array"), name
        elif node.get("type") in ("object", "array"):
            assert question["attributes"].get("render") == "yaml", name
            assert yaml.safe_load(question["attributes"]["placeholder"]) == node["x-example"], name


def test_issue_form_labels_are_unique_and_set_the_submission_label(issue_form):
    labels = [item["attributes"]["label"] for item in _questions(issue_form).values()]
    assert len(labels) == len(set(labels))
    assert issue_form["labels"] == [SUBMISSION_LABEL]


def test_form_fields_follow_the_taxonomy(vocabulary):
    fields = {field.id: field for field in form_fields(vocabulary)}
    assert list(fields["tags"].options) == vocabulary.tag_names and fields["tags"].multiple
    assert list(fields["problems"].options) == [problem.name for problem in vocabulary.problems]


def test_schema_check_notices_an_issue_form_edited_by_hand(tmp_path):
    project = copy_project(tmp_path / "repo")
    form = project.issue_form_path.read_text(encoding="utf-8")
    project.issue_form_path.write_text(form.replace("label: 摘要", "label: 概要"), encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "casebook.cli", "schema", "--check"], cwd=project.root,
                           capture_output=True, text=True)
    assert check.returncode == 1 and "submit-case.yml" in check.stderr
    subprocess.run([sys.executable, "-m", "casebook.cli", "schema"], cwd=project.root, check=True, capture_output=True)
    assert project.issue_form_path.read_text(encoding="utf-8") == form


# --- the 在线投稿 page's form (form_tree) ---------------------------------------------------------

def _nodes(nodes):
    for node in nodes:
        yield node
        yield from _nodes(node.children)


def test_every_input_of_the_page_is_named_by_a_path_of_the_schema(vocabulary):
    from casebook.schema import node_at

    schema = resolved_schema(vocabulary)
    nodes = list(_nodes(form_tree(vocabulary)))
    for node in nodes:
        parts = tuple(int(index) if index else name
                      for name, index in re.findall(r"([^.\[\]]+)|\[(\d+|#)\]", node.path.replace("[#]", "[0]")))
        assert node_at(schema, parts), node.path
    paths = {node.path for node in nodes}
    assert {"region.province", "metrics[#].unit", "outcomes[#].status", "sources[0].title", "tags"} <= paths
    assert not any(node.kind == "yaml" for node in nodes)  # no YAML to type anywhere
    assert "sources[0].archive" not in paths and "editor_added" not in paths  # intake and the marks set them


def test_the_page_speaks_to_a_contributor_not_a_programmer(vocabulary):
    words = re.compile(r"\.ya?ml|casebook|data/|sources/|\[\d\]|\b[a-z]+_[a-z]+\b|\b(?:reposted|ongoing|quote|value|true)\b")
    for node in _nodes(form_tree(vocabulary)):
        assert not words.search(node.label + node.help), (node.path, node.label, node.help)
    status = next(node for node in _nodes(form_tree(vocabulary)) if node.path == "outcomes[#].status")
    assert all(explanation for _, explanation in status.options)  # each status says what it means


def test_the_id_is_spelled_with_the_readings_of_words():
    table = {character: syllable for syllable, characters in pinyin_table().items() for character in characters}
    assert [table[ch] for ch in "建德三都美好账本"] == ["jian", "de", "san", "du", "mei", "hao", "zhang", "ben"]
    assert table["绿"] == "lv" and len(table) == 6763


def test_the_library_s_ids_and_places_are_a_script_of_their_own_not_the_page_s(catalog, vocabulary):
    """The page's own data does not grow with the library; submission-library.js holds what does."""
    text = library_script(catalog.cases)
    found = re.fullmatch(r'(?s)//[^\n]*\ncasebook\.provide\("submission-library", (\{.*\})\);\n', text)
    library = json.loads(found.group(1))
    assert library["takenIds"] == sorted(case.id for case in catalog.cases)
    for case in catalog.cases:
        places = library["places"][case.region.province]
        assert all(getattr(case.region, level) in places[level] for level in ("city", "county", "town")
                   if getattr(case.region, level))
    page = json.dumps(browser_form(vocabulary), ensure_ascii=False)
    assert not any(case.id in page for case in catalog.cases)


# Places and practices of the trial's real articles (trial-findings.md), with the id each gets.
ID_EXAMPLES = [
    ({"county": "建德市", "town": "三都镇"}, "美好账本", "jiande-sandu-meihao-zhangben"),
    ({"city": "郑州市", "county": "郑州高新技术产业开发区", "town": "梧桐街道办事处"}, "梧桐在线·“您‘码’上说”",
     "zhengzhou-wutong-wutong-zaixian-nin-ma"),
    ({"city": "宁波市", "county": "宁海县"}, "“老人食堂”助餐服务体系建设", "ninghai-laoren-shitang-zhucan-fuwu"),
    ({"city": "长沙市"}, "红色物业", "changsha-hongse-wuye"),
    ({"county": "晋江市"}, "网格+妇联", "jinjiang-wangge-fulian"),
    ({"county": "新蔡县", "town": "练村镇"}, "门前三包 3.0", "xincai-liancun-menqian-sanbao-3-0"),
]


@pytest.mark.parametrize(("region", "practice", "expected"), ID_EXAMPLES)
def test_the_id_is_the_bare_place_and_a_few_words_of_the_practice(region, practice, expected):
    assert case_id_stem(region, practice, "henan") == expected


def test_a_long_id_is_cut_between_words_and_drops_the_town_first():
    long_practice = case_id_stem({"county": "郑州高新技术产业开发区", "town": "须水街道办事处"}, "党建引领物业服务进小区全覆盖")
    assert long_practice == "zhengzhou-xushui-dangjian-yinling-wuye"  # + "-fuwu" would pass 40 characters
    long_town = case_id_stem({"county": "鄂温克族自治旗", "town": "巴彦托海镇锡尼河西苏木"}, "民族团结进步示范创建")
    assert long_town == "ewenkezu-minzu-tuanjie-jinbu-shifan"  # the town would leave no room for the practice
    assert all(len(stem) <= ID_RULE["maxLength"] for stem in (long_practice, long_town))
    assert case_id_stem({}, "美好账本", "zhejiang") == "zhejiang-meihao-zhangben"  # no city: the province


def test_required_marks_follow_the_schema_and_the_help(vocabulary):
    """实施时间 may be left out, so neither it nor its start is marked; a lesson needs only its text
    (an editor's lesson has no quote), and its quote is asked only for the article's own lessons;
    the choice of who drew the lessons comes before them."""
    nodes = {node.path: node for node in _nodes(form_tree(vocabulary))}
    assert not nodes["period"].required and not nodes["period.start"].required
    assert nodes["region"].required and nodes["region.province"].required and nodes["sources[0].title"].required
    assert nodes["lessons[#].text"].required and not nodes["lessons[#].quote"].required
    assert nodes["lessons[#].quote"].when == "lessons_origin=原文"
    assert nodes["metrics[#].quote"].required  # a figure's quote stays required
    top = [node.path for node in form_tree(vocabulary)]
    assert top.index("lessons_origin") == top.index("lessons") - 1


def test_every_help_says_more_than_its_label(vocabulary):
    """Help that only repeats its label (“做法。”“城乡类型。”“举措的小标题。”) tells a cadre nothing."""
    for node in _nodes(form_tree(vocabulary)):
        said = re.sub(r"[，。：；、\s]", "", node.help.removeprefix(node.label))
        assert len(said) >= 12, (node.path, node.help)
