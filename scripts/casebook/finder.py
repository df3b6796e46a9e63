"""The browser's search index: character bigrams in small files the browser loads on demand.

Every search box of the site (the header box on every page, the home page box and the 案例检索
finder page) runs one engine, docs/assets/javascripts/search-engine.js, over this index.
Chinese has no spaces and the browser has no jieba, so text is indexed as overlapping character
pairs (the classic CJK approach: 网格员 -> 网格, 格员), which finds words inside compounds and
ranks whole-sentence questions sensibly (BM25 over the pairs, any of them may match).

Each posting stores a pair's BM25 term weight in a case, already saturated against the case's
length, so a query needs only the shards of its own pairs: no per-case table grows with the
library on the way to a first result. Terms are spread over shards by a hash both sides compute.
The finder page alone loads the per-case facts it filters and counts by (facets.js), and only
once a filter or a query asks for them: with neither it lists every case from pages of rows
written in each order it offers (list/<order>/<n>.js), with the counts of every filter value
(overview.js), so a first paint loads the same few kilobytes at 18 cases or 10,000.
Hand-written pages (关于, 投稿, 数据下载 …) are a second, small document set (pages.js).
Every file is a script that hands its data to ``casebook.receiveIndex``, so search also works
when the site is opened from disk (file://), where fetch() is not allowed.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pypinyin
import yaml

from . import analysis
from .catalog import Catalog
from .config import SearchSettings
from .index import field_texts
from .memo import CaseMemo, compute_each
from .model import Case
from .render import FOLDING_SCRIPT, newest_first, render_folding_script
from .routes import ROUTES, content_hash, match, route
from .search_contract import (
    FACETS,
    HAN,
    IMPACT_SCALE,
    LISTING_ORDERS,
    PAGE_ROW_FIELDS,
    ROW_FIELDS,
    ROWS_PER_FILE,
    RUNS,
    index_file,
    tag_term,
)

FINDER_DIR = ROUTES["finder_index"].partition("/")[0]  # the folder of the index files
PREVIEW_VERSION = "preview"  # the index's folder in a preview, see finder_files
TARGET_SHARD_BYTES = 24_000
BYTES_PER_POSTING = 8     # about what a posting takes in a shard file, its term's share included
YEAR_UNKNOWN = "年份不详"
FACET_KEYS = tuple(facet.key for facet in FACETS)
# BM25 over field-weighted pair counts, with the field weights, saturation and named-tag bonus of
# the Whoosh index (both read the project's search settings, catalog.config.search; the engine
# gets them in meta.js): on the judged queries (tests/search/relevance.yaml, run in
# Chromium by tests/browser/test_search_relevance.py) they also rank pairs best among the
# settings tried (k1 1.2-16, b 0.3-0.75, tag bonus 0.5-4). What the engine and this module share
# (the cut into pairs, the constants, the files' names and rows) is casebook.search_contract.
SNIPPET_CHARS = 160
_CJK = re.compile(f"[{HAN}]")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MARKUP = re.compile(r"<[^>]+>|!?\[([^\]]*)\]\([^)]*\)|[#*`>|_]+|-{3,}")


def fold(text: str) -> str:
    """What the browser does to a query: NFKC, lower case, traditional -> simplified."""
    return analysis.to_simplified(unicodedata.normalize("NFKC", text).lower())


def tokens(text: str) -> list[str]:
    """Character pairs of Chinese runs (a lone character stands alone), whole Latin words."""
    result = []
    for run in RUNS.findall(fold(text)):
        if len(run) > 1 and _CJK.match(run):
            result.extend(map(str.__add__, run, run[1:]))
        else:
            result.append(run)
    return result


def shard_of(token: str, shards: int) -> int:
    """FNV-1a over the UTF-16 code units; search-engine.js computes the same."""
    value = 0x811C9DC5
    for character in token:
        value ^= ord(character)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value % shards


# --- hand-written pages -----------------------------------------------------------------------

@dataclass(frozen=True)
class HandWrittenPage:
    path: str   # the page's file name without suffix, the key of its route ("page"): "about"
    title: str
    text: str   # plain text, markup removed


def hand_written_pages(docs_dir: Path, contributing: Path) -> list[HandWrittenPage]:
    """The site's hand-written pages (docs/*.md, and CONTRIBUTING.md shown as contributing.md),
    as plain text. The home page is generated from the cases and is not among them."""
    sources = {path.stem: path for path in docs_dir.glob("*.md") if path.stem != "index"}
    if contributing.exists():
        sources["contributing"] = contributing
    return [_page(stem, sources[stem].read_text(encoding="utf-8")) for stem in sorted(sources)]


def _page(stem: str, markdown: str) -> HandWrittenPage:
    meta = {}
    front = _FRONT_MATTER.match(markdown)
    if front:
        meta = yaml.safe_load(front.group(1)) or {}
        markdown = markdown[front.end():]
    heading = re.search(r"^# (.+)$", markdown, re.M)
    title = str(meta.get("title") or (heading.group(1).strip() if heading else stem))
    text = _MARKUP.sub(lambda match: match.group(1) or " ", markdown)
    return HandWrittenPage(stem, title, " ".join(text.split()))


# --- the index files ----------------------------------------------------------------------------

class FinderState:
    """What the previous ``finder_files`` call made. A long-running caller (``mkdocs serve``)
    keeps it, so that an edited case rewrites only the shards holding the terms it changed. The
    case numbers, the average length and the number of shards must be the same as before; an
    added or deleted case, or an edit that moves the rounded average length, rebuilds them all."""

    def __init__(self) -> None:
        self.key: tuple = ()
        self.cases: tuple[Case, ...] = ()
        self.payloads: list[str] = []  # each shard's JSON


def finder_files(catalog: Catalog, pages: list[HandWrittenPage] = (), memo: CaseMemo | None = None,
                 state: FinderState | None = None, content_named: bool = True) -> dict[str, str]:
    """Every file of the browser's search index, and the script that folds the traditional
    characters of a query to the simplified ones the index holds: ``{path: script text}``. The
    index's folder is named by its content (``content_named``; see ``index_version``). A
    long-running caller passes a ``memo`` so that only changed cases are tokenized again, and a
    ``state`` so that only the shards they change are written again; it keeps one folder name
    (a preview: a new name would write every file again on every edit)."""
    synonyms = {tag.name: tag.synonyms for tag in catalog.vocabulary.tags}
    search = catalog.config.search
    purpose = ("finder", tuple(sorted(synonyms.items())), tuple(sorted(search.field_weights.items())))
    cases = catalog.cases
    weighted = [compute_each(memo, purpose, case, lambda case: _weighted_pairs(case, synonyms, search.field_weights))
                for case in cases]
    # Rounded, so that an edit rarely changes it: every impact depends on it.
    average_length = float(f"{sum(pairs.length for pairs in weighted) / max(1, len(cases)):.3g}")
    postings_count = sum(len(pairs.counts) + len(case.tags) for pairs, case in zip(weighted, cases, strict=True))
    shards = 1
    while BYTES_PER_POSTING * postings_count / shards > TARGET_SHARD_BYTES:
        shards *= 2
    key = (tuple(case.id for case in cases), average_length, shards, purpose, search.k1, search.b)
    if state is not None and state.key == key:
        payloads = _updated_payloads(state, cases, weighted, average_length, shards, synonyms, search)
    else:
        payloads = _payloads(cases, weighted, average_length, shards, search)
    if state is not None:
        state.key, state.cases, state.payloads = key, cases, payloads

    characters = set().union(*(pairs.characters for pairs in weighted), fold("".join(p.title + p.text for p in pages)))
    meta = {"count": len(cases), "shards": shards,
            "tag_mention_bonus": search.tag_mention_bonus, "coverage_weight": search.coverage_weight,
            "stop_words": sorted(word for word in analysis.STOP_WORDS if len(word) > 1 and _CJK.match(word)),
            "tags": {tag.name: [tag.name, *tag.synonyms] for tag in catalog.vocabulary.tags},
            # The problem pages a search box suggests when a query's words are a problem's
            # (data/taxonomy.yaml), with how many cases each has.
            "problems": [{"slug": problem.slug, "name": problem.name, "description": problem.description,
                          "cases": sum(problem.name in case.problems for case in cases)}
                         for problem in catalog.vocabulary.problems]}
    scripts = {**_script(index_file("meta"), meta), **_script(index_file("facets"), _facets(catalog)),
               **_script(index_file("pages"), [[getattr(p, field) for field in PAGE_ROW_FIELDS] for p in pages])}
    for number, payload in enumerate(payloads):
        scripts.update(_wrapped(index_file("terms", shard=number), payload))
    rows = [_row(case) for case in cases]
    for start in range(0, len(cases), ROWS_PER_FILE):
        scripts.update(_script(index_file("docs", chunk=start // ROWS_PER_FILE), rows[start:start + ROWS_PER_FILE]))
    scripts.update(_listing_files(catalog, rows))
    version = content_hash(*itertools.chain.from_iterable(sorted(scripts.items()))) if content_named else PREVIEW_VERSION
    files = {route("finder_index", version, name): text for name, text in scripts.items()}
    files[FOLDING_SCRIPT] = render_folding_script(character for character in characters if _CJK.match(character))
    return files


def index_version(files: dict[str, str]) -> str:
    """The name of the index's folder among ``finder_files``: routes.js takes it from here."""
    return next(keys["version"] for name in files if (keys := match("finder_index", name)))


def _row(case: Case) -> list:
    """What a result shows (search-engine.js ``cases`` reads it by the contract's ``ROW_FIELDS``):
    the same for a search result and for a row of the list of all cases."""
    shown = {"id": case.id, "title": case.title, "region": case.region.label, "level": case.level,
             "summary": case.summary[:SNIPPET_CHARS], "year": case.year or "", "tags": list(case.tags)}
    return [shown[field] for field in ROW_FIELDS]


def listing_orders(catalog: Catalog) -> dict[str, list[int]]:
    """The orders the finder lists cases in, as case numbers: the newest reported first; by
    province (in the official order, then city and county, newest first within each); by title."""
    number = {case.id: n for n, case in enumerate(catalog.cases)}
    newest = [number[case.id] for case in newest_first(catalog.cases)]
    rank = {n: i for i, n in enumerate(newest)}
    province_rank = {name: i for i, name in enumerate(catalog.vocabulary.province_names)}
    cases = catalog.cases
    orders = {
        "newest": newest,
        "province": sorted(newest, key=lambda n: (province_rank[cases[n].region.province], cases[n].region.city,
                                                 cases[n].region.county, rank[n])),
        "title": sorted(range(len(cases)), key=lambda n: (title_sort_key(cases[n].title), cases[n].id)),
    }
    return {order: orders[order] for order, _ in LISTING_ORDERS}  # the contract names the orders


def title_sort_key(title: str) -> tuple:
    """Titles in the order of their pinyin, as a Chinese index lists them (the code points of
    Chinese characters follow no order a reader knows)."""
    folded = fold(title)
    return (pypinyin.lazy_pinyin(folded, errors="default"), folded)


def _listing_files(catalog: Catalog, rows: list[list]) -> dict[str, str]:
    """Every case in each order, a page of rows to a file, and what the finder shows beside them
    before any filter is chosen: the number of cases with each filter value."""
    orders = listing_orders(catalog)
    files = {}
    for order, numbers in orders.items():
        for start in range(0, len(numbers), ROWS_PER_FILE):
            name = index_file("list", order=order, page=start // ROWS_PER_FILE)
            files.update(_script(name, [rows[n] for n in numbers[start:start + ROWS_PER_FILE]]))
        files.update(_script(index_file("order", order=order), numbers))
    counts = {facet: dict(Counter(value for case in catalog.cases for value in _facet_values(case)[facet]))
              for facet in FACET_KEYS}
    files.update(_script(index_file("overview"), {"count": len(catalog.cases), "counts": counts}))
    return files


def _impacts(case: Case, pairs: _Pairs, average_length: float, search: SearchSettings) -> dict[str, int]:
    """A case's postings: each of its pairs' BM25 weight, saturated against its length, and its
    tags' terms."""
    k1, b = search.k1, search.b
    saturation = k1 * (1 - b + b * pairs.length / average_length)
    by_count: dict[float, int] = {}  # a case's counts take few distinct values
    impacts = {}
    for token, count in pairs.counts.items():
        impact = by_count.get(count)
        if impact is None:
            impact = by_count[count] = max(1, round(IMPACT_SCALE * count * (k1 + 1) / (count + saturation)))
        impacts[token] = impact
    for tag in case.tags:
        impacts[tag_term(tag)] = IMPACT_SCALE
    return impacts


def _payloads(cases, weighted, average_length: float, shards: int, search: SearchSettings) -> list[str]:
    """Every shard's JSON: {term: [case number, impact, ...]}, case numbers as gaps."""
    postings: dict[str, list[int]] = defaultdict(list)
    for number, (case, pairs) in enumerate(zip(cases, weighted, strict=True)):
        for token, impact in _impacts(case, pairs, average_length, search).items():
            postings[token] += (number, impact)
    sharded: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for token, flat in postings.items():
        numbers = flat[0::2]
        flat[0::2] = [number - previous for number, previous in zip(numbers, [0, *numbers], strict=False)]  # gaps: smaller files
        sharded[shard_of(token, shards)][token] = flat
    return [_json(shard) for shard in sharded]


def _updated_payloads(state: FinderState, cases, weighted, average_length: float, shards: int,
                      synonyms, search: SearchSettings) -> list[str]:
    """The previous shards, with the postings of the cases that changed since replaced."""
    payloads = list(state.payloads)
    changes: dict[int, dict[str, list[tuple[int, int | None]]]] = defaultdict(lambda: defaultdict(list))
    for number, (case, before) in enumerate(zip(cases, state.cases, strict=True)):
        if case is before:
            continue
        # Its pairs are no longer kept.
        old = _impacts(before, _weighted_pairs(before, synonyms, search.field_weights), average_length, search)
        new = _impacts(case, weighted[number], average_length, search)
        for token in old.keys() | new.keys():
            if old.get(token) != new.get(token):
                changes[shard_of(token, shards)][token].append((number, new.get(token)))
    for shard, tokens_changed in changes.items():
        postings = json.loads(payloads[shard])
        for token, updates in tokens_changed.items():
            numbers = list(itertools.accumulate(postings.get(token, [])[0::2]))
            impacts = dict(zip(numbers, postings.get(token, [])[1::2], strict=True))
            for number, impact in updates:
                if impact is None:
                    del impacts[number]
                else:
                    impacts[number] = impact
            if impacts:
                ordered = sorted(impacts)
                postings[token] = [value for number, previous in zip(ordered, [0, *ordered], strict=False)
                                   for value in (number - previous, impacts[number])]
            else:
                del postings[token]
        payloads[shard] = _json(postings)
    return payloads


class _Pairs(NamedTuple):
    counts: Counter         # pair -> its field-weighted count (a pair in the title counts more)
    length: float           # the counts' sum
    characters: frozenset   # the characters of the pairs


def _weighted_pairs(case: Case, synonyms: dict[str, tuple[str, ...]], field_weights: dict[str, float]) -> _Pairs:
    counts: Counter = Counter()
    for field, text in field_texts(case, synonyms).items():
        boost = field_weights[field]
        for token, count in Counter(tokens(text)).items():
            # The same pair in 10,000 cases is one string, not 10,000: half the memory of the counts.
            counts[sys.intern(token)] += count * boost
    return _Pairs(counts, sum(counts.values()), frozenset("".join(counts)))


def _facet_values(case: Case) -> dict[str, list[str]]:
    """A case's values of each filter of the finder."""
    return {"province": [case.region.province], "city": [case.region.city] if case.region.city else [],
            "level": [case.level], "setting": [case.region.setting],
            # Most reports give no date: a filter of the few dated years alone would hide that
            # most cases have none.
            "year": [str(case.year) if case.year else YEAR_UNKNOWN],
            "metrics": ["有数据" if case.metrics else "无数据"], "tag": list(case.tags),
            "problem": list(case.problems)}


def _facets(catalog: Catalog) -> dict:
    """What the finder filters and counts by: each case's values as positions in sorted lists."""
    per_case = [_facet_values(case) for case in catalog.cases]
    values = {facet: sorted({value for facts in per_case for value in facts[facet]}) for facet in FACET_KEYS}
    positions = {facet: {value: i for i, value in enumerate(values[facet])} for facet in FACET_KEYS}

    def cell(facet: str, facts: list[str]):
        # One value is written as a number, not a list of one: a third smaller at 10,000 cases.
        numbers = [positions[facet][v] for v in facts]
        return numbers[0] if len(numbers) == 1 else numbers

    docs = [[cell(facet, facts[facet]) for facet in FACET_KEYS] for facts in per_case]
    return {"facets": list(FACET_KEYS), "values": values, "docs": docs}


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _script(name: str, data) -> dict[str, str]:
    return _wrapped(name, _json(data))


def _wrapped(name: str, payload: str) -> dict[str, str]:
    """The index file ``name`` (the key of its route ``finder_index``): a script handing over its data."""
    return {name: f"casebook.receiveIndex({json.dumps(name)},{payload});\n"}
