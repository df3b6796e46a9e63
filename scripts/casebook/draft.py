"""`casebook draft`: from an archived article, a case file to start from.

Every figure of the text becomes a metric stub: value (and range), the unit as written after the
number, the qualifier the text uses, and as quote the clause that states it (cut at clause
punctuation, so never inside a number or a unit). The stub's label is the clause without the
figure (a figure inside a changed pair, 从45%增加至65%, is named 增加前 and 增加后); its `kind`
and `period` are guesses from the clause and its sentence, marked ``# 待核对`` for the contributor
to confirm, and `kind` is left to write when the words cannot tell a result from the setting (a
share, 占30%, without a word of change). The fields only a person can write (summary, background …) hold a
placeholder that the validator reports as such, so the draft passes `casebook validate` except
for them, and every quote already passes the archive check.

Guessing is deliberately plain and errs towards listing: a number (digits, Chinese numerals or a
mix such as 8万3千) is a figure when a unit follows it; dates (2022年, 5月19日), clock times,
ordinals (第四), phone numbers, codes next to Latin letters (5G), a bare 一 and a bare 万 (万家灯火)
are not; a count of years is a figure only with its qualifier (20余年, 10多年), else it is a date.
A clause is never cut inside a short quotation (“阅读伴成长，家书润童心”), between the quoted
names of a list (“一橘灯”、“二橘灯”) nor inside a list of short names (横塘、石陂头、岭脚村三个集中点);
a number inside a quoted name (“三所联动”) is part of the name. The contributor keeps, corrects or
deletes each stub.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .analysis import to_simplified
from .model import DEFAULT_METRIC_KIND, QUALIFIERS_BEFORE_NUMBER
from .numerals import QUALIFIER_SPELLINGS, chinese_to_number
from .problems import DRAFT_PLACEHOLDER, field_path
from .provenance import HEADING_CHARACTERS, ArchivedSource, display_text
from .reference import field_note
from .scaffold import HEADER_SCHEMA_LINE, yaml_scalar
from .schema import base_schema, forms, node_at, types_of

REVIEW = "待核对"

# Units and measure words as news text writes them right after a number, longest first so that
# 平方公里 wins over 公里, 个百分点 over 个 and 小时 over 时.
UNITS = sorted("""
平方公里 平方千米 平方米 立方米 公里 千米 厘米 毫米 米 公顷 亩 吨 千克 公斤 克 千瓦时 千瓦
元 人次 户次 件次 场次 车次 个百分点 百分点 % ％ 倍 个月 个 名 人 位 次 件 起 宗 例 条 户 支 所 家
份 栋 幢 座 项 场 期 级 天 小时 分钟 刻钟 秒 周 周岁 岁 届 批 类 种 台 辆 架 艘 张 篇 本 册 套 间 处 组
村 镇 乡 盏 棵 株 头 只 课时 学时 堂 节 门 轮 趟 笔 单 幅 部 首 床 层 分
""".split(), key=len, reverse=True)
# Written after a number but not a quantity: dates, clock times, anniversaries, school years,
# fractions (三分之一). They take part in the longest match so that 小时 stays a unit while 时 is
# a clock time.
NOT_UNITS = ("年", "月", "日", "号", "时", "点", "周年", "年度", "年级", "分之")
_UNIT_OR_NOT = sorted(UNITS + list(NOT_UNITS), key=len, reverse=True)
_DIGITS_ONLY_UNITS = {"分"}        # 十分 is "very", 22750分 a score
_TIME_UNITS = {"天", "周", "小时", "个月", "年"}  # 20天来 is a period, not a figure
_YEARS = "年"  # a date (2022年) unless a qualifier counts it (20余年: a figure, also in 20余年来)
_BIG = "万萬亿億"
_MAGNITUDES = "百千" + _BIG

_DIGIT = "0-9０-９"
_CHINESE_DIGITS = "〇零一二两兩三四五六七八九"
_ARABIC = rf"[{_DIGIT}]+(?:,[{_DIGIT}]{{3}}(?![{_DIGIT}]))*(?:[.．][{_DIGIT}]+)?"
# A number: digits (1,397 and 2.5 too), Chinese numerals, or a mix (8万3千, 1.2万); 五十六点七.
NUMBER = re.compile(rf"(?:{_ARABIC}|[{_CHINESE_DIGITS}十{_MAGNITUDES}])+(?:点[{_CHINESE_DIGITS}]+[{_BIG}]?)?")
_PERCENT_WORDS = "百分之"
_RANGE_MARK = re.compile(r"[~～〜\-－—–至到]")
_QUALIFIERS_AFTER_NUMBER = ("余", "多")
# Words before a number that mean a qualifier of the schema, as the text writes them.
_QUALIFIER_WORDS_BEFORE = {**QUALIFIER_SPELLINGS, "将近": "近", "接近": "近", **{q: q for q in QUALIFIERS_BEFORE_NUMBER}}
# Words that qualify a number but have no value in the schema: the contributor decides.
_UNREAD_BEFORE = ("不少于", "至少", "最多", "高达")
_UNREAD_AFTER = ("左右", "上下", "以下", "以内", "之多")

# Clause punctuation, full-width and ASCII: a quote is the clause between two of them.
CLAUSE_MARKS = "，,。；;、：:！？!?（）()"
SENTENCE_MARKS = "。；;！？!?"
_CLOSING_QUOTES, _OPENING_QUOTES = "”’」』", "“‘「『"
# A quotation this short holding clause punctuation is a name or a slogan, not speech: its
# commas do not end a clause.
_NAME_QUOTATION = 30
# An item of a list of names or traits (横塘、石陂头、岭脚村; 196名高龄、独居、患病老人): at most this
# long, and without a number, so that 组建队伍17支、培训骨干30名 still makes two clauses.
_LIST_ITEM = 8
# A figure and the one it changed into, in one clause: 从45%增加至65%, 由60%提升到95%.
_CHANGE_FROM = re.compile(r"[从由]$")
_CHANGE_VERB = r"(增加|增长|提高|提升|上升|扩大|下降|减少|降低|缩短|缩减|压缩)?"
_CHANGE_TO = re.compile(rf"^{_CHANGE_VERB}(?:至|到)")
_CHANGED = re.compile(rf"^(.*?)[从由].+?{_CHANGE_VERB}(?:至|到)$")
_QUOTATION = re.compile("([“‘「『][^”’」』]*[”’」』])")
_HAN_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# Words between a label and its number that say nothing of what is counted (建立小组达15个).
_LINK_WORDS = re.compile(r"(?:达到|达|为|是|共计|合计|总计|共有|均有|共|计|了|有|在|约有)$")

# `kind` from the words of the clause (read in simplified script): the table whose words the clause
# has; none (a share without a word of change) or both (常住人口增长) is left to the contributor.
KIND_CUES = (
    ("基本情况", ("面积", "人口", "常驻", "常住", "户籍", "下辖", "辖区有", "辖区共有", "现有", "占地", "位于")),
    ("成效", ("同比", "增长", "下降", "减少", "提高", "提升", "降低", "上升", "化解", "解决", "破解", "调处", "办结",
             "受益", "带动", "惠及", "覆盖", "满意", "处置率", "点击", "浏览", "收集", "排查", "评选出", "评为",
             "获评", "当选", "选举为", "被选为", "完工", "累计", "实现", "挽回", "成功", "受教育", "增收")),
)
_RATE_UNITS = ("%", "个百分点", "百分点")

_COUNT = rf"[0-9{_CHINESE_DIGITS}十几]+"
# The time a figure refers to, in its sentence: 截至2024年12月, 今年以来, 近三年来, 2022年上半年.
PERIOD = re.compile("|".join((
    r"截至(?:目前|今年\d{1,2}月底?|\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末)?|\d{1,2}月底)",
    rf"(?:自|从)?(?:\d{{4}}年(?:\d{{1,2}}月)?|今年|去年|近年|近{_COUNT}年|{_COUNT}(?:个多?月|年|天))以?来",
    r"(?<![较比])(?:\d{4}|今|去|前)年(?:\d{1,2}(?:[-—~至到]\d{1,2})?月(?:份|底|末)?|上半年|下半年|前三季度|第[一二三四]季度|底|末|初|度)?",
    rf"近{_COUNT}年",
    r"\d{1,2}(?:[-—~至到]\d{1,2})?月(?:份|底|末|\d{1,2}日)?",
)))


@dataclass(frozen=True)
class Figure:
    """One figure of an article, as a metric stub."""

    value: Decimal
    unit: str
    quote: str          # the clause that states it, as written in the source
    label: str          # the clause without the figure, in simplified script ("" if nothing is left)
    written: str        # the figure as written: 2万余人, 2~3个, 90%以上
    qualifier: str = ""
    value_max: Decimal | None = None
    kind: str = DEFAULT_METRIC_KIND  # "" when the words cannot tell 成效 from 基本情况
    kind_cue: str = ""  # the words `kind` was read from (or that left it open); "" for the default
    period: str = ""
    unread_qualifier: str = ""  # a word qualifying the number that the schema has no value for


def figures_in(text: str) -> list[Figure]:
    """Every figure in ``text``, in reading order, each clause's figure once."""
    figures: list[Figure] = []
    for passage in passages(text):
        simplified = _simplified_alike(passage)
        consumed = 0
        for match in NUMBER.finditer(simplified):
            if match.start() < consumed:
                continue  # the upper end of a range already read
            found = _figure_at(passage, simplified, match)
            if found is not None:
                figure, consumed = found
                if figure not in figures:
                    figures.append(figure)
    return figures


def passages(text: str) -> list[str]:
    """The article's paragraphs as single lines. A paragraph break after a long line that ends in
    a word, not punctuation, is a page break of the capture (百余期 / 视频栏目): the sentence goes on."""
    merged: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if merged and _runs_on(merged[-1]):
            merged[-1] += "\n" + paragraph
        else:
            merged.append(paragraph)
    return [display_text(paragraph) for paragraph in merged]


def _simplified_alike(passage: str) -> str:
    """The passage in simplified script, character for character, so that what is read in it
    (個 as 个, 戶 as 户) has the same offsets in the text as written."""
    simplified = to_simplified(passage)
    if len(simplified) == len(passage):
        return simplified
    return "".join(to_simplified(character)[:1] or character for character in passage)


def _runs_on(paragraph: str) -> bool:
    last_line = paragraph.rsplit("\n", 1)[-1].strip()
    return len(last_line) > HEADING_CHARACTERS and unicodedata.category(last_line[-1])[0] in "LN"


@dataclass(frozen=True)
class _Amount:
    """A number as written with what belongs to it: range, qualifier, unit; [start, end) in the text."""

    value: Decimal
    value_max: Decimal | None
    unit: str
    qualifier: str
    qualifier_written: str  # the qualifier's words before the number (超过 for 超), "" otherwise
    unread_qualifier: str
    start: int
    end: int


def _figure_at(passage: str, text: str, match: re.Match) -> tuple[Figure, int] | None:
    """The figure whose number starts at ``match`` in ``text`` (the passage in simplified script,
    where units and cue words are read) and where it ends, or None."""
    amount = _amount_at(text, match)
    if amount is None:
        return None
    start, end = amount.start, amount.end
    clause_start, clause_end = _clause(text, start, end)
    qualifier = amount.qualifier or ("累计" if "累计" in text[clause_start:start] else "")
    label_before = text[clause_start:start - len(amount.qualifier_written)]
    label_after = text[end:clause_end]
    if amount.unit == _YEARS:
        label_after = re.sub(r"^以?来", "", label_after)  # 20余年来: the span is the figure
    if amount.unread_qualifier in _UNREAD_BEFORE:
        label_before = label_before.removesuffix(amount.unread_qualifier)
    else:
        label_after = label_after.removeprefix(amount.unread_qualifier)
    sentence_start = max(text.rfind(mark, 0, start) for mark in SENTENCE_MARKS) + 1
    kind, cue = _kind(text[clause_start:clause_end], amount.unit)
    figure = Figure(value=amount.value, unit=amount.unit, quote=_quote(passage, clause_start, clause_end, start, end),
                    label=_label(label_before, label_after, text[clause_start:clause_end]), written=passage[start:end],
                    qualifier=qualifier,
                    value_max=amount.value_max, kind=kind, kind_cue=cue, period=_period(text[sentence_start:start]),
                    unread_qualifier=amount.unread_qualifier)
    return figure, end


def _amount_at(text: str, match: re.Match) -> _Amount | None:
    token, start, end = match.group(), match.start(), match.end()
    before = text[:start]
    if _not_a_quantity(before, token, text[end:end + 1]) or _in_a_name(text, start):
        return None
    percent_words = before.endswith(_PERCENT_WORDS)
    if percent_words:
        start -= len(_PERCENT_WORDS)
    number, big = _split_magnitude(token)
    value = _value_of(number)
    digits = any(ch.isdigit() for ch in token)
    if value is None or (not digits and value == 1 and not percent_words):
        return None  # 一 is an article (一批, 一张) far more often than a figure
    value_max = None
    range_mark = _RANGE_MARK.match(text, end)
    upper = NUMBER.match(text, range_mark.end()) if range_mark else None
    if upper:
        upper_number, upper_big = _split_magnitude(upper.group())
        upper_value = _value_of(upper_number)
        if upper_value is not None and upper_value > value and upper_big in (big, ""):
            value_max, end = upper_value, upper.end()
    qualifier = next((q for q in _QUALIFIERS_AFTER_NUMBER if text.startswith(q, end)), "")
    end += len(qualifier)
    written_before, qualifier_before = _qualifier_before(text[:start])
    if not digits and all(ch in _MAGNITUDES for ch in token) and not (qualifier or qualifier_before):
        return None  # 万家灯火, 千条线: a magnitude on its own is a figure only as 百余期, 逾千人
    unread = "来" if not qualifier and text.startswith("来", end) else ""  # 十来个
    end += len(unread)
    if percent_words:
        unit = "%"
    else:
        written_unit = next((u for u in _UNIT_OR_NOT if text.startswith(u, end)), "")
        years = written_unit == _YEARS and qualifier in _QUALIFIERS_AFTER_NUMBER and not big
        if (written_unit in NOT_UNITS and not years) or (written_unit in _DIGITS_ONLY_UNITS and not digits):
            return None
        if not (written_unit or big) or (not years and _is_period(written_unit, text[end + len(written_unit):])):
            return None
        end += len(written_unit)
        per = re.match(r"[/／](天|日|年|月|周|人|户|次|小时)", text[end:])  # 100元/天
        if per:
            written_unit += "/" + per.group(1)
            end += per.end()
        unit = unicodedata.normalize("NFKC", big + written_unit)  # ％ is %
    if text.startswith("以上", end) and not qualifier:
        qualifier, end = "以上", end + 2
    if qualifier:
        written_before = ""
    else:
        qualifier = qualifier_before
    unread = unread or next((word for word in _UNREAD_AFTER if text.startswith(word, end)), "")
    if not qualifier and not unread:
        unread = next((word for word in _UNREAD_BEFORE if text[:start].endswith(word)), "")
    return _Amount(value, value_max, unit, qualifier, written_before, unread, start, end)


def _in_a_name(text: str, index: int) -> bool:
    """Whether ``text[index]`` is inside a name in quotation marks (“三所联动”“四个五”): its
    number is part of the name, not a figure the article reports."""
    return _name_quotation(text, index) is not None


def _name_quotation(text: str, index: int) -> tuple[int, int] | None:
    """(opening, closing) of the short quotation holding ``text[index]`` (a name or a slogan, not
    speech: no sentence ends inside it), or None."""
    opening = max(text.rfind(q, 0, index) for q in _OPENING_QUOTES)
    if opening < 0 or any(text.find(q, opening, index) >= 0 for q in _CLOSING_QUOTES):
        return None
    closing = min([i for i in (text.find(q, index) for q in _CLOSING_QUOTES) if i >= 0] or [len(text)])
    if closing == len(text) or closing - opening > _NAME_QUOTATION \
            or any(m in text[opening:closing] for m in SENTENCE_MARKS):
        return None
    return opening, closing


def _not_a_quantity(before: str, token: str, following: str) -> bool:
    """Numbers that are never figures, whatever follows them."""
    digits = re.sub(r"[^0-9０-９]", "", token)
    previous = before[-1:]
    return (previous == "第"                                                      # ordinal: 第四, 第3条
            or (previous.isascii() and previous.isalnum()) or (following.isascii() and following.isalpha())
            or (previous in "-－—~～:：" and before[-2:-1].isdigit())              # 0851-2822, 10:30
            or (previous in "时点" and bool(NUMBER.match(before[-2:-1] or " ")))   # 9时30分
            or (not digits and previous != "" and previous in "几数上成")          # 几十种, 数百, 成千
            or (not digits and before[-2:-1] != "" and before[-2:-1] in _CHINESE_DIGITS
                and not NUMBER.match(previous or "x"))                                # 三番五次
            or (len(digits) > 1 and digits[0] in "0０" and not re.match(r"[0０][.．]", token)))  # 0851, codes


def _split_magnitude(token: str) -> tuple[str, str]:
    """``"2万"`` -> ``("2", "万")``: a figure keeps the magnitude as part of its unit (2万余人 is 2 万人)."""
    head, last = token[:-1], token[-1:]
    if last in _BIG and head and not any(ch in _BIG for ch in head) and not all(ch in "百千" for ch in head):
        return head, last
    return token, ""


def _value_of(number: str) -> Decimal | None:
    normalized = unicodedata.normalize("NFKC", number).replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", normalized):
        return Decimal(normalized)
    return chinese_to_number(normalized)


def _is_period(unit: str, after: str) -> bool:
    """20天来, 4个多月来: a span of time up to now, the figure's period rather than a figure."""
    if unit in _TIME_UNITS and re.match(r"(?:多|半)?以?[来來]", after):
        return True
    return unit in ("个", "個") and bool(re.match(r"(?:多|半)?月", after))


def _qualifier_before(before: str) -> tuple[str, str]:
    """(the words as written, the schema's qualifier) for a qualifier written before the number."""
    for words in sorted(_QUALIFIER_WORDS_BEFORE, key=len, reverse=True):
        if before.endswith(words):
            return words, _QUALIFIER_WORDS_BEFORE[words]
    return "", ""


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) of the clause around the figure at ``text[start:end]``: between clause marks
    that are neither inside a short quotation nor between two quoted names."""
    at = start
    while (mark := max(text.rfind(m, 0, at) for m in CLAUSE_MARKS)) >= 0 and _inside_a_name(text, mark, start, end):
        at = mark
    clause_start = mark + 1
    at = end
    while (mark := min([i for i in (text.find(m, at) for m in CLAUSE_MARKS) if i >= 0] or [len(text)])) < len(text) \
            and _inside_a_name(text, mark, start, end):
        at = mark + 1
    return clause_start, mark


def _inside_a_name(text: str, mark: int, start: int, end: int) -> bool:
    """Whether the clause mark at ``mark`` belongs to a name rather than the sentence: it stands
    between two quotations (“一橘灯”、“二橘灯”), inside a short quotation the figure is not in,
    or it is the 、 of a list of short names the figure counts (横塘、石陂头、岭脚村三个集中点)."""
    if text[mark - 1:mark] in _CLOSING_QUOTES and text[mark + 1:mark + 2] in _OPENING_QUOTES:
        return True
    if text[mark] == "、" and _in_a_list(text, mark, start, end):
        return True
    name = _name_quotation(text, mark)
    return name is not None and not name[0] < start < end <= name[1]


def _in_a_list(text: str, mark: int, start: int, end: int) -> bool:
    """Whether the 、 at ``mark`` joins two items of a list that is part of the figure's clause:
    the item on the figure's side is short and not empty, and neither item holds a number."""
    previous = max(text.rfind(m, 0, mark) for m in CLAUSE_MARKS) + 1
    following = min([i for i in (text.find(m, mark + 1) for m in CLAUSE_MARKS) if i >= 0] or [len(text)])
    if mark < start:
        near, far = text[mark + 1:min(following, start)], text[previous:mark]
    else:
        near, far = text[max(previous, end):mark], text[mark + 1:following]
    return 0 < len(near) <= _LIST_ITEM and not any(NUMBER.search(item) or re.search("[A-Za-z]", item)
                                                  for item in (near, far))  # N名楼口长 is counted too


def _label(before: str, after: str, clause: str) -> str:
    """What the figure counts: its clause without it, less the linking words (达, 为, 共 …); in a
    clause that changes one figure into another (从45%增加至65%), what changed and which end it is.
    White space between Chinese characters (a line break of the capture) is not kept."""
    before = _LINK_WORDS.sub("", before.strip())
    change_to = _CHANGE_TO.match(after)
    changed = _CHANGED.match(before)
    if _CHANGE_FROM.search(before) and change_to:
        label = f"{before[:-1]}（{change_to.group(1) or '变化'}前）"
    elif changed:
        label = f"{changed.group(1)}（{changed.group(2) or '变化'}后）"
    else:
        label = before + after
    label = label.strip(" 、").lstrip(_CLOSING_QUOTES).rstrip(_OPENING_QUOTES)
    # A quoted name keeps its own spaces (“共读 共享”); the words around it are one phrase.
    parts = re.split(_QUOTATION, label)
    label = "".join(part if index % 2 else _HAN_SPACE.sub("", part) for index, part in enumerate(parts))
    return label[:_max_length("metrics", 0, "label")]


def _quote(passage: str, clause_start: int, clause_end: int, figure_start: int, figure_end: int) -> str:
    """The clause, or in a clause longer than the schema allows (a table pasted without
    punctuation), a window around the figure that starts and ends outside any number."""
    limit = _max_length("metrics", 0, "quote")
    if clause_end - clause_start > limit:
        room = (limit - (figure_end - figure_start)) // 2
        clause_start, clause_end = max(clause_start, figure_start - room), min(clause_end, figure_end + room)
        while clause_start < figure_start and _inside_number(passage, clause_start):
            clause_start += 1
        while clause_end > figure_end and _inside_number(passage, clause_end):
            clause_end -= 1
    # A clause may start inside a quotation (…奶奶,”11岁的…): its stray marks are not the figure's.
    return passage[clause_start:clause_end].strip().lstrip(_CLOSING_QUOTES).rstrip(_OPENING_QUOTES).strip()


def _inside_number(text: str, index: int) -> bool:
    """Whether a cut before ``text[index]`` would split a number."""
    return 0 < index < len(text) and all(NUMBER.fullmatch(ch) for ch in text[index - 1:index + 1])


def _kind(clause: str, unit: str) -> tuple[str, str]:
    """The kind and the words it was read from; ("", words) when the words point both ways or a
    share has no word of change (占30%: the setting, or what the practice achieved)."""
    found = [(kind, cue) for kind, cues in KIND_CUES for cue in cues if cue in clause]
    kinds = {kind for kind, _ in found}
    if len(kinds) == 1:
        return found[0]
    if kinds:
        return "", "、".join(dict.fromkeys(cue for _, cue in found))
    if unit in _RATE_UNITS:
        return "", unit
    return DEFAULT_METRIC_KIND, ""


def _period(sentence_before: str) -> str:
    """The time expression nearest before the figure in its sentence (截至目前, 今年以来 …)."""
    found = list(PERIOD.finditer(sentence_before))
    return found[-1].group()[:_max_length("metrics", 0, "period")] if found else ""


def _max_length(*path) -> int:
    return node_at(base_schema(), path)["maxLength"]


# --- the draft file -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Review:
    """A value the draft guessed, written with a ``# 待核对`` comment saying what to check."""

    value: object
    note: str


@dataclass(frozen=True)
class CaseDraft:
    text: str                   # the draft case file
    figures: list[Figure]
    to_write: list[str]         # the fields holding a placeholder (summary, practice.measures[0].title …)


def draft_case(source: ArchivedSource, case_id: str) -> CaseDraft:
    """A draft case file ``case_id`` citing ``source``, one metric stub per figure."""
    figures = figures_in(source.text)
    to_write: list[str] = []
    source_entry = {"title": source.title or _placeholder(("sources", 0, "title"), to_write),
                    "publisher": source.publisher or _placeholder(("sources", 0, "publisher"), to_write)}
    source_entry.update({key: getattr(source, key) for key in ("author", "date", "url") if getattr(source, key)})
    source_entry["archive"] = source.id
    known: dict[tuple, object] = {("id",): case_id, ("sources",): [source_entry]}
    title_rule = node_at(base_schema(), ("title",))
    if title_rule["minLength"] <= len(source.title) <= title_rule["maxLength"]:
        known[("title",)] = _Review(source.title, "这是报道的标题；改写成一句话：谁在哪里做了什么")
    if figures:
        known[("metrics",)] = [_metric(figure, index, source, to_write) for index, figure in enumerate(figures)]
    body = _case_from_schema(base_schema(), (), known, to_write)
    text = (f"{HEADER_SCHEMA_LINE}\n"
            f"# 案例草稿：由 casebook draft 从 {source.path} 生成，找到 {len(figures)} 个数字。\n"
            f"# 1. 每条数据都要对照原文核对，不是数据的整条删掉；标有“# {REVIEW}”的是推测，核对后删掉这个注释。\n"
            f"# 2. 写着“{DRAFT_PLACEHOLDER}”的字段要你自己写：删掉占位文字和后面的说明，写上内容。\n"
            "# 3. 运行 casebook validate 会逐项列出还没写的字段。\n"
            + "\n".join(_yaml_lines(body, 0)) + "\n")
    fields = list(base_schema()["properties"])
    return CaseDraft(text, figures, sorted(to_write, key=lambda path: fields.index(re.split(r"[.\[]", path)[0])))


def _metric(figure: Figure, index: int, source: ArchivedSource, to_write: list[str]) -> dict:
    value_note = (f"原文写“{figure.unread_qualifier}”，qualifier 没有这个取值：改用最接近的限定词，或写进 label"
                  if figure.unread_qualifier else "")
    if not figure.kind:
        kind = _Review(_placeholder(("metrics", index, "kind"), to_write),
                       f"“{figure.kind_cue}”分不出是成效还是基本情况：做法带来的变化写成效，地方本来的情况写基本情况")
    else:
        kind = _Review(figure.kind, f"从“{figure.kind_cue}”推测" if figure.kind_cue
                       else "原文没有线索，按做法写；是成效或基本情况就改掉")
    metric = {"label": figure.label or _placeholder(("metrics", index, "label"), to_write),
              "kind": kind,
              "value": _Review(_number(figure.value), value_note) if value_note else _number(figure.value)}
    if figure.value_max is not None:
        metric["value_max"] = _number(figure.value_max)
    metric["unit"] = figure.unit
    if figure.qualifier:
        metric["qualifier"] = figure.qualifier
    if figure.period:
        metric["period"] = _Review(figure.period, _period_note(figure.period, source))
    metric["quote"] = figure.quote
    order = list(node_at(base_schema(), ("metrics", 0))["properties"])
    return dict(sorted(metric.items(), key=lambda item: order.index(item[0])))


def _period_note(period: str, source: ArchivedSource) -> str:
    if "目前" in period and re.match(r"\d{4}-\d{1,2}", source.date):
        year, month = source.date.split("-")[:2]
        return f"原文写“{period}”，指报道时：可按报道日期写成“截至{year}年{int(month)}月”"
    return "从原句推测：是这个数字对应的时间才留下"


def _case_from_schema(node: dict, path: tuple, known: dict, to_write: list[str]) -> dict:
    """The case in the schema's field order: what the draft knows, and a placeholder in each
    required field it does not."""
    case = {}
    for name, prop in node.get("properties", {}).items():
        field = path + (name,)
        if field in known:
            case[name] = known[field]
        elif name in node.get("required", ()):
            case[name] = _required_value(prop, field, known, to_write)
    return case


def _required_value(prop: dict, field: tuple, known: dict, to_write: list[str]):
    kinds = types_of(prop)
    if "object" in kinds:
        return _case_from_schema(prop, field, known, to_write)
    if "array" in kinds:
        item = forms(prop.get("items", {}))[0]  # an item of two forms is drafted in the preferred one
        if "object" in types_of(item):
            return [_case_from_schema(item, field + (0,), known, to_write)]
        to_write.append(field_path(field + (0,)))
        return [f"{DRAFT_PLACEHOLDER}{field_note(prop)}"]  # the list's note: its items have none
    if "string" in kinds:
        return _placeholder(field, to_write)
    to_write.append(field_path(field))
    return None


def _placeholder(field: tuple, to_write: list[str]) -> str:
    """The placeholder for a field, followed by what to write there (its note in the schema)."""
    to_write.append(field_path(field))
    return f"{DRAFT_PLACEHOLDER}{field_note(node_at(base_schema(), field))}"


def _yaml_lines(node, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                lines.append(f"{pad}{key}:")
                lines += _yaml_lines(value, indent + 2)
            else:
                lines.append(f"{pad}{key}: {_leaf(value)}")
    else:
        for item in node:
            if isinstance(item, dict):
                item_lines = _yaml_lines(item, indent + 2)
                lines += [f"{pad}- {item_lines[0].lstrip()}"] + item_lines[1:]
            else:
                lines.append(f"{pad}- {_leaf(item)}")
    return lines


def _leaf(value) -> str:
    if isinstance(value, _Review):
        return f"{_leaf(value.value)}  # {REVIEW}：{value.note}"
    return "" if value is None else yaml_scalar(value)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
