"""The finder's static index: character bigrams in small chunks the browser loads on demand.

The finder page (docs/finder.md, docs/assets/javascripts/finder.js) searches in the browser.
Chinese has no spaces and the browser has no jieba, so text is indexed as overlapping character
pairs (the classic CJK approach: 网格员 -> 网格, 格员), which finds words inside compounds and
ranks whole-sentence questions sensibly (BM25 over the pairs, any of them may match).
Terms are spread over shards by a hash both sides compute; a query loads only its shards, plus
one file of per-case facts for filtering and counting and the few case chunks it displays.
Every file is a script that hands its data to ``casebookFinder.receive``, so the finder also
works when the site is opened from disk (file://), where fetch() is not allowed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict

from . import analysis
from .catalog import Catalog
from .memo import CaseMemo, compute_each
from .model import Case

FINDER_DIR = "finder-index"
DOCS_PER_CHUNK = 100
TARGET_SHARD_BYTES = 24_000
FACETS = ("province", "city", "level", "setting", "year", "metrics", "tag")
# How much a pair counts, by where it occurs.
FIELD_WEIGHTS = (("title", 3), ("tags", 2), ("practice", 2), ("summary", 2), ("region", 2), ("body", 1))
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """What finder.js does to a query: NFKC, lower case, traditional -> simplified."""
    return analysis.to_simplified(unicodedata.normalize("NFKC", text).lower())


def tokens(text: str) -> list[str]:
    """Character pairs of Chinese runs (a lone character stands alone), whole Latin words."""
    result = []
    for run in _RUNS.findall(fold(text)):
        if _CJK.match(run) and len(run) > 1:
            result.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            result.append(run)
    return result


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over the UTF-16 code units; finder.js computes the same."""
    value = 0x811C9DC5
    for character in token:
        value ^= ord(character)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value % shards


def _fields(case: Case, synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    practice = case.practice
    return {
        "title": case.title,
        # A tag's synonyms are indexed with it, so 积分管理 finds the cases tagged 积分制.
        "tags": " ".join(word for tag in case.tags for word in (tag, *synonyms.get(tag, ()))),
        "practice": practice.name,
        "summary": case.summary,
        "region": " ".join(case.region.levels),
        "body": " ".join([case.background, practice.description,
                          *(f"{m.title} {m.detail}" for m in practice.measures),
                          *(f"{a.name} {a.role}" for a in practice.actors),
                          *(m.label for m in case.metrics), *case.outcomes, *case.lessons]),
    }


def _weighted_counts(case: Case, synonyms: dict[str, tuple[str, ...]]) -> Counter:
    counts: Counter = Counter()
    fields = _fields(case, synonyms)
    for field, weight in FIELD_WEIGHTS:
        for token in tokens(fields[field]):
            counts[token] += weight
    return counts


def finder_files(catalog: Catalog, memo: CaseMemo | None = None) -> dict[str, str]:
    """Every file of the finder index: ``{path: script text}``. A long-running caller passes a
    ``memo`` so that only changed cases are tokenized again."""
    synonyms = {tag.name: tag.synonyms for tag in catalog.vocabulary.tags}
    purpose = ("finder", tuple(sorted(synonyms.items())))
    cases = catalog.cases
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    lengths = []
    for number, case in enumerate(cases):
        counts = compute_each(memo, purpose, case, lambda case: _weighted_counts(case, synonyms))
        lengths.append(sum(counts.values()))
        for token, count in counts.items():
            postings[token].append((number, count))

    estimated_bytes = sum(len(token) * 3 + 8 * len(items) for token, items in postings.items())
    shards = 1
    while estimated_bytes / shards > TARGET_SHARD_BYTES:
        shards *= 2
    sharded: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for token in sorted(postings):
        flat, previous = [], 0
        for number, count in postings[token]:
            flat += [number - previous, count]  # document numbers as gaps: smaller files
            previous = number
        sharded[shard_of(token, shards)][token] = flat

    files = {f"{FINDER_DIR}/meta.js": _script("meta", _meta(catalog, lengths, shards))}
    for number, shard in enumerate(sharded):
        files[f"{FINDER_DIR}/terms/{number}.js"] = _script(f"terms/{number}", shard)
    for start in range(0, len(cases), DOCS_PER_CHUNK):
        chunk = [[c.id, c.title, c.region.label, c.level, c.summary[:140]] for c in cases[start:start + DOCS_PER_CHUNK]]
        files[f"{FINDER_DIR}/docs/{start // DOCS_PER_CHUNK}.js"] = _script(f"docs/{start // DOCS_PER_CHUNK}", chunk)
    return files


def _meta(catalog: Catalog, lengths: list[int], shards: int) -> dict:
    values: dict[str, list[str]] = {}

    def facet_values(case: Case) -> dict[str, list[str]]:
        return {"province": [case.region.province], "city": [case.region.city] if case.region.city else [],
                "level": [case.level], "setting": [case.region.setting],
                "year": [str(case.year)] if case.year else [],
                "metrics": ["有数据" if case.metrics else "无数据"], "tag": list(case.tags)}

    per_case = [facet_values(case) for case in catalog.cases]
    for facet in FACETS:
        values[facet] = sorted({value for facts in per_case for value in facts[facet]})
    positions = {facet: {value: i for i, value in enumerate(values[facet])} for facet in FACETS}
    docs = [[length] + [[positions[facet][v] for v in facts[facet]] for facet in FACETS]
            for length, facts in zip(lengths, per_case)]
    return {"count": len(lengths), "average_length": sum(lengths) / max(1, len(lengths)), "shards": shards,
            "docs_per_chunk": DOCS_PER_CHUNK, "facets": list(FACETS), "values": values, "docs": docs}


def _script(name: str, data) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"casebookFinder.receive({json.dumps(name)},{payload});\n"
