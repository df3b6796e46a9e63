"""The one case schema (``case_schema.yaml``), read once, and ways to walk it.

Validation, the model, the exports, the scaffold and the field reference all read the schema
from here, so a field added to the schema reaches every one of them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
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


# --- how each field is shown, printed, searched and compared (the x- keywords of the header) ---

_LABEL_END = re.compile(r"[：，。（]")


def label_of(node: dict) -> str:
    """A field's display name: its ``title``, else the short name its description starts with
    (``数据：原文给出的…`` -> 数据)."""
    return node.get("title") or _LABEL_END.split(node["description"], maxsplit=1)[0]


@dataclass(frozen=True)
class Section:
    """A section of the case page and of the print handout: a top-level field and its macro."""

    name: str      # the field
    title: str     # its heading
    macro: str     # the macro of templates/_sections.j2 that shows its value
    printed: bool  # on paper too (the printed page and the training packs)


def sections(schema: dict | None = None) -> tuple[Section, ...]:
    """The sections of a case, in the schema's order (``x-section``, ``x-print``)."""
    schema = base_schema() if schema is None else schema
    return tuple(Section(name, label_of(prop), prop.get("x-section", "text"), prop.get("x-print", True))
                 for name, prop in schema["properties"].items() if prop.get("x-section", "text") is not False)


def search_weights(schema: dict | None = None) -> dict[str, float]:
    """The weight of each searched top-level field (``x-search``; 1 when not given)."""
    schema = base_schema() if schema is None else schema
    return {name: float(_weight(prop)) for name, prop in schema["properties"].items() if _weight(prop) is not False}


def _weight(prop: dict):
    weight = prop.get("x-search", 1)
    return False if weight is False else weight


def searched_text(name: str, value, synonyms: dict[str, tuple[str, ...]], schema: dict | None = None) -> str:
    """The words of a field's value the search reads: its texts in the schema's order, without
    quotes (they repeat the text beside them) and sub-fields marked ``x-search: false``; a tag
    is read with its synonyms."""
    schema = base_schema() if schema is None else schema
    words: list[str] = []

    def walk(node: dict, value) -> None:
        if value is None or node.get("x-search") is False or node.get("x-format") == "quote":
            return
        if isinstance(value, str):
            if value:
                words.append(value)
            if node.get("x-enum-from") == "tags":
                words.extend(synonyms.get(value, ()))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(node.get("items", {}), item)
        elif isinstance(value, dict):
            for field, prop in object_form(node).get("properties", {}).items():
                walk(prop, value.get(field))
        elif not isinstance(value, (int, float, bool)):  # a group of fields of the model
            for field, prop in object_form(node).get("properties", {}).items():
                walk(prop, getattr(value, field, None))

    walk(schema["properties"][name], value)
    return " ".join(words)


def search_plan(schema: dict | None = None) -> dict:
    """The schema entries of the searched fields as written (weights, sub-fields, opt-outs): the
    search indexes' hashes cover it, so a change of what is searched or how much it counts
    rebuilds them."""
    schema = base_schema() if schema is None else schema
    return {name: prop for name, prop in schema["properties"].items() if _weight(prop) is not False}


def compared_paths(schema: dict | None = None) -> tuple[str, ...]:
    """The rows of the compare page, in the schema's order: each top-level field, or the
    sub-fields its ``x-compare`` lists; none for ``x-compare: false``."""
    schema = base_schema() if schema is None else schema
    paths: list[str] = []
    for name, prop in schema["properties"].items():
        compared = prop.get("x-compare", True)
        if isinstance(compared, list):
            paths += [f"{name}.{field}" for field in compared]
        elif compared is not False:
            paths.append(name)
    return tuple(paths)
