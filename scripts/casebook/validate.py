"""Stage 2: loaded files -> problems, by the rules of the one case schema.

The structural rules (types, required fields, enums, patterns, lengths) are checked by the
``jsonschema`` library against ``case_schema.yaml``; ``_SchemaMessages`` only turns each of its
errors into a Chinese message at the field's line and column. The rules no schema language
expresses well (the id matches the file name, dates are real, in order and not in the future,
a metric's quote states its value with its unit, qualifier and range as the quote writes them
(read by ``numerals``), ids are unique and not a name the site uses, text is not blank and holds
no markup) follow in ``_CaseRules``; the rules for text and dates alone (``_ValueRules``) check an
archived source's front matter too (``schema_problems``). Every rule adds a Problem and goes on, so one run reports everything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re

from jsonschema import Draft202012Validator, ValidationError

from .load import LoadedFile
from .model import metric_qualifiers
from .numerals import AMBIGUOUS_BEFORE_TIME, CUMULATIVE, WrittenFigure, same_number, written_figures
from .problems import DRAFT_PLACEHOLDER, Problem, field_path
from .routes import RESERVED_NAMES
from .schema import form_of, forms, node_at, resolved_schema, types_of
from .vocabulary import Vocabulary

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
# What a browser would read as the start of a tag, a closing tag, a comment or a doctype.
_MARKUP = re.compile(r"<[A-Za-z/!][^<>\s]{0,20}")
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "object": "一组字段（键: 值）", "array": "列表（每项以 - 开头）", "null": "空"}
DATE_HINT = "写成 2024、2024-10 或 2024-10-15，月份 1–12，日期要存在"


def validate_files(loaded_files: list[LoadedFile], vocabulary: Vocabulary,
                   today: dt.date | None = None, schema: dict | None = None) -> list[Problem]:
    """All problems in all files, including ids used by more than one file.

    ``schema`` is the case schema as written (default: ``case_schema.yaml``).
    """
    today = today or dt.date.today()
    if schema is None:
        schema, validator = _schema_validator(vocabulary)
    else:
        schema = resolved_schema(vocabulary, schema)
        validator = Draft202012Validator(schema)
    problems: list[Problem] = []
    first_file_for_id: dict[str, LoadedFile] = {}
    for loaded in loaded_files:
        problems.extend(loaded.problems)
        if loaded.data is None:
            continue
        report = _Reporter(loaded)
        _SchemaMessages(report).add(validator.iter_errors(loaded.data))
        _CaseRules(report, schema, today).check(loaded.data)
        case_id = loaded.data.get("id") if isinstance(loaded.data, dict) else None
        if isinstance(case_id, str):
            if case_id in first_file_for_id:
                report(("id",), f"id “{case_id}”已被 {first_file_for_id[case_id].display_path} 使用",
                       "每个案例的 id 必须唯一，请换一个")
            else:
                first_file_for_id[case_id] = loaded
        problems.extend(report.problems)
    return problems


def schema_problems(loaded: LoadedFile, schema: dict, validator: Draft202012Validator, today: dt.date) -> list[Problem]:
    """What ``schema`` and the rules for text and dates say of data that is not a case (the front
    matter of an archived source), at the positions the loader recorded."""
    report = _Reporter(loaded)
    _SchemaMessages(report).add(validator.iter_errors(loaded.data))
    _ValueRules(report, schema, today).walk(loaded.data)
    return report.problems


@functools.lru_cache(maxsize=2)
def _schema_validator(vocabulary: Vocabulary) -> tuple[dict, Draft202012Validator]:
    """The case schema for ``vocabulary`` and its validator, made once: a preview checks the
    files that changed one at a time, and a build checks 10,000 files with the same schema."""
    schema = resolved_schema(vocabulary)
    return schema, Draft202012Validator(schema)


class _Reporter:
    """Collects one file's problems, each at the position of its field; the same one only once."""

    def __init__(self, loaded: LoadedFile):
        self.loaded = loaded
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()  # a list's `in` would make many problems take quadratic time

    def __call__(self, parts: tuple, message: str, hint: str = "", *, key: bool = False) -> None:
        if parts in self.loaded.refused:
            return  # the reader refused this value and said why
        line, column = self.loaded.position(parts, key=key)
        problem = Problem(self.loaded.display_path, line, column, field_path(parts), message, hint)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)


class _SchemaMessages:
    """Each ``jsonschema`` error, by the keyword that failed, as a Chinese message and hint."""

    def __init__(self, report: _Reporter):
        self.report = report

    def add(self, errors) -> None:
        errors = list(errors)
        # A value of the wrong type gets one message; its enum or length rules would only repeat it.
        mistyped = {tuple(error.absolute_path) for error in errors if error.validator == "type"}
        for error in errors:
            parts = tuple(error.absolute_path)
            if error.validator != "type" and is_placeholder(error.instance):
                continue  # reported by the text rules as a field still to write
            if error.validator == "type" or parts not in mistyped:
                getattr(self, f"_{error.validator}", self._unmapped)(error, parts)

    def _oneOf(self, error: ValidationError, parts: tuple) -> None:
        """A value of two forms (an outcome as text, or as text, status and quote): the errors of
        the form its type says it is written in, each at its own field; the library's own message
        ("is not valid under any of the given schemas") names neither."""
        form = form_of(error.schema, error.instance)
        if form is error.schema:
            self._type(error, parts)
            return
        index = forms(error.schema).index(form)
        self.add(sub for sub in error.context if sub.relative_schema_path[0] == index)

    def _type(self, error: ValidationError, parts: tuple) -> None:
        value, allowed = error.instance, types_of(error.schema)
        wanted = "或".join(_TYPE_NAMES[name] for name in allowed)
        found = "空值" if value is None else f"{_TYPE_NAMES[_type_of(value)]} {_preview(value)}"
        hint = ""
        if value is None and "enum" in error.schema:
            hint = "冒号后面写其中一个：" + "、".join(str(a) for a in error.schema["enum"])
        elif value is None:
            hint = "冒号后面要写内容（可选字段不需要时可删掉整行）"
        elif "number" in allowed and isinstance(value, str):
            hint = "数值只写阿拉伯数字，如 305 或 1.5；“余”“约”写在 qualifier，单位写在 unit"
        elif "array" in allowed:
            hint = "列表的每一项单独一行，以“- ”开头"
        self.report(parts, f"应为{wanted}，实际是{found}", hint)

    def _required(self, error: ValidationError, parts: tuple) -> None:
        properties = error.schema.get("properties", {})
        for name in error.validator_value:
            if name not in error.instance:
                self.report(parts + (name,), f"缺少必填字段 {name}", properties.get(name, {}).get("description", ""))

    def _additionalProperties(self, error: ValidationError, parts: tuple) -> None:
        properties = list(error.schema.get("properties", {}))
        for name in error.instance:
            if name not in properties:
                suggestion = _nearest(name, properties)
                hint = f"你是不是想写 `{suggestion}`？" if suggestion else f"这里可以用的字段：{'、'.join(properties)}"
                self.report(parts + (name,), f"未知字段 {name}", hint, key=True)

    def _minItems(self, error: ValidationError, parts: tuple) -> None:
        self.report(parts, f"至少要写 {error.validator_value} 项，现在有 {len(error.instance)} 项")

    def _maxItems(self, error: ValidationError, parts: tuple) -> None:
        self.report(parts, f"最多写 {error.validator_value} 项，现在有 {len(error.instance)} 项")

    def _uniqueItems(self, error: ValidationError, parts: tuple) -> None:
        seen = []
        for index, item in enumerate(error.instance):
            if item in seen:
                self.report(parts + (index,), f"{_preview(item)} 重复了", "删除重复的一项")
            seen.append(item)

    def _minLength(self, error: ValidationError, parts: tuple) -> None:
        if error.instance.strip():  # blank text is reported by the text rules, with a better hint
            self.report(parts, f"太短：{len(error.instance)} 个字，至少要 {error.validator_value} 个字")

    def _maxLength(self, error: ValidationError, parts: tuple) -> None:
        self.report(parts, f"太长：{len(error.instance)} 个字，最多 {error.validator_value} 个字")

    def _pattern(self, error: ValidationError, parts: tuple) -> None:
        if error.schema.get("x-format") == "partial-date":
            self.report(parts, f"“{error.instance}”不是有效的日期", DATE_HINT)
        else:
            self.report(parts, f"格式不对：{_preview(error.instance)}", error.schema.get("description", ""))

    def _minimum(self, error: ValidationError, parts: tuple) -> None:
        self.report(parts, f"不能小于 {error.validator_value}，实际是 {error.instance}",
                    "数值写绝对值；“下降”“减少”写在 label 里")

    def _maximum(self, error: ValidationError, parts: tuple) -> None:
        self.report(parts, f"不能大于 {error.validator_value}，实际是 {error.instance}")

    def _enum(self, error: ValidationError, parts: tuple) -> None:
        value, allowed = error.instance, error.validator_value
        suggestions = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=3, cutoff=0.3)
        suggestions += [a for a in allowed if isinstance(value, str) and value and (value in a or a in value)
                        and a not in suggestions]
        hint = "你是不是想写 " + "、".join(f"“{s}”" for s in suggestions[:3]) + "？" if suggestions else ""
        if len(allowed) <= 12:
            hint += "可选：" + "、".join(str(a) for a in allowed)
        elif not suggestions:
            hint = "请从列表中选择"
        if parts and parts[0] == "tags":
            hint += " 标签表在 data/taxonomy.yaml，需要新标签请在那里添加"
        self.report(parts, f"“{value}”不在允许的取值中", hint)

    def _unmapped(self, error: ValidationError, parts: tuple) -> None:
        """A keyword without its own message yet: still reported, with the library's own words."""
        self.report(parts, f"不符合字段要求（{error.validator}：{error.message}）", error.schema.get("description", ""))


class _ValueRules:
    """The rules beyond the schema for every text and date the schema describes."""

    def __init__(self, report: _Reporter, schema: dict, today: dt.date):
        self.report = report
        self.schema = schema
        self.today = today

    def walk(self, data) -> None:
        self._walk(data, self.schema, (), True)

    def _walk(self, value, node: dict, parts: tuple, required: bool) -> None:
        """Every value the schema describes (unknown fields are the schema's to report)."""
        node = form_of(node, value)
        if isinstance(value, dict):
            properties = node.get("properties", {})
            for name, item in value.items():
                if name in properties:
                    self._walk(item, properties[name], parts + (name,), name in node.get("required", ()))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._walk(item, node.get("items", {}), parts + (index,), True)
        elif isinstance(value, str) and "string" in types_of(node):
            self._check_text(value, node, parts, required)
        elif isinstance(value, int) and not isinstance(value, bool) and node.get("x-format") == "partial-date":
            self._check_partial_date(str(value), parts)

    def _check_text(self, value: str, node: dict, parts: tuple, required: bool) -> None:
        if not value.strip():
            self.report(parts, "不能是空的", "写上内容" if required else "写上内容，或删掉这个可选字段")
            return
        if is_placeholder(value):
            # An item of a list (tags[0], lessons[0]) is described by its list.
            what = node.get("description") or node_at(self.schema, parts[:-1]).get("description", "")
            self.report(parts, "草稿占位：这一项要你自己写，casebook draft 无法从原文得出",
                        f"{what}写好后删掉“{DRAFT_PLACEHOLDER}”和它后面的说明")
            return
        tag = _MARKUP.search(value)
        if tag:
            self.report(parts, f"不能含有网页标记：“{tag.group()}”",
                        "案例只写文字；要写尖括号时请用全角的“＜”“＞”")
        if node.get("x-format") == "partial-date":
            self._check_partial_date(value, parts)

    def _check_partial_date(self, text: str, parts: tuple) -> None:
        date = _parse_partial_date(text)
        if date is None:
            self.report(parts, f"“{text}”不是有效的日期", DATE_HINT)
        elif date > self.today:
            self.report(parts, f"日期 {text} 在未来", "只记录已经发生的事")


class _CaseRules(_ValueRules):
    """The rules beyond the schema, for one case file's data."""

    def check(self, data) -> None:
        self.walk(data)
        if not isinstance(data, dict):
            return
        case_id, stem = data.get("id"), self.report.loaded.path.stem
        if isinstance(case_id, str) and case_id != stem:
            self.report(("id",), f"id “{case_id}”与文件名 {self.report.loaded.path.name} 不一致",
                        f"把文件改名为 {case_id}.yaml，或把 id 改为 {stem}")
        if isinstance(case_id, str) and case_id in RESERVED_NAMES:
            self.report(("id",), f"id “{case_id}”是网站自己的页面或目录用的名字，不能作案例编号",
                        "换一个编号，例如加上地名和做法：jinjiang-grid-womens-groups")
        self._check_period(data.get("period"))
        self._check_lessons(data)
        for index, metric in enumerate(_dicts(data.get("metrics"))):
            self._check_metric(metric, ("metrics", index))

    def _check_period(self, period) -> None:
        if not isinstance(period, dict):
            return
        start, end = partial_date_range(period.get("start")), partial_date_range(period.get("end"))
        if start and end and end[1] < start[0]:
            self.report(("period", "end"), f"结束时间 {period['end']} 早于开始时间 {period['start']}",
                        "检查两个日期是否写反")
        if "end" in period and period.get("ongoing") is True:
            self.report(("period", "ongoing"), "写了结束时间就不能同时写 ongoing: true", "二者只留一个")

    def _check_lessons(self, data: dict) -> None:
        """Only the source's own lessons carry its words: the editor's are the editor's view."""
        if data.get("lessons_origin") == "原文":
            return
        lessons = data.get("lessons")
        for index, lesson in enumerate(lessons if isinstance(lessons, list) else []):
            if isinstance(lesson, dict) and "quote" in lesson:
                self.report(("lessons", index, "quote"), "编者归纳的经验启示不附原文",
                            "经验由原文总结时把 lessons_origin 改为“原文”；"
                            "否则只写一句文字（写成可供讨论的要点，如“可以讨论：……”）")

    def _check_metric(self, metric: dict, parts: tuple) -> None:
        value, quote = metric.get("value"), metric.get("quote")
        if not _finite_number(value) or not isinstance(quote, str) or not quote.strip():
            return
        if not same_number(value, quote):
            self.report(parts + ("quote",), f"引文中找不到数值 {value}",
                        "quote 要摘录原文中写出这个数字的原话（阿拉伯数字或汉字数字均可）")
            return
        upper = metric.get("value_max")
        if _finite_number(upper):
            if upper < value:
                self.report(parts + ("value_max",), f"区间上限 {upper} 小于下限 {value}")
                return
            if not same_number(upper, quote):
                self.report(parts + ("value_max",), f"引文中找不到区间上限 {upper}",
                            "value_max 写原文区间的上限（如“2~3个”写 value: 2、value_max: 3）；原文不是区间时删掉 value_max")
                return
            figures = written_figures(quote, value, upper)
            if not figures:
                self.report(parts + ("value_max",), f"引文没有把 {value} 到 {upper} 写成一个区间",
                            "区间要在原文中连着写，如“2~3个”“20至30人”；不是区间时删掉 value_max")
                return
        else:
            figures = written_figures(quote, value)
        unit, qualifier = metric.get("unit"), metric.get("qualifier")
        if isinstance(unit, str) and unit.strip():
            self._check_figure(figures, unit, qualifier if isinstance(qualifier, str) else "", parts, upper is None)

    def _check_figure(self, figures: list[WrittenFigure], unit: str, qualifier: str, parts: tuple,
                      single: bool) -> None:
        """The unit right after the number and the qualifier next to it, as the quote writes them."""
        before_qualifiers, after_qualifiers = metric_qualifiers()
        written = [(figure, figure.unit_qualifier(unit, after_qualifiers)) for figure in figures]
        with_unit = [(figure, after) for figure, after in written if after is not None]
        if not with_unit:
            figure = figures[0]
            word = figure.measure_word(after_qualifiers)
            if single and figure.range_follows:
                hint = "原文写的是一个区间：value 写下限，value_max 写上限，unit 写上限后面的单位"
            elif word:
                hint = f"原文写的是“{figure.written_with(word, after_qualifiers)}”，unit 应写“{word}”，不是“{unit}”"
            else:
                hint = "unit 要写原文紧跟在数字后面的单位；哪些写法算相同见 CONTRIBUTING.md 写作规范的“数据”一条"
            self.report(parts + ("unit",), f"单位“{unit}”与原文不符，原文是“{figure.around()}”", hint)
            return
        for figure, _ in with_unit:
            longer = figure.longer_unit(unit, after_qualifiers)
            if longer:
                self.report(parts + ("unit",), f"单位“{unit}”不完整，原文是“{figure.around()}”",
                            f"原文写的是“{figure.written_with(longer, after_qualifiers)}”，unit 应写“{longer}”，不是“{unit}”")
                return
        # Each place's qualifiers, with how the quote spells them (超: 超过).
        found = [figure.qualifiers_before(before_qualifiers) | ({after: after} if after else {})
                 for figure, after in with_unit]
        if qualifier:
            if any(qualifier in qualifiers for qualifiers in found):
                return
            figure, qualifiers = with_unit[0][0], found[0]
            if qualifiers:
                other = min(qualifiers)
                hint = f"原文用的是“{qualifiers[other]}”，qualifier 应写“{other}”，不是“{qualifier}”"
            else:
                hint = "原文在这个数字前后没有限定词：删掉 qualifier"
            self.report(parts + ("qualifier",), f"限定词“{qualifier}”与原文不符，原文是“{figure.around()}”", hint)
            return
        # Left out: reported only when every place the quote writes the figure has the same
        # qualifier right next to the number; 累计 may stand far from it and is not required.
        unambiguous = set.intersection(*(set(qualifiers) - {CUMULATIVE} - _ambiguous(unit, qualifiers)
                                         for qualifiers in found))
        if unambiguous:
            missing = min(unambiguous)
            self.report(parts + ("qualifier",), f"缺少限定词，原文是“{with_unit[0][0].around()}”",
                        f"原文在数字旁写了“{found[0][missing]}”，请加一行 qualifier: {missing}")

def _finite_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _ambiguous(unit: str, qualifiers: set[str]) -> set[str]:
    """Qualifiers that may mean something else before this unit (近3年: the last three years)."""
    return {q for q in qualifiers if unit.endswith(AMBIGUOUS_BEFORE_TIME.get(q, ()))}


def is_placeholder(value) -> bool:
    return isinstance(value, str) and value.lstrip().startswith(DRAFT_PLACEHOLDER)


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _type_of(value) -> str:
    for name, kind in (("null", type(None)), ("boolean", bool), ("integer", int), ("number", float),
                       ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return name
    return "string"  # pragma: no cover - the loader only produces the types above


def _preview(value) -> str:
    text = str(value)
    return f"“{text[:30]}…”" if len(text) > 30 else f"“{text}”"


def _nearest(name: str, known: list[str]) -> str | None:
    matches = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5)
    return matches[0] if matches else None


def _parse_partial_date(text: str) -> dt.date | None:
    """The first day the partial date can mean, or None if it is not a real date."""
    match = _PARTIAL_DATE.match(str(text).strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        return dt.date(year, month or 1, day or 1)
    except ValueError:
        return None


def partial_date_range(text) -> tuple[dt.date, dt.date] | None:
    """The first and last day a partial date can mean: 2024-10 -> (Oct 1, Oct 31)."""
    if text is None:
        return None
    first = _parse_partial_date(str(text))
    if first is None:
        return None
    parts = str(text).strip().count("-")
    if parts == 2:
        return first, first
    if parts == 1:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    return first, dt.date(first.year, 12, 31)
