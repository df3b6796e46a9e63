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

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache

import yaml

from .project import ISSUE_FORM
from .schema import base_schema, forms, label_of, object_form, resolved_schema, types_of
from .vocabulary import Vocabulary

SUBMISSION_LABEL = "新案例"  # set by the issue form; the intake workflow acts on issues with it
SOURCES = "sources"
SOURCE_PREFIX = "source_"
SOURCE_TEXT = "source_text"
ARCHIVE = "archive"  # the source's archive id: the case's id, set by intake
# The query parameters of GitHub's new-issue address: a field named like one (the case's title)
# is given another id, so that the page's link can fill it in too.
URL_PARAMETERS = ("template", "title", "body", "labels", "assignees", "projects", "milestone")
# Required by the schema, but intake fills it in when the contributor leaves it empty.
GENERATED_WHEN_EMPTY = {"id": "不会写可以不填：提交后按地点和做法名称的拼音自动生成。"}
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
            field_id = f"case_{name}" if name in URL_PARAMETERS else name
            fields.append(_field(field_id, prop, (name,), name in required))
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
#
# The 在线投稿 page asks for no YAML: every part of a case has its own inputs, made here from the
# schema. Each input's ``name`` is the path of its value as the validator prints it
# (``region.province``, ``metrics[0].unit``), with ``[#]`` for the row of a repeatable list, which
# the page numbers. The page builds the case from the names (as `casebook intake` would write it)
# and checks it with ``submission-check``; it sends the answers of ``form_fields`` made from it.

EDITOR_MARKS = ("region", "period", "metrics.period")  # where the page offers “原文没写，是我补充的”
ROW = "[#]"


@dataclass(frozen=True)
class FormNode:
    """One input, group of inputs or repeatable list of the page's form."""

    path: str  # the validator's path, ``[#]`` for a list's row
    label: str
    help: str
    kind: str  # group, list, choices, choice, select, date, number, checkbox, text, textarea
    required: bool = False
    options: tuple = ()  # (value, explanation) pairs; for tags (value, explanation, group, synonyms)
    children: tuple = ()
    example: str = ""
    collapse: bool = False  # a list item whose first form is text: only its text given -> the text
    markable: bool = False  # offers the editor's mark (editor_added)
    when: str = ""  # "field=value": asked only when that choice is made (the schema's ``x-form-when``)
    half: bool = False  # a short answer in a row, two to a line (数值 | 区间上限, 单位 | 限定词)

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def explained(self) -> bool:
        """Whether its options say what they mean (then each is shown on a line of its own)."""
        return any(option[1] for option in self.options)


def form_tree(vocabulary: Vocabulary) -> tuple[FormNode, ...]:
    """The page's form, in the schema's order (``_in_form_order``); the one source as the group
    ``sources[0]``."""
    schema = resolved_schema(vocabulary)
    required = set(schema.get("required", ()))
    nodes = []
    for name, prop in _in_form_order(schema["properties"]):
        if prop.get("x-form") is False or name == "editor_added":
            continue  # editor_added: the marks beside the inputs (EDITOR_MARKS)
        if name == SOURCES:
            item = object_form(prop["items"])
            nodes.append(_group(f"{SOURCES}[0]", prop, {k: v for k, v in item["properties"].items() if k != ARCHIVE},
                                set(item.get("required", ())), vocabulary, name in required))
        else:
            nodes.append(_node(name, prop, name in required, vocabulary))
    return tuple(nodes)


def _in_form_order(properties: dict) -> list[tuple[str, dict]]:
    """The properties in the schema's order, but each with ``x-form-before`` moved before the one it
    names: a choice before what it governs (经验启示的来源), short answers side by side (a figure's 类别
    beside 按什么计)."""
    order = list(properties)
    for name, prop in properties.items():
        if prop.get("x-form-before") in order:
            order.remove(name)
            order.insert(order.index(prop["x-form-before"]), name)
    return [(name, properties[name]) for name in order]


def help_of(prop: dict) -> str:
    """What the page says of a field: its ``x-help``, else its description."""
    return prop.get("x-help") or prop.get("description", "")


def _node(path: str, prop: dict, required: bool, vocabulary: Vocabulary) -> FormNode:
    kinds = types_of(prop)
    label, help_text = label_of(prop), help_of(prop)
    markable = any(path.replace(ROW, "") == mark or path.startswith(mark + ".") for mark in EDITOR_MARKS)
    if "object" in kinds and "array" not in kinds:
        form = object_form(prop)
        return _group(path, prop, form["properties"], set(form.get("required", ())), vocabulary, required)
    if "array" in kinds:
        item = prop["items"]
        if "enum" in item:
            return FormNode(path, label, help_text, "choices", required, _options(item, vocabulary))
        form = object_form(item)
        collapse = "string" in types_of(forms(item)[0])
        # A row that may be text alone (a lesson) needs only its text: the rest is optional.
        item_required = {"text"} if collapse or "object" not in types_of(form) else set(form.get("required", ()))
        children = tuple(_node(f"{path}{ROW}.{name}", sub, name in item_required, vocabulary)
                         for name, sub in _in_form_order(form["properties"]))
        return FormNode(path, label, help_text, "list", required, children=children, collapse=collapse)
    in_row = ROW in path
    if "enum" in prop:
        options = _options(prop, vocabulary)
        # In a row (a figure's 类别, 限定词 …) a list of choices, so that a row fits on a phone's screen.
        kind = "choice" if len(options) <= 9 and not in_row else "select"
        return FormNode(path, label, help_text, kind, required, options, markable=markable, half=in_row)
    if prop.get("x-format") == "partial-date":
        return FormNode(path, label, help_text, "date", required, markable=markable)
    if "number" in kinds:
        return FormNode(path, label, help_text, "number", required, half=in_row)
    if "boolean" in kinds:
        return FormNode(path, label, help_text, "checkbox", required)
    long_text = prop.get("x-multiline") or prop.get("x-format") == "quote" or (ROW in path and "maxLength" not in prop)
    example = prop.get("x-example", "")
    return FormNode(path, label, help_text, "textarea" if long_text and "pattern" not in prop else "text", required,
                    example=str(example) if example != "" and not isinstance(example, (dict, list)) else "",
                    markable=markable, when=prop.get("x-form-when", ""),
                    half=in_row and prop.get("maxLength", 99) <= 10)


def _group(path: str, prop: dict, properties: dict, required: set, vocabulary: Vocabulary,
           group_required: bool) -> FormNode:
    """A group's inputs are required only when the group is: of an optional group (实施时间) none is
    marked, though what is given is checked whole (a period needs its start)."""
    children = tuple(_node(f"{path}.{name}", sub, group_required and name in required, vocabulary)
                     for name, sub in _in_form_order(properties))
    return FormNode(path, label_of(prop), help_of(prop), "group", group_required, children=children)


_EXPLAINED = "{}（([^）]+)）"


def _options(prop: dict, vocabulary: Vocabulary) -> tuple:
    """An enum's values, each with what it means: a tag's or problem's description (and a tag's
    group and synonyms, which the page searches), else the words the description gives it in
    brackets (结果（原文报道已经做到）)."""
    source = prop.get("x-enum-from")
    if source == "tags":
        return tuple((tag.name, tag.description, tag.group, tag.synonyms) for tag in vocabulary.tags)
    if source == "problems":
        return tuple((problem.name, problem.description) for problem in vocabulary.problems)
    description = prop.get("description", "")
    explained = []
    for value in prop["enum"]:
        found = re.search(_EXPLAINED.format(re.escape(str(value))), description)
        explained.append((value, found.group(1) if found else ""))
    return tuple(explained)


def browser_form(vocabulary: Vocabulary) -> dict:
    """What the 投稿 page's script needs besides the form itself: the answers' fields (what is
    sent), the issue form's file name and the provinces' pinyin. The pinyin of the characters a
    place or a practice may be written with comes in submission-rules.js
    (``submission_rules.rules_script``); the ids already taken and the library's place names in
    submission-library.js (``library_script``): they grow with the library, the page must not."""
    sent = ("id", "label", "path", "widget", "multiple")  # what the page sends of each answer
    fields = [{key: value for key, value in field.as_dict().items() if key in sent} for field in form_fields(vocabulary)]
    return {"fields": fields,
            "issueForm": ISSUE_FORM.name, "sourceText": SOURCE_TEXT, "sources": SOURCES,
            "idPattern": base_schema()["properties"]["id"]["pattern"],
            "idMaxLength": base_schema()["properties"]["id"]["maxLength"],
            "idRule": ID_RULE,
            "provinceSlugs": {province.name: province.slug for province in vocabulary.provinces}}


LIBRARY_SCRIPT = "assets/javascripts/submission-library.js"


def library_script(cases: Iterable) -> str:
    """The module "submission-library" of the browser's scripts (casebook.js), loaded by the 投稿
    page only: the ids already taken (a new case's id must differ) and the cities, counties and
    towns the library's cases name, by province (suggested as one types; any other name may be
    typed)."""
    cases = list(cases)
    places: dict[str, dict[str, set[str]]] = {}
    for case in cases:
        levels = places.setdefault(case.region.province, {"city": set(), "county": set(), "town": set()})
        for level, names in levels.items():
            if getattr(case.region, level):
                names.add(getattr(case.region, level))
    library = {"takenIds": sorted({case.id for case in cases}),
               "places": {province: {level: sorted(names) for level, names in levels.items()}
                          for province, levels in places.items()}}
    text = json.dumps(library, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return ("// Generated at build time by casebook.submission from the library's cases; do not edit.\n"
            f"casebook.provide(\"submission-library\", {text});\n")


# The case's id: the place and the practice in pinyin (jiande-sandu-meihao-zhangben), made by one
# rule here and in the page (submit.js ``caseId``, from ``ID_RULE``); tests run both on the same names.
ID_RULE = {
    # Administrative suffixes a place name drops (郑州高新技术产业开发区 -> 郑州, 五通街道办事处 -> 五通),
    # longest first, again and again, as long as two characters remain.
    "suffixes": ["高新技术产业开发区", "经济技术开发区", "经济开发区", "自治县", "自治州", "自治旗", "开发区",
                 "办事处", "街道", "地区", "新区", "社区", "市", "县", "区", "镇", "乡", "旗", "盟", "村"],
    "maxLength": 40,  # the id aimed at; a word is never cut to reach it
    "practiceWords": 4,  # at most this many words of the practice's name (two syllables a word)
}


def bare_place(name: str) -> str:
    """A place's name without its administrative suffixes: 建德市 -> 建德, 五通街道办事处 -> 五通."""
    name = name.strip()
    while True:
        suffix = next((end for end in ID_RULE["suffixes"] if name.endswith(end) and len(name) - len(end) >= 2), None)
        if not suffix:
            return name
        name = name[:-len(suffix)]


def pinyin_words(text: str, pairs: bool) -> list[str]:
    """``text`` in pinyin words: each run of Chinese one word (建德: jiande), or, with ``pairs``,
    words of two syllables (美好账本: meihao, zhangben); letters and digits kept as words."""
    table = _syllables()
    words: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+", text):
        if run.isascii():
            words.append(run.lower())
            continue
        syllables = [table[ch] for ch in run if ch in table]
        size = 2 if pairs else max(1, len(syllables))
        words += ["".join(syllables[i:i + size]) for i in range(0, len(syllables), size)]
    return [word for word in words if word]


def case_id_stem(region: dict, practice_name: str, province_slug: str = "") -> str:
    """The id a case is given when none is typed: its county (else city, else ``province_slug``)
    and town without their suffixes, then the first words of its practice's name, as long as the
    whole stays within ``ID_RULE["maxLength"]`` (the town is left out before the practice's first
    word). Never cut inside a word."""
    def place(level: str) -> list[str]:
        return pinyin_words(bare_place(str(region.get(level) or "")), False)
    where = place("county") or place("city") or ([province_slug] if province_slug else [])
    town = place("town")
    practice = pinyin_words(practice_name, True)[:ID_RULE["practiceWords"]]
    fits = lambda words: len("-".join(words)) <= ID_RULE["maxLength"]  # noqa: E731
    if town and practice and not fits(where + town + practice[:1]):
        town = []
    words = where + town
    for word in practice:
        if words and not fits([*words, word]):
            break
        words.append(word)
    return "-".join(words)


@lru_cache(maxsize=1)
def _syllables() -> dict[str, str]:
    return {character: syllable for syllable, characters in pinyin_table().items() for character in characters}


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, str]:
    """{syllable: the characters read so} for the 6,763 characters of GB 2312: each by the reading
    it has most often in pypinyin's words (都 as in 首都, 成都: du; 长 as in 长者: chang), else its
    reading alone. Enough for place names and a practice's name; a character not in it is left
    out of the id, which the contributor may edit."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    in_words: dict[str, Counter] = defaultdict(Counter)
    for phrase, readings in PHRASES_DICT.items():
        if len(phrase) == len(readings):
            for character, reading in zip(phrase, readings, strict=True):
                in_words[character][_toneless(reading[0])] += 1
    table: dict[str, str] = {}
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                character = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            common = in_words[character].most_common(1)
            alone = lazy_pinyin(character, style=Style.NORMAL, errors="ignore")
            syllable = common[0][0] if common else _toneless(alone[0]) if alone else ""
            if syllable.isascii() and syllable.isalpha():
                table[syllable] = table.get(syllable, "") + character
    return table


@lru_cache(maxsize=None)  # a few thousand readings, each met hundreds of times in pypinyin's words
def _toneless(reading: str) -> str:
    """zhǎng -> zhang, lǜ -> lv."""
    decomposed = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
