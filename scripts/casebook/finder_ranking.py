"""The browser's ranking, in Python: what search-engine.js ``search`` computes, over the same files.

The site's search boxes rank in the browser (docs/assets/javascripts/search-engine.js) over the
static index casebook.finder writes. This module reads those files and ranks as the engine does,
step for step: the query folded with the site's folding table (folding.js), question words taken
out, runs of Chinese cut into pairs, each pair's postings weighted by its IDF, the bonus of a
named tag, the cut of weak matches of a long question (KEEP_SHARE), and coverage (a case holding
every word of the query ranks higher). Tests run the same queries through both and require the
same order and the same scores: the browser's behaviour is the product, and this is its
specification in the language of the rest of the pipeline.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from .finder import shard_of
from .render import FOLDING_SCRIPT
from .routes import CONTENT_HASH_LENGTH, match
from .search_contract import (
    HAN,
    IMPACT_SCALE,
    KEEP_SHARE,
    PHRASE_CHARS,
    ROW_FIELDS,
    ROWS_PER_FILE,
    RUNS,
    index_file,
    tag_term,
)

_HAN = re.compile(f"[{HAN}]")
_INDEX_SCRIPT = re.compile(r'casebook\.receiveIndex\("([^"]+)",(.*)\);\n', re.S)
_VARIANTS = re.compile(r"const variants = (\{.*?\});")


class _Index:
    """The index files of one build, read as the engine loads them: by name, on demand."""

    def __init__(self, files: Mapping[str, str]):
        self.scripts = {keys["path"]: text for path, text in files.items() if (keys := match("finder_index", path))}
        self.variants: dict[str, str] = json.loads(_VARIANTS.search(files[FOLDING_SCRIPT]).group(1))
        self.loaded: dict[str, object] = {}

    def load(self, kind: str, **keys):
        name = index_file(kind, **keys)
        if name not in self.loaded:
            handed, payload = _INDEX_SCRIPT.fullmatch(self.scripts[name]).groups()
            assert handed == name, f"{name} hands over {handed}"
            self.loaded[name] = json.loads(payload)
        return self.loaded[name]

    def fold(self, text: str) -> str:
        """folding.js: NFKC, lower case, then the table's simplified form of each character."""
        return "".join(self.variants.get(c, c) for c in unicodedata.normalize("NFKC", text).lower())


def rank(query: str, files: Mapping[str, str]) -> list[tuple[str, float]]:
    """The cases the browser lists for ``query``, best first, with their scores. ``files``: the
    index and the folding script as ``casebook.finder.finder_files`` makes them ({path: text})."""
    index = _Index(files)
    meta = index.load("meta")
    query_tokens = _tokens(query, meta, index)
    tags = _tags_named(query, meta, index)
    postings = {}
    for token in [*query_tokens, *map(tag_term, tags)]:
        flat = index.load("terms", shard=shard_of(token, meta["shards"])).get(token)
        if flat:
            postings[token] = flat
    query_words = list(dict.fromkeys(run for run in _runs(query, meta, index) if len(run) <= PHRASE_CHARS))
    scores = _scores(meta, query_tokens, tags, postings, query_words)
    ranked = sorted(scores, key=lambda doc: (-scores[doc], doc))
    return [(_row(index, doc)[ROW_FIELDS.index("id")], scores[doc]) for doc in ranked]


def site_files(site: Path) -> dict[str, str]:
    """What ``rank`` reads, from a built site: its index folder and its folding script (a build
    names the script by its content, folding.1a2b3c4d.js)."""
    stem, _, suffix = FOLDING_SCRIPT.rpartition(".")
    (folding,) = (path for path in site.glob(f"{stem}*.{suffix}")
                  if re.fullmatch(rf"{re.escape(stem)}(\.[0-9a-f]{{{CONTENT_HASH_LENGTH}}})?\.{suffix}",
                                  path.relative_to(site).as_posix()))
    files = {FOLDING_SCRIPT: folding.read_text(encoding="utf-8")}
    for path in site.rglob("*.js"):
        name = path.relative_to(site).as_posix()
        if match("finder_index", name):
            files[name] = path.read_text(encoding="utf-8")
    return files


def _runs(text: str, meta: dict, index: _Index) -> list[str]:
    folded = index.fold(text)
    for word in meta["stop_words"]:
        folded = folded.replace(word, " ")
    return RUNS.findall(folded)


def _pairs(run: str) -> list[str]:
    if not _HAN.search(run) or len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _tokens(text: str, meta: dict, index: _Index) -> list[str]:
    return list(dict.fromkeys(itertools.chain.from_iterable(map(_pairs, _runs(text, meta, index)))))


def _tags_named(text: str, meta: dict, index: _Index) -> list[str]:
    folded = index.fold(text)
    return [tag for tag, names in meta["tags"].items() if any(index.fold(name) in folded for name in names)]


def _docs(flat: list[int]) -> list[int]:
    return list(itertools.accumulate(flat[0::2]))


def _holders(word: str, postings: dict) -> set[int]:
    """The cases that hold every pair of a word."""
    pairs = _pairs(word)
    if not all(pair in postings for pair in pairs):
        return set()
    return set.intersection(*(set(_docs(postings[pair])) for pair in pairs))


def _scores(meta: dict, query_tokens: list[str], tags: list[str], postings: dict, query_words: list[str]) -> dict:
    scores: dict[int, float] = {}

    def add(flat: list[int], weight: float) -> None:
        for doc, impact in zip(_docs(flat), flat[1::2], strict=True):
            scores[doc] = scores.get(doc, 0) + weight * impact

    for token in query_tokens:
        if token in postings:
            df = len(postings[token]) / 2
            add(postings[token], math.log(1 + (meta["count"] - df + 0.5) / (df + 0.5)) / IMPACT_SCALE)
    for tag in tags:
        if tag_term(tag) in postings:
            add(postings[tag_term(tag)], meta["tag_mention_bonus"] / IMPACT_SCALE)
    if len(query_tokens) > 2 and scores:
        best = max(scores.values())
        scores = {doc: value for doc, value in scores.items() if value >= KEEP_SHARE * best}
    # After the cut, so that coverage reorders what is kept and drops nothing.
    if query_words:
        held = {doc: 0 for doc in scores}
        for word in query_words:
            for doc in _holders(word, postings) & held.keys():
                held[doc] += 1
        scores = {doc: value * (1 + meta["coverage_weight"] * held[doc] / len(query_words))
                  for doc, value in scores.items()}
    return scores


def _row(index: _Index, doc: int) -> list:
    return index.load("docs", chunk=doc // ROWS_PER_FILE)[doc % ROWS_PER_FILE]
