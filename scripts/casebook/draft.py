"""`casebook draft`: from an archived article, a case file with every figure of the text as a
metric stub (value, unit, qualifier and the shortest quote that states it), so a contributor
starts with no figure missed and every quote already passes the archive check.

Guessing is deliberately plain: a number (digits, Chinese numerals or a mix such as 8万3千) is a
figure when a measure word follows it; dates (2022年, 5月19日), ordinals (第四) and a bare 一 are
not. The contributor keeps, corrects or deletes each stub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import yaml

from .model import QUALIFIERS_BEFORE_NUMBER
from .numerals import MEASURE_WORDS, numbers_in
from .provenance import ArchivedSource, display_text

_NUMBER = re.compile(r"(?:\d+(?:\.\d+)?|[〇零一二两兩三四五六七八九十百千万萬亿億])+")
_BIG = "万萬亿億"
_AFTER_NUMBER = ("余", "多")
_RANGE = re.compile(r"^[~～\-—至到]")
_CLAUSE_END = "，,。；;！？!?：:（）()\n"
_NOT_FIGURES = ("年", "月", "日", "号", "时", "点")  # dates and clock times
QUOTE_BEFORE = 10  # characters of the clause kept before the number
QUOTE_AFTER = 8    # and after the unit


@dataclass(frozen=True)
class Figure:
    value: Decimal
    unit: str
    quote: str
    label: str
    qualifier: str = ""
    value_max: Decimal | None = None


def figures_in(text: str) -> list[Figure]:
    """Every figure in ``text``, in reading order."""
    figures = []
    for paragraph in re.split(r"\n\s*\n", text):
        line = display_text(paragraph)
        for match in _NUMBER.finditer(line):
            figure = _figure_at(line, match)
            if figure is not None:
                figures.append(figure)
    return figures


def _figure_at(line: str, match: re.Match) -> Figure | None:
    number, start, end = match.group(), match.start(), match.end()
    if start and line[start - 1] == "第":
        return None  # an ordinal
    if start >= 2 and _RANGE.match(line[start - 1]) and _NUMBER.match(line[start - 2]):
        return None  # the upper end of a range (2~3个), read with its lower end
    big = ""
    if number[-1] in _BIG and any(ch.isdigit() for ch in number[:-1]) and not any(ch in _BIG for ch in number[:-1]):
        number, big = number[:-1], number[-1]  # 50万元 is 50 (万元), as the cases write it
    values = numbers_in(number)
    if not values:
        return None
    value = max(values)
    digits = any(ch.isdigit() for ch in number)
    if not digits and value == 1:
        return None  # 一 is an article far more often than a figure
    rest = line[end:]
    value_max = None
    range_match = _RANGE.match(rest)
    if range_match:
        upper = _NUMBER.match(rest, range_match.end())
        if upper and numbers_in(upper.group()):
            value_max = max(numbers_in(upper.group()))
            rest = rest[upper.end():]
    qualifier = next((q for q in _AFTER_NUMBER if rest.startswith(q)), "")
    rest = rest[len(qualifier):]
    written_unit = next((u for u in MEASURE_WORDS if rest.startswith(u)), "")
    if not written_unit or (written_unit in _NOT_FIGURES and not big):
        return None
    after = rest[len(written_unit):]
    unit = big + written_unit if big and written_unit not in _BIG else written_unit
    if after.startswith("以上"):
        qualifier = qualifier or "以上"
    before_text = line[:start]
    qualifier = qualifier or next((q for q in sorted(QUALIFIERS_BEFORE_NUMBER, key=len, reverse=True)
                                   if before_text.endswith(q)), "")
    figure_end = len(line) - len(after)
    clause_start = max(line.rfind(mark, 0, start) for mark in _CLAUSE_END) + 1
    ends = [i for i in (line.find(mark, figure_end) for mark in _CLAUSE_END) if i >= 0]
    clause_end = min(ends) if ends else len(line)
    quote = line[max(clause_start, start - QUOTE_BEFORE):min(clause_end, figure_end + QUOTE_AFTER)].strip()
    label = (line[figure_end:min(clause_end, figure_end + QUOTE_AFTER)].strip("、 ")
             or line[max(clause_start, start - QUOTE_BEFORE):start - len(before_qualifier(qualifier))]
             .strip("、 ").removesuffix("达").removesuffix("为"))
    return Figure(value, unit, quote, label, qualifier, value_max)


def before_qualifier(qualifier: str) -> str:
    """The qualifier when Chinese writes it before the number (约300), else ""."""
    return qualifier if qualifier in QUALIFIERS_BEFORE_NUMBER else ""


def draft_case(source: ArchivedSource) -> str:
    """The text of a draft case file citing ``source``, one metric stub per figure."""
    source_entry = {"title": source.title or "（原文未见标题）", "publisher": source.publisher or "（待填写）"}
    source_entry.update({key: getattr(source, key) for key in ("author", "date", "url") if getattr(source, key)})
    source_entry["archive"] = source.id
    metrics = []
    for figure in figures_in(source.text):
        metric = {"label": figure.label or "（待填写）", "value": _number(figure.value)}
        if figure.value_max is not None:
            metric["value_max"] = _number(figure.value_max)
        metric["unit"] = figure.unit
        if figure.qualifier:
            metric["qualifier"] = figure.qualifier
        metric["quote"] = figure.quote
        metrics.append(metric)
    body = yaml.safe_dump({"id": source.id, "title": source_entry["title"], "metrics": metrics,
                           "sources": [source_entry]}, allow_unicode=True, sort_keys=False, width=1000)
    return (f"# 案例草稿：由 casebook draft 从 sources/{source.id}.md 生成，共找到 {len(metrics)} 个数字。\n"
            "# 每条数据都要核对：label 写清这个数字说的是什么，不是数据的删掉。\n"
            "# 其余必填字段（摘要、地区、层级、背景、做法、成效、经验启示、标签）请补写，\n"
            "# 运行 casebook validate 会逐项列出还缺什么。\n" + body)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
