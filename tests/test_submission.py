"""The submission form (GitHub issue form, and the 投稿 page's form) against the case schema."""

import subprocess
import sys

import pytest
import yaml

from casebook.schema import resolved_schema
from casebook.submission import SUBMISSION_LABEL, form_fields
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
    assert sorted(questions) == sorted(expected)
    for name in expected:
        question = questions[name]
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
