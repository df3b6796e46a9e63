"""The generated field list the compare page reads: made from the schema and the model."""

import json

from casebook.fields import COMPARED_FIELDS, field_label, fields_script
from casebook.model import DEFAULT_METRIC_KIND, METRIC_KINDS
from casebook.validate import resolved_schema


def _fields(vocabulary) -> dict:
    script = fields_script(vocabulary)
    return json.loads(script[script.index("{"):script.rindex("}") + 1])


def test_compare_fields_carry_the_schema_labels(vocabulary):
    fields = _fields(vocabulary)["fields"]
    assert [f["path"] for f in fields] == list(COMPARED_FIELDS)
    labels = {f["path"]: f["label"] for f in fields}
    assert labels["metrics"] == "数据" and labels["summary"] == "摘要" and labels["practice.actors"] == "参与主体"


def test_metric_kinds_of_the_model_are_the_schema_enum(vocabulary):
    kind = resolved_schema(vocabulary)["properties"]["metrics"]["items"]["properties"]["kind"]
    assert list(METRIC_KINDS) == kind["enum"] and DEFAULT_METRIC_KIND in kind["enum"]


def test_every_figure_of_the_cases_states_its_kind(project):
    import yaml
    for path in sorted(project.cases_dir.glob("*.yaml")):
        for metric in yaml.safe_load(path.read_text(encoding="utf-8")).get("metrics", []):
            assert metric.get("kind") in METRIC_KINDS, (path.name, metric["label"])


def test_field_label_is_the_head_of_the_description(vocabulary):
    assert field_label(resolved_schema(vocabulary), "period") == "实施时间"


def test_compared_sources_show_what_a_reader_knows_them_by(vocabulary):
    """Titles, outlets and dates; never the archive's internal ids or bare web addresses."""
    fields = {f["path"]: f for f in _fields(vocabulary)["fields"]}
    source_fields = resolved_schema(vocabulary)["properties"]["sources"]["items"]["properties"]
    parts = fields["sources"]["parts"]
    assert parts[0] == "title" and set(parts) <= set(source_fields)
    assert "archive" not in parts and "url" not in parts
