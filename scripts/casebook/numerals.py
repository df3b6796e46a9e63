"""Numbers as Chinese news text writes them: 305、1,397、３０５、2.5、三、十余、两千五百、兩萬、1亿2000万.

Finding where a number is written is ours (a run of numeral characters in a quote); reading a
Chinese numeral is the kept library ``cn2an``'s job.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

import cn2an

_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_DIGIT_CHARS = "零〇一二三四五六七八九两兩壹贰貳叁參肆伍陆陸柒捌玖"
_LEADING_UNITS = "百佰千仟万萬亿億"
_NUMERAL_CHARS = _DIGIT_CHARS + "十拾" + _LEADING_UNITS
_PART = rf"(?:\d+(?:\.\d+)?|[{_NUMERAL_CHARS}])"
# A run of Chinese numerals, possibly mixed with digits (8万3千, 1.2万), possibly with a decimal
# part read out (五十六点七).
_CHINESE = re.compile(rf"{_PART}*[{_NUMERAL_CHARS}]{_PART}*(?:点[{_DIGIT_CHARS}]+)?")


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in ``text``, in digits, Chinese numerals or a mix (8万3千)."""
    normalized = unicodedata.normalize("NFKC", text).replace(",", "")  # full-width digits, 1,397
    found = {Decimal(match.group()).normalize() for match in _ARABIC.finditer(normalized)}
    for match in _CHINESE.finditer(normalized):
        value = chinese_to_number(match.group())
        if value is not None:
            found.add(value.normalize())
    return found


def chinese_to_number(numeral: str) -> Decimal | None:
    """``"两千五百"`` -> 2500, ``"1亿2000万"`` -> 120000000, ``"五十六点七"`` -> 56.7; None if not a numeral."""
    if numeral[0] in _LEADING_UNITS:
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
