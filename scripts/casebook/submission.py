"""The submission form: what a contributor who does not use git fills in, derived from the schema.

One list of fields (``form_fields``) makes the GitHub issue form (``issue_form``, written by
`casebook schema`), the 在线投稿 page's form in the browser (``browser_form``) and the reading of both
by `casebook intake`; a field marked ``x-form: false`` is left out. Each field's id is the schema
property's name, its label the field's display name (``schema.label_of``), its help text the
description, its choices the enum or the vocabulary, its required mark the schema's ``required``.
Groups and lists (region, practice, metrics, outcomes …) are YAML text areas showing the property's
``x-example``. The case's one source is the article the contributor pastes: its fields are
``source_<name>`` (from the properties of a ``sources`` item) and ``source_text``, which becomes the
archive file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import yaml

from .project import ISSUE_FORM
from .schema import label_of, resolved_schema, types_of
from .vocabulary import Vocabulary

SUBMISSION_LABEL = "新案例"  # set by the issue form; the intake workflow acts on issues with it
SOURCES = "sources"
SOURCE_PREFIX = "source_"
SOURCE_TEXT = "source_text"
ARCHIVE = "archive"  # the source's archive id: the case's id, set by intake
# Required by the schema, but intake fills it in when the contributor leaves it empty.
GENERATED_WHEN_EMPTY = {"id": "不会写可以不填：提交后按省份和标题自动生成。"}
_YAML_NOTE = "按示例的格式填写（YAML）：“字段: 值”的冒号后加空格，列表每项以“- ”开头，缩进用空格。"
_SOURCE_TEXT_NOTE = ("把报道全文粘贴在这里（删去网页导航、广告等与文章无关的内容）。"
                     "每条数据和成效的原话（quote）都要在这里一字不改地找到。")


@dataclass(frozen=True)
class FormField:
    """One question of the submission form."""

    id: str
    label: str
    description: str
    widget: str  # "input", "textarea" (text with paragraphs), "dropdown", "yaml"
    required: bool
    options: tuple[str, ...] = ()
    multiple: bool = False  # a dropdown that allows several choices (a list of enum values)
    example: str = ""
    path: tuple = ()  # where the answer goes in the case file; () for the article's text
    pattern: str = ""  # the schema's pattern for a one-line answer (checked in the browser too)
    date: bool = False  # a partial date (YYYY, YYYY-MM, YYYY-MM-DD): real and not in the future

    def as_dict(self) -> dict:
        return {**asdict(self), "options": list(self.options), "path": list(self.path)}


def form_fields(vocabulary: Vocabulary) -> tuple[FormField, ...]:
    """Every field of the form, in the schema's order; the source's fields where ``sources`` is."""
    schema = resolved_schema(vocabulary)
    required = set(schema.get("required", ()))
    fields: list[FormField] = []
    for name, prop in schema["properties"].items():
        if prop.get("x-form") is False:
            continue
        if name == SOURCES:
            fields += _source_fields(prop)
        else:
            fields.append(_field(name, prop, (name,), name in required))
    return tuple(fields)


def _source_fields(sources: dict) -> list[FormField]:
    item = sources["items"]
    required = set(item.get("required", ()))
    head = label_of(sources)
    fields = [_field(f"{SOURCE_PREFIX}{name}", prop, (SOURCES, 0, name), name in required, f"{head}：")
              for name, prop in item["properties"].items() if name != ARCHIVE]
    fields.append(FormField(SOURCE_TEXT, f"{head}：报道原文", _SOURCE_TEXT_NOTE, "textarea", True))
    return fields


def _field(field_id: str, prop: dict, path: tuple, required: bool, label_prefix: str = "") -> FormField:
    kinds = types_of(prop)
    description = prop.get("description", "")
    example = prop.get("x-example", "")
    options: tuple[str, ...] = ()
    multiple = False
    if "object" in kinds or ("array" in kinds and "enum" not in prop.get("items", {})):
        widget, description = "yaml", description + _YAML_NOTE
        example = dump_yaml(example) if example != "" else ""
    elif "array" in kinds:
        widget, options, multiple = "dropdown", tuple(prop["items"]["enum"]), True
    elif "enum" in prop:
        widget, options = "dropdown", tuple(prop["enum"])
    else:
        widget = "textarea" if prop.get("x-multiline") else "input"
    if field_id in GENERATED_WHEN_EMPTY:
        required, description = False, description + GENERATED_WHEN_EMPTY[field_id]
    return FormField(field_id, label_prefix + label_of(prop), description.strip(), widget, required,
                     options, multiple, str(example), path, prop.get("pattern", "") if widget == "input" else "",
                     prop.get("x-format") == "partial-date")


class _ReadableDumper(yaml.SafeDumper):
    """Text with line breaks as literal blocks (``|``), as a person would write it."""


_ReadableDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def dump_yaml(data) -> str:
    """YAML for people: keys in their given order, Chinese as is, no line wrapped."""
    return yaml.dump(data, Dumper=_ReadableDumper, allow_unicode=True, sort_keys=False, width=4096)


# --- the GitHub issue form --------------------------------------------------------------------

ISSUE_FORM_HEADER = """\
# Generated by `casebook schema` from scripts/casebook/case_schema.yaml and data/; do not edit.
# `casebook intake` reads the issues made with it (.github/workflows/intake.yml).
"""


def issue_form(vocabulary: Vocabulary) -> str:
    """The GitHub issue form (``Project.issue_form_path``)."""
    body: list[dict] = [{"type": "markdown", "attributes": {"value": (
        "不熟悉 git 也可以用这个表单投稿。提交后，检查程序会自动核对每一项（包括数据和成效的原话是否能在原文中找到）："
        "通过时自动生成案例文件并发起合并请求，由维护者审阅；有问题时会在这里留言，逐条写明要改哪一栏，"
        "改好后编辑本条 issue 即可重新检查。也可以先在网站的“投稿”页填写表单，检查通过后再来这里提交。")}}]
    for field in form_fields(vocabulary):
        attributes: dict = {"label": field.label, "description": field.description}
        if field.widget == "dropdown":
            attributes["options"] = list(field.options)
            if field.multiple:
                attributes["multiple"] = True
        elif field.example:
            attributes["placeholder"] = field.example
        if field.widget == "yaml":
            attributes["render"] = "yaml"
        item = {"type": {"input": "input", "dropdown": "dropdown"}.get(field.widget, "textarea"),
                "id": field.id, "attributes": attributes}
        if field.required:
            item["validations"] = {"required": True}
        body.append(item)
    form = {"name": "提交案例", "description": "不熟悉 git 也可以用这个表单提交基层治理案例，检查程序会自动核对并生成案例文件。",
            "title": "[案例] ", "labels": [SUBMISSION_LABEL], "body": body}
    return ISSUE_FORM_HEADER + dump_yaml(form)


# --- the browser form ---------------------------------------------------------------------------

def browser_form(vocabulary: Vocabulary) -> dict:
    """What the 投稿 page's script needs besides the form itself: each field's checks, the issue
    form's file name and the tag synonyms to suggest from."""
    return {"fields": [field.as_dict() for field in form_fields(vocabulary)],
            "issueForm": ISSUE_FORM.name, "sourceText": SOURCE_TEXT,
            "synonyms": {synonym: tag.name for tag in vocabulary.tags for synonym in tag.synonyms}}
