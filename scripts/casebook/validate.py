"""Stage 2: loaded files -> problems, by the rules of the one case schema.

The structural rules (types, required fields, enums, patterns, lengths) are read from
``case_schema.yaml``; the rules no schema language expresses well (the id matches the file name,
dates are real and in order, a metric's quote states its value, ids are unique) follow in
``_check_case``. Every rule adds a Problem and goes on, so one run reports everything.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from .load import LoadedFile
from .numerals import same_number
from .problems import Problem, field_path
from .vocabulary import Vocabulary

SCHEMA_PATH = Path(__file__).with_name("case_schema.yaml")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
               "object": "一组字段（键: 值）", "array": "列表（每项以 - 开头）", "null": "空"}


@lru_cache(maxsize=1)
def base_schema() -> dict:
    """The schema as written, before the vocabularies fill in ``x-enum-from``."""
    return yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))


def resolved_schema(vocabulary: Vocabulary) -> dict:
    """The schema with every ``x-enum-from`` replaced by the vocabulary's values as ``enum``."""
    schema = copy.deepcopy(base_schema())

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


def validate_files(loaded_files: list[LoadedFile], vocabulary: Vocabulary,
                   today: dt.date | None = None) -> list[Problem]:
    """All problems in all files, including ids used by more than one file."""
    today = today or dt.date.today()
    schema = resolved_schema(vocabulary)
    problems: list[Problem] = []
    first_file_for_id: dict[str, LoadedFile] = {}
    for loaded in loaded_files:
        problems.extend(loaded.problems)
        if loaded.data is None:
            continue
        checker = _Checker(loaded, today)
        checker.check(loaded.data, schema, ())
        if isinstance(loaded.data, dict):
            checker.check_case(loaded.data)
            case_id = loaded.data.get("id")
            if isinstance(case_id, str):
                if case_id in first_file_for_id:
                    checker.report(("id",), f"id “{case_id}”已被 {first_file_for_id[case_id].display_path} 使用",
                                   "每个案例的 id 必须唯一，请换一个")
                else:
                    first_file_for_id[case_id] = loaded
        problems.extend(checker.problems)
    return problems


class _Checker:
    def __init__(self, loaded: LoadedFile, today: dt.date):
        self.loaded = loaded
        self.today = today
        self.problems: list[Problem] = []

    def report(self, parts: tuple, message: str, hint: str = "", *, key: bool = False) -> None:
        line, column = self.loaded.position(parts, key=key)
        self.problems.append(Problem(self.loaded.display_path, line, column, field_path(parts), message, hint))

    # --- the schema's structural rules ---------------------------------------------------------

    def check(self, value, schema: dict, parts: tuple) -> None:
        if not self._check_type(value, schema, parts):
            return
        if isinstance(value, dict):
            self._check_object(value, schema, parts)
        elif isinstance(value, list):
            self._check_array(value, schema, parts)
        elif isinstance(value, str):
            self._check_string(value, schema, parts)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            self._check_number(value, schema, parts)
        if "enum" in schema and value not in schema["enum"]:
            self._report_enum(value, schema["enum"], parts)

    def _check_type(self, value, schema: dict, parts: tuple) -> bool:
        expected = schema.get("type")
        if expected is None:
            return True
        allowed = expected if isinstance(expected, list) else [expected]
        if any(_is_type(value, name) for name in allowed):
            return True
        wanted = "或".join(_TYPE_NAMES[name] for name in allowed)
        found = "空值" if value is None else f"{_TYPE_NAMES[_type_of(value)]} {_preview(value)}"
        hint = ""
        if value is None:
            hint = "冒号后面要写内容（可选字段不需要时可删掉整行）"
        elif "number" in allowed and isinstance(value, str):
            hint = "数值只写阿拉伯数字，如 305 或 1.5；“余”“约”写在 qualifier，单位写在 unit"
        elif "array" in allowed:
            hint = "列表的每一项单独一行，以“- ”开头"
        self.report(parts, f"应为{wanted}，实际是{found}", hint)
        return False

    def _check_object(self, value: dict, schema: dict, parts: tuple) -> None:
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                described = properties.get(name, {}).get("description", "")
                self.report(parts + (name,), f"缺少必填字段 {name}", described)
        for name, item in value.items():
            if name in properties:
                self.check(item, properties[name], parts + (name,))
            elif schema.get("additionalProperties") is False:
                suggestion = _nearest(name, list(properties))
                hint = f"你是不是想写 `{suggestion}`？" if suggestion else \
                    f"这里可以用的字段：{'、'.join(properties)}"
                self.report(parts + (name,), f"未知字段 {name}", hint, key=True)

    def _check_array(self, value: list, schema: dict, parts: tuple) -> None:
        if len(value) < schema.get("minItems", 0):
            self.report(parts, f"至少要写 {schema['minItems']} 项，现在有 {len(value)} 项")
        if schema.get("uniqueItems"):
            seen = set()
            for index, item in enumerate(value):
                marker = repr(item)
                if marker in seen:
                    self.report(parts + (index,), f"{_preview(item)} 重复了", "删除重复的一项")
                seen.add(marker)
        if "items" in schema:
            for index, item in enumerate(value):
                self.check(item, schema["items"], parts + (index,))

    def _check_string(self, value: str, schema: dict, parts: tuple) -> None:
        if not value.strip():
            self.report(parts, "不能是空的", "写上内容，或删掉这个可选字段")
            return
        control = next((ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in "\n\t"), None)
        if control is not None:
            self.report(parts, f"含有不可见的控制字符 U+{ord(control):04X}", "删除它（常见于从网页或 Word 粘贴）")
        length = len(value.strip())
        if length < schema.get("minLength", 0):
            self.report(parts, f"太短：{length} 个字，至少要 {schema['minLength']} 个字")
        if "maxLength" in schema and length > schema["maxLength"]:
            self.report(parts, f"太长：{length} 个字，最多 {schema['maxLength']} 个字")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            self.report(parts, f"格式不对：{_preview(value)}", schema.get("description", ""))
        if schema.get("x-format") == "partial-date":
            self._check_partial_date(value, parts)

    def _check_number(self, value, schema: dict, parts: tuple) -> None:
        if isinstance(value, float) and not math.isfinite(value):
            self.report(parts, f"应为有限的数字，实际是 {value}", "写原文中的具体数值")
            return
        if "minimum" in schema and value < schema["minimum"]:
            self.report(parts, f"不能小于 {schema['minimum']}，实际是 {value}", "数值写绝对值；“下降”“减少”写在 label 里")
        if schema.get("x-format") == "partial-date":
            self._check_partial_date(str(value), parts)

    def _report_enum(self, value, allowed: list, parts: tuple) -> None:
        suggestions = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=3, cutoff=0.3)
        suggestions += [a for a in allowed if isinstance(value, str) and value and (value in a or a in value)
                        and a not in suggestions]
        if suggestions:
            hint = "你是不是想写 " + "、".join(f"“{s}”" for s in suggestions[:3]) + "？"
        elif len(allowed) <= 12:
            hint = "可选：" + "、".join(str(a) for a in allowed)
        else:
            hint = "请从列表中选择"
        if parts and parts[0] == "tags":
            hint += " 标签表在 data/taxonomy.yaml，需要新标签请在那里添加"
        self.report(parts, f"“{value}”不在允许的取值中", hint)

    def _check_partial_date(self, text: str, parts: tuple) -> None:
        if _parse_partial_date(text) is None:
            self.report(parts, f"“{text}”不是有效的日期", "写成 2024、2024-10 或 2024-10-15，月份 1–12，日期要存在")
        elif _parse_partial_date(text) > self.today:
            self.report(parts, f"日期 {text} 在未来", "只记录已经发生的事")

    # --- rules beyond the schema ---------------------------------------------------------------

    def check_case(self, case: dict) -> None:
        case_id = case.get("id")
        stem = self.loaded.path.stem
        if isinstance(case_id, str) and case_id != stem:
            self.report(("id",), f"id “{case_id}”与文件名 {self.loaded.path.name} 不一致",
                        f"把文件改名为 {case_id}.yaml，或把 id 改为 {stem}")
        self._check_period(case.get("period"))
        for index, metric in enumerate(_dicts(case.get("metrics"))):
            self._check_metric(metric, ("metrics", index))

    def _check_period(self, period) -> None:
        if not isinstance(period, dict):
            return
        start, end = _partial_date_range(period.get("start")), _partial_date_range(period.get("end"))
        if start and end and end[1] < start[0]:
            self.report(("period", "end"), f"结束时间 {period['end']} 早于开始时间 {period['start']}",
                        "检查两个日期是否写反")
        if "end" in period and period.get("ongoing") is True:
            self.report(("period", "ongoing"), "写了结束时间就不能同时写 ongoing: true", "二者只留一个")

    def _check_metric(self, metric: dict, parts: tuple) -> None:
        value, quote = metric.get("value"), metric.get("quote")
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if numeric and isinstance(quote, str) and quote.strip() and not same_number(value, quote):
            self.report(parts + ("quote",), f"引文中找不到数值 {value}",
                        "quote 要摘录原文中写出这个数字的原话（阿拉伯数字或汉字数字均可）")
        upper = metric.get("value_max")
        if numeric and isinstance(upper, (int, float)) and not isinstance(upper, bool):
            if upper < value:
                self.report(parts + ("value_max",), f"区间上限 {upper} 小于下限 {value}")
            elif isinstance(quote, str) and not same_number(upper, quote):
                self.report(parts + ("quote",), f"引文中找不到区间上限 {upper}")


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _is_type(value, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return _type_of(value) == name


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


def _partial_date_range(text) -> tuple[dt.date, dt.date] | None:
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
