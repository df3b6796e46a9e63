"""Numbers as Chinese news text writes them: 305、1,397、３０５、2.5、三、十余、两千五百、兩萬."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_NUMERAL_CHARS = "".join([*_DIGITS, *_UNITS, *_BIG_UNITS])
# A run of Chinese numerals, possibly mixed with digits as in 8万3千 or 1.2万.
_CHINESE = re.compile(rf"(?:\d+(?:\.\d+)?|[{_NUMERAL_CHARS}])*[{_NUMERAL_CHARS}](?:\d+(?:\.\d+)?|[{_NUMERAL_CHARS}])*")
_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_NUMERAL_CHARS}]")


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
    """``"两千五百"`` -> 2500, ``"十二"`` -> 12, ``"二〇二四"`` -> 2024, ``"8万3千"`` -> 83000."""
    tokens = _TOKEN.findall(numeral)
    if not any(t not in _BIG_UNITS for t in tokens):
        return None
    if not any(t in _UNITS or t in _BIG_UNITS for t in tokens):
        if any(t not in _DIGITS for t in tokens):
            return None
        return Decimal("".join(str(_DIGITS[t]) for t in tokens))  # digit by digit, as in years
    total, section, digit = Decimal(0), Decimal(0), None
    for token in tokens:
        if token in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[token]
            digit = None
        elif token in _BIG_UNITS:
            section += digit or 0
            total = (total + section) * _BIG_UNITS[token]
            section, digit = Decimal(0), None
        else:
            digit = Decimal(_DIGITS[token]) if token in _DIGITS else Decimal(token)
    return total + section + (digit or 0)
def same_number(value: float | int, text: str) -> bool:
    """Whether ``text`` writes the number ``value`` (305 matches 305.0 and 三百零五)."""
    try:
        wanted = Decimal(str(value)).normalize()
    except InvalidOperation:
        return False
    return wanted in numbers_in(text)
