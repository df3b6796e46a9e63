"""A field added to the schema alone, at the top level and under region, is validated, built and
downloaded: nothing else in the code has to learn its name."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
import yaml

from casebook.routes import route
from helpers import EXAMPLE_CASE, copy_project

TOP_LEVEL = {"type": "string", "minLength": 1, "description": "试验用的顶层可选字段。"}
UNDER_REGION = {"type": "string", "minLength": 1, "maxLength": 30, "description": "试验用的村民小组。"}


def _extend(root, region_value: str) -> None:
    """Add the two optional fields to the copy's schema and use them in the example case."""
    schema_path = root / "scripts" / "casebook" / "case_schema.yaml"
    schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["governance_note"] = TOP_LEVEL
    schema["properties"]["region"]["properties"]["village_group"] = UNDER_REGION
    schema_path.write_text(yaml.safe_dump(schema, allow_unicode=True, sort_keys=False), encoding="utf-8")
    case_path = root / "cases" / EXAMPLE_CASE.name
    text = case_path.read_text(encoding="utf-8").replace("region:\n", f"region:\n  village_group: {region_value}\n", 1)
    case_path.write_text(text + "governance_note: 妇联与网格同步议事\n", encoding="utf-8")


def _run(root, *args) -> subprocess.CompletedProcess:
    """A command run with the copy's package (and so the copy's schema) first on the path."""
    env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", *args], cwd=root, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def extended_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("extended") / "project"
    copy_project(root)
    _extend(root, "第三村民小组")
    result = _run(root, "mkdocs", "build", "--strict", "-d", str(root / "site"))
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_added_fields_validate(tmp_path):
    copy_project(tmp_path / "project")
    _extend(tmp_path / "project", "第三村民小组")
    result = _run(tmp_path / "project", "casebook.cli", "validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_added_fields_reach_cases_json(extended_site):
    cases = json.loads((extended_site / route("cases_json")).read_text(encoding="utf-8"))
    (case,) = [c for c in cases if c["id"] == EXAMPLE_CASE.stem]
    assert case["governance_note"] == "妇联与网格同步议事"
    assert case["region"]["village_group"] == "第三村民小组"
    assert list(case["region"]).index("village_group") == len(case["region"]) - 1  # in schema order
    single = json.loads((extended_site / route("case_json", EXAMPLE_CASE.stem)).read_text(encoding="utf-8"))
    assert single == case


def test_added_fields_get_csv_columns(extended_site):
    text = (extended_site / route("cases_csv")).read_text(encoding="utf-8-sig")
    (row,) = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] == EXAMPLE_CASE.stem]
    assert row["governance_note"] == "妇联与网格同步议事" and row["region.village_group"] == "第三村民小组"


def test_added_field_of_the_wrong_type_is_reported_at_its_line(tmp_path):
    root = tmp_path / "project"
    copy_project(root)
    _extend(root, "[一组, 二组]")
    result = _run(root, "casebook.cli", "validate", "--format", "json")
    (problem,) = [found for found in json.loads(result.stdout) if found["severity"] == "error"]
    lines = (root / "cases" / EXAMPLE_CASE.name).read_text(encoding="utf-8").split("\n")
    assert result.returncode == 1 and problem["field"] == "region.village_group"
    assert "应为文字" in problem["message"]
    assert lines[problem["line"] - 1][problem["column"] - 1:].startswith("[一组, 二组]")
