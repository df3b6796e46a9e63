"""The fields of a case that the browser shows side by side (the compare page), described once.

compare.js knows no field names, labels or words of its own: it reads the generated
``assets/javascripts/fields.js``, made here from the schema (its rows are the fields' ``x-compare``,
their labels the fields' display names), and shows the words each case's JSON carries for a
figure and a period (the model's ``DISPLAY_TEXTS``, shipped by casebook.export).
"""

from __future__ import annotations

import json

from .model import LESSON_ORIGIN_BADGES, METRIC_KINDS, UNQUOTED
from .schema import compared_paths, label_of, object_form
from .validate import resolved_schema
from .vocabulary import Vocabulary

FIELDS_SCRIPT = "assets/javascripts/fields.js"

# Fields compared, in the schema's order (the fields' ``x-compare``). Paths into a case's JSON record.
COMPARED_FIELDS = compared_paths()

# What a list field shows of each record: a source's archive id and web address mean nothing
# side by side (the case page links them); every other record shows all it has.
LIST_PARTS = {"sources": ("title", "publisher", "date")}


def field_label(schema: dict, path: str) -> str:
    """The display name of the field at ``path`` (``practice.actors`` -> 参与主体)."""
    node = schema
    for name in path.split("."):
        node = node["properties"][name]
    return label_of(node)


def _item_fields(schema: dict, path: str) -> dict:
    """The fields of an item of the list at ``path`` (``outcomes`` -> text, status, quote)."""
    node = schema
    for name in path.split("."):
        node = object_form(node).get("properties", {}).get(name, {})
    return object_form(node.get("items", {})).get("properties", {})


def fields_script(vocabulary: Vocabulary) -> str:
    """The module ``fields`` of the browser's scripts (casebook.js): the compared fields with their
    labels, the kinds of figure and the words for an outcome's status."""
    schema = resolved_schema(vocabulary)
    fields = {
        "fields": [{"path": path, "label": field_label(schema, path), "parts": LIST_PARTS.get(path)}
                   for path in COMPARED_FIELDS],
        "metricKinds": list(METRIC_KINDS),
        # Lists whose items say how far the source says they got (outcomes): compare shows the
        # status before each, and the plain-text form as UNQUOTED.
        "statusFields": [path for path in COMPARED_FIELDS if "status" in _item_fields(schema, path)],
        "unquoted": UNQUOTED,
        "quoteWord": "原文",  # before an item's quote: （原文：“…”）
        # Whose lessons a case's lessons are, badged as the case page badges them (_sections.j2):
        # the editors' prompts are their view, never mixed unmarked with a report's own lessons.
        "origins": {"lessons": {"field": "lessons_origin", "badges": LESSON_ORIGIN_BADGES}},
    }
    return ("// Generated at build time by casebook.fields from case_schema.yaml and the model;\n"
            "// do not edit. compare.js reads its fields, labels and words from here.\n"
            f"casebook.provide(\"fields\", {json.dumps(fields, ensure_ascii=False, sort_keys=True, indent=1)});\n")
