"""`casebook new`: a commented case file, written from the schema, that already validates except
for what is left to fill.

Every field of the schema appears in its order, under a comment made from its description,
allowed values and `x-example` (the same note as the field reference in CONTRIBUTING.md).
Required fields are left empty, so `casebook validate` reports them until they are filled in;
optional values and lists of values are commented out (with their example); optional groups of
fields (period, metrics) are written out, to be filled or deleted; `x-multiline` fields are
folded blocks (`>`), in which a blank line starts a new paragraph.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .project import Project
from .reference import field_note
from .schema import base_schema, forms, types_of
from .vocabulary import Vocabulary

# The first line of a case file: editors that read it check and complete the file as one types.
HEADER_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/case.schema.json"
HEADER = HEADER_SCHEMA_LINE + """
# 新案例模板：按注释填写空着的字段，然后运行 casebook validate 检查。
# 以“# 字段名:”开头的是可选字段，用到时删掉行首的“# ”；用不到的可选部分整段删掉。
# 字段说明见 CONTRIBUTING.md；完整的例子见 cases/jinjiang-grid-womens-groups.yaml。
"""


def new_case_id(project: Project, vocabulary: Vocabulary, province: str, *parts: str) -> str:
    """``<province slug>-<short hash>``: ASCII, stable for the same input, unique in cases/."""
    stem = f"{vocabulary.province(province).slug}-{hashlib.sha1('|'.join(parts).encode()).hexdigest()[:6]}"
    candidate, counter = stem, 2
    while (project.cases_dir / f"{candidate}.yaml").exists():
        candidate, counter = f"{stem}-{counter}", counter + 1
    return candidate


def write_new_case(project: Project, case_id: str, *, title: str, province: str, city: str = "",
                   county: str = "", source: str = "") -> Path:
    path = project.cases_dir / f"{case_id}.yaml"
    if path.exists():
        raise FileExistsError(path)
    known = {("id",): case_id, ("title",): title, ("region", "province"): province, ("region", "city"): city,
             ("region", "county"): county, ("sources", 0, "title"): source}
    path.write_text(case_template({path: value for path, value in known.items() if value}), encoding="utf-8")
    return path


def case_template(known: dict[tuple, str], schema: dict | None = None) -> str:
    """The scaffold's text, with the values already ``known`` (by field path) filled in."""
    lines: list[str] = []
    _object_lines(base_schema() if schema is None else schema, (), 0, known, lines)
    return HEADER + "\n".join(lines) + "\n"


def _object_lines(node: dict, path: tuple, indent: int, known: dict, lines: list[str]) -> None:
    required = set(node.get("required", ()))
    pad = " " * indent
    # In a list item, the first field written (not commented out) goes on the item's "- " line.
    dash_pending = bool(path) and path[-1] == 0
    for name, prop in node.get("properties", {}).items():
        comment_pad = pad[:-2] if dash_pending else pad
        field_path, kinds = path + (name,), types_of(prop)
        # A list item of two forms is written in the preferred one (an outcome with its quote).
        item = forms(prop.get("items", {}))[0]
        optional_value = name not in required and field_path not in known and not (
            "object" in kinds or "object" in types_of(item))
        lead = pad if optional_value or not dash_pending else comment_pad + "- "
        dash_pending = dash_pending and optional_value
        note = field_note(prop)
        if note:
            lines.append(f"{comment_pad}# {note}")
        if "object" in kinds:
            lines.append(f"{lead}{name}:")
            _object_lines(prop, field_path, indent + 2, known, lines)
        elif "array" in kinds and "object" in types_of(item):
            lines.append(f"{lead}{name}:")
            _object_lines(item, field_path + (0,), indent + 4, known, lines)
        elif "array" in kinds:
            mark = "# " if optional_value else ""
            lines += [f"{lead}{mark}{name}:", f"{pad}{mark}  -"]
        elif field_path in known:
            lines.append(f"{lead}{name}: {yaml_scalar(known[field_path])}")
        elif not optional_value:
            lines.append(f"{lead}{name}:{' >' if prop.get('x-multiline') else ''}")
        else:
            example = prop.get("x-example", "")
            lines.append(f"{pad}# {name}: {yaml_scalar(str(example)) if example != '' else ''}".rstrip())


def yaml_scalar(value: str | int | float) -> str:
    """A YAML scalar for ``value``, quoted when needed."""
    return yaml.safe_dump(value, allow_unicode=True, width=1000).strip().removesuffix("...").strip()
