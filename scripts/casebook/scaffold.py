"""`casebook new`: a commented case file, written from the schema, that already validates except
for what is left to fill.

Every field of the schema appears in its order, under a comment made from its description,
allowed values and `x-example` (the same note as the field reference in CONTRIBUTING.md).
Required fields are left empty, so `casebook validate` reports them until they are filled in;
optional single values are commented out with their example; `x-multiline` fields are folded
blocks (`>`), in which a blank line starts a new paragraph.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .project import Project
from .reference import field_note
from .schema import base_schema, types_of
from .vocabulary import Vocabulary

HEADER = """\
# yaml-language-server: $schema=../schema/case.schema.json
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


def case_template(known: dict[tuple, str]) -> str:
    """The scaffold's text, with the values already ``known`` (by field path) filled in."""
    lines: list[str] = []
    _object_lines(base_schema(), (), 0, known, lines)
    return HEADER + "\n".join(lines) + "\n"


def _object_lines(node: dict, path: tuple, indent: int, known: dict, lines: list[str]) -> None:
    required = set(node.get("required", ()))
    for index, (name, prop) in enumerate(node.get("properties", {}).items()):
        pad = " " * indent
        # The first field of a list item goes on the item's "- " line, its comment above the dash.
        item_start = index == 0 and path and path[-1] == 0
        comment_pad = " " * (indent - 2) if item_start else pad
        lead = comment_pad + "- " if item_start else pad
        field_path = path + (name,)
        note = field_note(prop)
        if note:
            lines.append(f"{comment_pad}# {note}")
        kinds = types_of(prop)
        if "object" in kinds:
            lines.append(f"{lead}{name}:")
            _object_lines(prop, field_path, indent + 2, known, lines)
        elif "array" in kinds:
            lines.append(f"{lead}{name}:")
            item = prop.get("items", {})
            if "object" in types_of(item):
                _object_lines(item, field_path + (0,), indent + 4, known, lines)
            else:
                lines.append(f"{pad}  -")
        elif field_path in known:
            lines.append(f"{lead}{name}: {_scalar(known[field_path])}")
        elif name in required:
            lines.append(f"{lead}{name}:{' >' if prop.get('x-multiline') else ''}")
        else:
            example = prop.get("x-example", "")
            lines.append(f"{pad}# {name}: {_scalar(str(example)) if example != '' else ''}".rstrip())


def _scalar(value: str) -> str:
    """A YAML scalar for ``value``, quoted when needed."""
    return yaml.safe_dump(value, allow_unicode=True, width=1000).strip().removesuffix("...").strip()
