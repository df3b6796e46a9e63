"""The model classes and the schema agree, at every level; schema fields the classes do not name
are kept and read like attributes."""

import dataclasses
import types
import typing

import pytest

from casebook.catalog import read_catalog
from casebook.model import TEXT_FIELD, Metric, Region, field_types, model_tree, read_fields, schema_node
from casebook.schema import base_schema, node_at, object_form, types_of


def _compatible(hint, node: dict) -> bool:
    """Whether a Python annotation can hold every value the schema node allows."""
    allowed = set(types_of(node))
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if all(arg in (int, float) for arg in members):
            return allowed <= {"number", "integer"}
        (member,) = members
        return _compatible(member, node)
    if typing.get_origin(hint) is tuple:
        return allowed == {"array"} and _compatible(typing.get_args(hint)[0], node.get("items", {}))
    if dataclasses.is_dataclass(hint):  # a group of fields, which may also be written as plain text
        return allowed - {"string"} == {"object"} and schema_node(hint) is object_form(node)
    if hint is str:  # partial dates may be written as integers; the model keeps them as text
        return "string" in allowed and allowed <= {"string", "integer"}
    return {bool: {"boolean"}, int: {"integer"}}.get(hint) == allowed


@pytest.mark.parametrize("cls", sorted(model_tree(), key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_every_model_field_is_a_schema_property_of_a_compatible_type(cls):
    node, hints = schema_node(cls), field_types(cls)
    properties, required = node["properties"], set(node.get("required", ()))
    if "string" in types_of(node_at(base_schema(), model_tree()[cls])):
        required = {TEXT_FIELD}  # written as plain text, it has its text alone
    for item in read_fields(cls):
        assert item.name in properties, f"{cls.__name__}.{item.name} is not in case_schema.yaml"
        assert _compatible(hints[item.name], properties[item.name]), f"{cls.__name__}.{item.name}"
        has_default = item.default is not dataclasses.MISSING or item.default_factory is not dataclasses.MISSING
        assert has_default == (item.name not in required), f"{cls.__name__}.{item.name}: required differs"


def _instances(value, found: dict) -> dict:
    """Every model object inside ``value``, by class."""
    if isinstance(value, (tuple, list)):
        for item in value:
            _instances(item, found)
    elif type(value) in model_tree():
        found.setdefault(type(value), value)
        for item in dataclasses.fields(value):
            _instances(getattr(value, item.name), found)
    return found


def test_every_schema_property_at_every_level_reads_from_the_model(project):
    """Vice versa: each property the schema declares is an attribute of the model object, named
    by the class or kept in ``extra`` (absent optional ones read as their default or None)."""
    found: dict = {}
    for case in read_catalog(project).cases:
        _instances(case, found)
    assert set(found) == set(model_tree())
    for cls, instance in found.items():
        for name in schema_node(cls)["properties"]:
            getattr(instance, name)


def test_fields_read_as_attributes(project):
    case = next(c for c in read_catalog(project).cases if c.period and c.metrics)
    assert case.region.province and isinstance(case.region, Region) and isinstance(case.metrics[0], Metric)
    assert case.id == case.source_path.rsplit("/", 1)[-1].removesuffix(".yaml")
    with pytest.raises(AttributeError, match="not in case_schema.yaml"):
        _ = case.region.villlage


def test_a_case_is_hashable_and_pickles(project):
    import pickle

    case = read_catalog(project).cases[0]
    assert hash(case) == hash(pickle.loads(pickle.dumps(case))) and pickle.loads(pickle.dumps(case)) == case
