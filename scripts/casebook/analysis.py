"""How Chinese text becomes search terms, the same way for the index and for queries.

Steps: Unicode NFKC (full-width -> half-width) and lower case; OpenCC traditional -> simplified,
so 網格員 and 网格员 are one term; jieba search-mode segmentation with the governance dictionary
in data/dictionary.txt; stop words dropped. jieba and OpenCC load lazily, once per process.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

# Function words and question words that carry no topic (一个 whole question is a valid query).
STOP_WORDS = frozenset("""
的 了 和 与 及 或 在 是 为 把 被 让 使 对 从 向 以 于 等 着 也 都 就 而 又 并 中 上 下 里 个 这 那
这个 那个 这些 那些 如何 怎样 怎么 怎么样 什么 哪些 哪里 为什么 是否 能否 可以 能 会 要 应该 我们 我 你 他 她 它
他们 她们 一 一些 有 没有 进行 开展 通过 有关 相关 问题 方面 工作 吗 呢 啊 吧 之 其 该 各 每 ， 。 、 ？ ！ ：
""".split())

_jieba_lock = threading.Lock()


@lru_cache(maxsize=4)
def _segmenter(dictionary: Path | None):
    import jieba  # imported here: it costs ~0.7 s and many commands never segment

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        segmenter = jieba.Tokenizer()
        segmenter.initialize()  # reads the prefix dictionary from jieba's cache file
        if dictionary and dictionary.exists():
            segmenter.load_userdict(str(dictionary))
    return segmenter


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)


class CharacterMap(dict):
    """What each character becomes under ``fold`` (of one character), by code point, worked out
    the first time the character is seen: ``text.translate(CharacterMap(fold))`` then folds a
    text without a Python call per character, where the checks spend much of their time."""

    def __init__(self, fold: Callable[[str], str]):
        super().__init__()
        self.fold = fold

    def __missing__(self, code: int) -> str:
        folded = self[code] = self.fold(chr(code))
        return folded


def traditional_variants(characters: Iterable[str]) -> dict[str, str]:
    """For each of ``characters`` that has a different traditional form: {traditional: simplified}.

    The site's search runs in the browser and knows no OpenCC; this map, made at build time for
    the characters the site's search index holds, lets it fold a traditional query (網格員) to
    simplified. Characters are converted one by one, as the browser folds them."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    variants = {}
    for character in sorted({to_simplified(character) for character in characters}):
        traditional = to_traditional.convert(character)
        if len(traditional) == 1 and traditional != character:
            variants[traditional] = character
    return variants


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, traditional to simplified."""
    return _converter().convert(unicodedata.normalize("NFKC", text).lower())


def terms(text: str, dictionary: Path | None) -> list[str]:
    """The search terms of ``text``, in order, overlapping compounds included, segmented with the
    governance terms in ``dictionary`` (the index and its queries must use the same one)."""
    return [word for word, _, _ in _segments(text, dictionary)]


def _segments(text: str, dictionary: Path | None):
    normalized = normalize(text)
    for word, start, end in _segmenter(dictionary).tokenize(normalized, mode="search", HMM=False):
        word = word.strip()
        if word and word not in STOP_WORDS and not unicodedata.category(word[0]).startswith(("P", "Z", "S")):
            yield word, start, end
