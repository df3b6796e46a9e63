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
    """The schema node that describes the data at ``parts`` (``("metrics", 0, "value")``); {} if none."""
    node = schema
    for part in parts:
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    return node


def types_of(node: dict) -> list[str]:
    """The JSON types a node allows, as a list (``type: string`` -> ``["string"]``)."""
    kind = node.get("type", [])
    return kind if isinstance(kind, list) else [kind]
