"""Documents derived from the case schema: the editor's JSON Schema, the field reference and (from
submission) the issue form.

Both are committed so contributors see them without running anything; `casebook schema`
rewrites them and `casebook schema --check` (run by the tests) fails when they drifted.
"""

from __future__ import annotations

import json
import re

from .project import Project
from .schema import object_form, resolved_schema, types_of
from .submission import issue_form
from .vocabulary import Vocabulary, load_vocabulary

REFERENCE_START = "<!-- 字段说明：由 casebook schema 根据 case_schema.yaml 生成，请勿手改 -->"
REFERENCE_END = "<!-- 字段说明结束 -->"
ENUM_FILES = {"tags": "data/taxonomy.yaml", "provinces": "data/provinces.yaml",
              "problems": "data/taxonomy.yaml 的 problems"}
_TYPE_LABELS = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否",
                "object": "字段组", "array": "列表"}


def editor_schema(vocabulary: Vocabulary) -> str:
    """JSON Schema for editors (yaml-language-server): our ``x-`` keywords removed."""
    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if not k.startswith("x-")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(resolved_schema(vocabulary)), ensure_ascii=False, indent=2) + "\n"


def field_reference(vocabulary: Vocabulary) -> str:
    """A Markdown table of every field: name, type, required, description."""
    schema = resolved_schema(vocabulary)
    rows = ["| 字段 | 类型 | 必填 | 说明 |", "| --- | --- | --- | --- |"]
    _reference_rows(schema, "", rows)
    return "\n".join(rows) + "\n"


def _reference_rows(schema: dict, prefix: str, rows: list[str]) -> None:
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        kinds = types_of(prop) or ["string"]
        label = "日期" if prop.get("x-format") == "partial-date" else "或".join(_TYPE_LABELS[k] for k in kinds)
        description = field_note(prop)
        if "minItems" in prop:
            description += f" 至少 {prop['minItems']} 项。"
        rows.append(f"| `{path}` | {label} | {'是' if name in required else ''} | {description.strip()} |")
        if "object" in kinds:
            _reference_rows(prop, f"{path}.", rows)
        elif "array" in kinds and "object" in types_of(prop.get("items", {})):
            _reference_rows(object_form(prop["items"]), f"{path}[].", rows)


def field_note(prop: dict) -> str:
    """A field's description, its allowed values (or the file they come from) and its example."""
    note = prop.get("description", "")
    if "enum" in prop and prop.get("x-enum-from") is None:
        note += " 可选：" + "、".join(f"`{v}`" for v in prop["enum"])
    enum_source = prop.get("items", {}).get("x-enum-from") or prop.get("x-enum-from")
    if enum_source:
        note += f"（取值见 {ENUM_FILES[enum_source]}）"
    # A group's or a list's example is a whole YAML block: the submission forms show it.
    if "x-example" in prop and not isinstance(prop["x-example"], (dict, list)):
        note += f" 例：`{prop['x-example']}`"
    return note


def with_reference(document: str, reference: str) -> str:
    """``document`` with the text between the reference markers replaced by ``reference``."""
    pattern = re.compile(re.escape(REFERENCE_START) + ".*?" + re.escape(REFERENCE_END), re.S)
    if not pattern.search(document):
        raise ValueError(f"找不到字段说明的标记 {REFERENCE_START}")
    return pattern.sub(lambda _: f"{REFERENCE_START}\n\n{reference}\n{REFERENCE_END}", document)


def files_from_schema(project: Project) -> dict:
    """What `casebook schema` writes, from the schema and the project's taxonomy: the editor
    schema, the GitHub issue form and the field reference in CONTRIBUTING.md, by path."""
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    return {
        project.editor_schema_path: editor_schema(vocabulary),
        project.issue_form_path: issue_form(vocabulary),
        project.contributing_path: with_reference(project.contributing_path.read_text(encoding="utf-8"),
                                                  field_reference(vocabulary)),
    }
