"""`casebook new` writes its template from the schema: every field, in order, under its note."""

import copy

import yaml

from casebook.scaffold import case_template
from casebook.schema import base_schema


def _names(node: dict):
    for name, prop in node.get("properties", {}).items():
        yield name, prop
        yield from _names(prop.get("items", prop))


def test_every_schema_field_is_in_the_template_with_its_allowed_values_and_example():
    text = case_template({})
    for name, prop in _names(base_schema()):
        assert f"{name}:" in text, name
        for value in prop.get("enum", []):
            assert f"`{value}`" in text, value
        if not isinstance(prop.get("x-example", ""), (dict, list)):  # a group's example is the forms'
            assert str(prop.get("x-example", "")) in text, name


def test_multiline_fields_are_folded_blocks():
    text = case_template({})
    for name, prop in _names(base_schema()):
        if prop.get("x-multiline"):
            assert f"{name}: >\n" in text, name


def test_known_values_are_filled_and_the_template_is_yaml_of_the_schema_shape():
    data = yaml.safe_load(case_template({("title",): "晋江市：网格+妇联", ("sources", 0, "title"): "推行“网格+妇联”"}))
    assert data["title"] == "晋江市：网格+妇联" and data["sources"] == [{"title": "推行“网格+妇联”", "publisher": None}]
    assert set(data["region"]) == {"province", "setting"} and "town" not in data["region"]  # optional: commented


def test_an_optional_first_field_of_a_list_item_keeps_the_item_together():
    schema = copy.deepcopy(base_schema())
    item = schema["properties"]["sources"]["items"]
    item["properties"] = {"archive": {"type": "string", "x-example": "a.html"}, **item["properties"]}
    data = yaml.safe_load(case_template({}, schema))
    assert data["sources"] == [{"title": None, "publisher": None}]
