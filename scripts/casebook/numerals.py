"""Numbers as Chinese news text writes them: 305、1,397、３０５、2.5、三、十余、两千五百、兩萬、1亿2000万,
and the figure around a number: its unit and the qualifier next to it (约560米, 90余件, 90%以上).

Finding where a number is written is ours (a run of numeral characters in a quote); reading a
Chinese numeral is the kept library ``cn2an``'s job.
"""

from __future__ import annotations

import bisect
import functools
import re
import typing
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

_ARABIC = re.compile(r"\d+(?:\.\d+)?")
DIGIT_CHARS = "零〇一二三四五六七八九两兩壹贰貳叁參肆伍陆陸柒捌玖"
LEADING_UNITS = "百佰千仟万萬亿億"
MAGNITUDES = "万萬亿億"
_GROUP_OF_THREE = re.compile(r"\d{3}(?!\d)")
_NUMERAL_CHARS = DIGIT_CHARS + "十拾" + LEADING_UNITS
_PART = rf"(?:\d+(?:\.\d+)?|[{_NUMERAL_CHARS}])"
# A run of Chinese numerals, possibly mixed with digits (8万3千, 1.2万), possibly with a decimal
# part read out (五十六点七).
_CHINESE = re.compile(rf"{_PART}*[{_NUMERAL_CHARS}]{_PART}*(?:点[{DIGIT_CHARS}]+)?")


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in ``text``, in digits, Chinese numerals or a mix (8万3千)."""
    return {value for value, _, _ in _numbers_at(_fold(text)[0])}


def _numbers_at(folded: str) -> list[tuple[Decimal, int, int]]:
    """Each number of folded text with where it starts and ends. A Chinese numeral ending in 万 or
    亿 is also read without it (两万余人 is 2 万人 as well as 20000 人): cases write either."""
    found = [(Decimal(match.group()).normalize(), match.start(), match.end()) for match in _ARABIC.finditer(folded)]
    for match in _CHINESE.finditer(folded):
        numeral, start = match.group(), match.start()
        value = chinese_to_number(numeral)
        if value is not None:
            found.append((value.normalize(), start, match.end()))
        head = numeral[:-1]
        if numeral[-1] in MAGNITUDES and head and not any(ch in MAGNITUDES for ch in head) and not head.isdigit():
            value = chinese_to_number(head)
            if value is not None:
                found.append((value.normalize(), start, match.end() - 1))
    return found


def _fold(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` with the spellings that mean the same folded (full-width forms by NFKC, white
    space and digit-grouping commas dropped), and for each folded character the offset of the
    character it came from."""
    chars: list[str] = []
    offsets: list[int] = []
    for offset, character in enumerate(text):
        for folded in unicodedata.normalize("NFKC", character):
            if folded.isspace():
                continue
            if folded == "," and chars and chars[-1].isdigit() and _GROUP_OF_THREE.match(text, offset + 1):
                continue  # 1,397
            chars.append(folded)
            offsets.append(offset)
    return "".join(chars), tuple(offsets)


def chinese_to_number(numeral: str) -> Decimal | None:
    """``"两千五百"`` -> 2500, ``"1亿2000万"`` -> 120000000, ``"五十六点七"`` -> 56.7; None if not a numeral."""
    if numeral[0] in LEADING_UNITS:
        numeral = "一" + numeral  # 百余期, 千余人: a unit on its own means one of it
    try:
        # "smart" reads numerals mixed with digits (8万3千) as well as pure ones (二〇二四).
        value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, IndexError):  # cn2an raises ValueError on text that is no number
        return None
    return Decimal(str(value))


def same_number(value: float | int, text: str) -> bool:
    """Whether ``text`` writes the number ``value`` (305 matches 305.0 and 三百零五)."""
    try:
        wanted = Decimal(str(value)).normalize()
    except InvalidOperation:
        return False
    return wanted in numbers_in(text)


# --- the figure around a number ------------------------------------------------------------------
#
# A metric's quote must write its number with the metric's unit right after it, and with its
# qualifier next to it. What counts as the same writing is this list and nothing more (CONTRIBUTING.md,
# 写作规范, repeats it for contributors): the folds of ``_fold`` (３０５ = 305, ％ = %, 1,397 = 1397);
# traditional and simplified characters (個 = 个, 萬 = 万); 百分之九十 = 90%; a rate unit and the
# same rate said with 每 (元/年 = 每年……900元); and the long spellings of two qualifiers below.
# 人 and 名, 件 and 起, % and 个百分点 are different words and stay different.

# Measure words and units, longest first so 立方米 wins over 米 and 个百分点 over 个.
MEASURE_WORDS = sorted("""
立方米 平方公里 平方米 公里 千米 米 公顷 亩 吨 千克 公斤 元 人次 场次 个 名 人 位 次 件 条 户 支 所 家 份
栋 座 项 场 期 级 天 小时 分钟 周 周岁 年 届 批 类 种 台 辆 张 篇 本 套 间 处 组 村 镇 万 亿 % 个百分点 个月 起 岁
""".split(), key=len, reverse=True)
PERCENT_WORDS = "百分之"
RATE_WORD = "每"
QUALIFIER_SPELLINGS = {"超过": "超", "不到": "不足"}
# Words that end in a qualifier without being one next to the number: 节约20万元 is not 约20万元,
# and 近3年 may be "the last three years" as well as "nearly three years".
NOT_QUALIFIERS = ("节约", "制约", "预约", "签约", "最近", "附近", "临近", "靠近", "就近", "赶超")
AMBIGUOUS_BEFORE_TIME = {"近": ("年", "月", "天", "日", "周")}
# Words that start with a qualifier written after a unit without being one: 12次多方协商 is twelve
# rounds of talks among several parties, not "more than 12".
NOT_QUALIFIERS_AFTER = ("多方", "多元", "多种", "多样", "多部门", "多渠道", "多形式", "多层", "多重", "多功能",
                        "多彩", "多措", "多家", "多项", "多个", "多名", "多次", "多人", "余下")
CUMULATIVE = "累计"  # says the figure adds up, anywhere before the number (累计补水量达8万3千余)
RANGE_MARKS = "~-—–至到"
_CLAUSE_END = re.compile(r"[,，。;；:：!！?？、]")


@dataclass(frozen=True)
class WrittenFigure:
    """One place where a quote writes a number (or a range): the folded text before it and after
    it (after its upper bound for a range), and where it is in the quote as written."""

    quote: str
    folded: str        # the quote folded (``_fold``)
    before_end: int    # the folded text before the figure ends here
    after_start: int   # and the text after it starts here
    percent: bool      # written 百分之N: the text after it reads as %
    start: int         # where the figure is in ``quote`` as written
    end: int

    @property
    def before(self) -> str:
        return self.folded[:self.before_end]

    @property
    def after(self) -> str:
        return ("%" if self.percent else "") + self.folded[self.after_start:]

    def unit_qualifier(self, unit: str, after_qualifiers: tuple[str, ...]) -> str | None:
        """The qualifier written after the number ("" for none) when the quote writes ``unit``
        right after the number, inside it (2万余人) or after it (90%以上); None when it does not."""
        for before, after in self._readings():
            for base in _unit_spellings(_fold(unit)[0], before + after):
                for qualifier in after_qualifiers:
                    if any(after.startswith(base[:k] + qualifier + base[k:]) for k in range(len(base))):
                        return qualifier
                    if after.startswith(base + qualifier) and not after[len(base):].startswith(NOT_QUALIFIERS_AFTER):
                        return qualifier
                if after.startswith(base):
                    return ""
        return None

    def qualifiers_before(self, before_qualifiers: tuple[str, ...]) -> dict[str, str]:
        """The qualifiers written right before the number, each with its spelling there (约: 约,
        超: 超过), and 累计 anywhere before it."""
        found = {}
        spellings = {**{q: q for q in before_qualifiers}, **QUALIFIER_SPELLINGS}
        for before, _ in self._readings():
            if any(before.endswith(word) for word in NOT_QUALIFIERS):
                continue
            found |= {meaning: spelling for spelling, meaning in spellings.items()
                      if meaning in before_qualifiers and before.endswith(spelling)}
            if CUMULATIVE in before_qualifiers and CUMULATIVE in before:
                found[CUMULATIVE] = CUMULATIVE
            if found:
                break
        return found

    def longer_unit(self, unit: str, after_qualifiers: tuple[str, ...]) -> str:
        """The longer unit the quote writes when ``unit`` is only the start of it (个 of 3个百分点
        and of 4个多月, 万人 of 25万人次), else ""."""
        unit = _fold(unit)[0]
        for text in self._without_qualifier(after_qualifiers):
            if not text.startswith(unit):
                continue
            for cut in range(len(unit)):
                tail = unit[cut:]
                word = next((w for w in MEASURE_WORDS if len(w) > len(tail) and w.startswith(tail)
                             and text.startswith(w, cut)), "")
                if word:
                    return unit[:cut] + word
        return ""

    def measure_word(self, after_qualifiers: tuple[str, ...]) -> str:
        """The longest measure word the quote writes after the number (a qualifier inside it
        left out), for messages; "" when none is known."""
        words = []
        for text in self._without_qualifier(after_qualifiers):
            word = next((w for w in MEASURE_WORDS if text.startswith(w)), "")
            if word and word in MAGNITUDES:  # 2万人: the unit is 万人
                word += next((w for w in MEASURE_WORDS if text.startswith(w, len(word))), "")
            words.append(word)
        return max(words, key=len)

    def _without_qualifier(self, after_qualifiers: tuple[str, ...]):
        """The text after the number, and the same with a qualifier written inside the unit left
        out (2万余人 -> 2万人), in each reading."""
        for _, after in self._readings():
            yield after
            for qualifier in after_qualifiers:
                at = after.find(qualifier, 0, 4)
                if at >= 0:
                    yield after[:at] + after[at + len(qualifier):]

    @property
    def range_follows(self) -> bool:
        """Whether the number is the lower end of a range the quote writes (2~3个)."""
        return bool(self.after[:1]) and self.after[0] in RANGE_MARKS and bool(_numbers_at(self.after[1:2]))

    def written_with(self, word: str, after_qualifiers: tuple[str, ...]) -> str:
        """The number (or range) as the quote writes it, up to the end of the unit ``word`` that
        follows it (1000名, 4个多月)."""
        size = len(word)
        if not self.percent:
            for length in range(len(word), len(word) + 3):
                piece = _fold(self.quote[self.end:self.end + length])[0]
                spellings = {piece, _simplified(piece)}  # 餘戶 is 余户
                if word in spellings | {text.replace(q, "", 1) for text in spellings for q in after_qualifiers}:
                    size = length
                    break
        return self.quote[self.start:self.end] + ("" if self.percent else self.quote[self.end:self.end + size])

    def around(self, characters: int = 8) -> str:
        """The number with a few characters of the quote on each side."""
        start, end = max(0, self.start - characters), min(len(self.quote), self.end + characters)
        return ("…" if start else "") + self.quote[start:end] + ("…" if end < len(self.quote) else "")

    def _readings(self):
        """(before, after) as written, then in simplified characters when that differs (個 = 个)."""
        yield self.before, self.after
        simplified = _simplified(self.folded)
        if simplified != self.folded and len(simplified) == len(self.folded):
            yield simplified[:self.before_end], ("%" if self.percent else "") + simplified[self.after_start:]


def written_figures(quote: str, value, value_max=None) -> list[WrittenFigure]:
    """Every place ``quote`` writes ``value`` (as the lower end of a range up to ``value_max``,
    when given), in reading order."""
    folded, offsets = _fold(quote)
    numbers = _numbers_at(folded)
    wanted = Decimal(str(value)).normalize()
    upper = Decimal(str(value_max)).normalize() if value_max is not None else None
    figures = []
    for number, start, end in sorted(numbers, key=lambda found: found[1:]):
        if number != wanted:
            continue
        if upper is not None:
            end = _range_end(folded, end, numbers, upper)
            if end is None:
                continue
        percent = folded.endswith(PERCENT_WORDS, 0, start)
        before_end = start - len(PERCENT_WORDS) if percent else start
        figures.append(WrittenFigure(quote, folded, before_end, end, percent, offsets[before_end], offsets[end - 1] + 1))
    return figures


class AmountAsWritten(typing.NamedTuple):
    """A figure in its quote's own words and order (约300人, 2万余人, 90%以上, 8万3千余立方米):
    ``text``, and where in it the number ends and the unit (and what follows it) begins."""

    text: str
    unit_at: int

    @property
    def number(self) -> str:
        return self.text[:self.unit_at]

    @property
    def unit(self) -> str:
        return self.text[self.unit_at:]


def amount_as_written(quote: str, value, value_max, unit: str, qualifier: str,
                      qualifiers: tuple[tuple[str, ...], tuple[str, ...]]) -> AmountAsWritten | None:
    """Where ``quote`` writes the figure ``value`` (up to ``value_max``) with ``unit`` and
    ``qualifier`` next to it, as the quote writes it: the qualifier before the number (约, 超过),
    the number as written (8万3千, 百分之九十, 1,397), a qualifier inside the unit (2万余人) or
    after it (90%以上), in simplified characters. ``qualifiers`` are the schema's qualifiers written before the number and
    those written after it. None when the quote does not write it so (the validator says why);
    累计 may stand far from the number and is then left out."""
    before_qualifiers, after_qualifiers = qualifiers
    folded, offsets = _fold(quote)
    unit = _fold(unit)[0]
    for figure in written_figures(quote, value, value_max):
        inner = figure.unit_qualifier(unit, after_qualifiers)
        if inner is None:
            continue
        start = figure.start
        if qualifier in before_qualifiers:
            spelling = figure.qualifiers_before((qualifier,)).get(qualifier)
            if spelling is None:
                continue  # the quote writes the number here without the qualifier
            if figure.before.endswith(spelling):
                start = offsets[figure.before_end - len(spelling)]
        if "/" in unit and not _simplified(figure.after).startswith(unit):
            # A rate said with 每 (每年900元 for 元/年): the figure reads from 每 on.
            base, per = unit.split("/", 1)
            said_at = figure.before.rfind(RATE_WORD + per)
            if said_at < 0 or _CLAUSE_END.search(figure.before, said_at):
                continue
            start, unit = min(start, offsets[said_at]), base
        text = figure.written_with(unit, after_qualifiers)
        end = figure.start + len(text)
        if qualifier in after_qualifiers and qualifier not in _simplified(_fold(text)[0]):
            at = bisect.bisect_left(offsets, end)  # the folded text after the unit: 以上 of 90%以上
            if _simplified(folded[at:at + len(qualifier)]) != qualifier:
                continue
            end = offsets[at + len(qualifier) - 1] + 1
        # In the page's script: 6個 of a traditional-script article reads 6个, as its quote folds.
        text = quote[start:end]
        simplified = _simplified(text)
        return AmountAsWritten(simplified if len(simplified) == len(text) else text, figure.end - start)
    return None


def _range_end(folded: str, end: int, numbers, upper: Decimal) -> int | None:
    """Where the range from the number ending at ``end`` up to ``upper`` ends (2~3, 2至3, 2个到3个
    with the first unit written as well), or None when no such range follows."""
    mark = end
    while mark < min(len(folded), end + 4) and folded[mark] not in RANGE_MARKS and not _numbers_at(folded[mark]):
        mark += 1  # a unit written after the lower end too: 2个至3个
    if mark >= len(folded) or folded[mark] not in RANGE_MARKS:
        return None
    return next((stop for number, start, stop in numbers if start == mark + 1 and number == upper), None)


def _unit_spellings(unit: str, text: str) -> list[str]:
    """The unit, and for a rate (元/年) said with 每 in the quote (每年……900元) the unit without it."""
    spellings = [unit]
    if "/" in unit:
        base, per = unit.split("/", 1)
        if base and RATE_WORD + per in text:
            spellings.append(base)
    return spellings


@functools.lru_cache(maxsize=256)
def _simplified(text: str) -> str:
    from .analysis import to_simplified  # OpenCC loads on first use: many commands never need it

    return to_simplified(text)
