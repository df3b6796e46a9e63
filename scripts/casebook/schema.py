"""The one case schema (``case_schema.yaml``), read once, and ways to walk it.

Validation, the model, the exports, the scaffold and the field reference all read the schema
from here, so a field added to the schema reaches every one of them.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from .vocabulary import Vocabulary

SCHEMA_PATH = Path(__file__).with_name("case_schema.yaml")


@lru_cache(maxsize=1)
def base_schema() -> dict:
    """The schema as written, before the vocabularies fill in ``x-enum-from``."""
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


def resolved_schema(vocabulary: Vocabulary, schema: dict | None = None) -> dict:
    """The schema with every ``x-enum-from`` replaced by the vocabulary's values as ``enum``."""
    schema = copy.deepcopy(base_schema() if schema is None else schema)

    def fill(node):
        if isinstance(node, dict):
            if "x-enum-from" in node:
                node["enum"] = vocabulary.enum_for(node["x-enum-from"])
            for value in node.values():
                fill(value)
        elif isinstance(node, list):
            for value in node:
                fill(value)

    fill(schema)
    return schema


def node_at(schema: dict, parts: tuple) -> dict:
    """The schema node that describes the data at ``parts`` (``("metrics", 0, "value")``); {} if none.

    A field inside a value of two forms (``outcomes[0].status``) is looked up in its object form.
    """
    node = schema
    for part in parts:
        node = node.get("items", {}) if isinstance(part, int) else object_form(node).get("properties", {}).get(part, {})
    return node


def forms(node: dict) -> list[dict]:
    """The forms a value may take: the branches of a ``oneOf`` (the preferred form first), else
    the node itself."""
    return node.get("oneOf") or [node]


def object_form(node: dict) -> dict:
    """The form of ``node`` that is a group of fields (the node itself when it has no forms)."""
    return next((form for form in forms(node) if "object" in _own_types(form)), node)


def form_of(node: dict, value) -> dict:
    """The form of ``node`` that describes ``value`` (a text or a group of fields); the node
    itself when no form has the value's type."""
    kind = "object" if isinstance(value, dict) else "string" if isinstance(value, str) else None
    return next((form for form in forms(node) if kind in _own_types(form)), node)


def types_of(node: dict) -> list[str]:
    """The JSON types a node allows, as a list (``type: string`` -> ``["string"]``), in all its forms."""
    return [kind for form in forms(node) for kind in _own_types(form)]


def _own_types(node: dict) -> list[str]:
    kind = node.get("type", [])
    return kind if isinstance(kind, list) else [kind]


def quote_paths(schema: dict, parts: tuple = ()) -> list[tuple]:
    """Where the case's verbatim quotes are (``x-format: quote``), as paths with 0 standing for
    every item of a list: ``[("practice", "measures", 0, "quote"), ("metrics", 0, "quote"), …]``."""
    found = []
    for name, prop in object_form(schema).get("properties", {}).items():
        path = parts + (name,)
        if prop.get("x-format") == "quote":
            found.append(path)
        found += quote_paths(prop, path)
        if "items" in prop:
            found += quote_paths(prop["items"], path + (0,))
    return found
