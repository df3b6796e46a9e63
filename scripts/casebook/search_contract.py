"""What Python and the browser agree on about search, declared once.

The browser's search index (casebook.finder writes it, search-engine.js reads it) and the finder
page (finder.js) share a format: how text is cut into terms, the constants of the ranking, the
fields of a result row, the names of the index files, the filters and their URL parameters, the
names of the query string. They are written here only: the Python side imports them, and the
browser gets them as the generated module ``search-contract`` (``assets/javascripts/search.js``,
see ``contract_script``), as it gets its addresses from routes.js. The per-library values of the
ranking (k1, b, the field weights, ``tag_mention_bonus``, ``coverage_weight``) are the project's
search settings (casebook.config.SearchSettings), which the index's meta file carries.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from .schema import base_schema, label_of

SEARCH_SCRIPT = "assets/javascripts/search.js"

# --- text into terms --------------------------------------------------------------------------------
HAN = "\u3400-\u9fff\uf900-\ufaff"  # the Chinese characters (CJK unified ideographs and compatibility)
RUNS = re.compile(f"[{HAN}]+|[a-z0-9]+")  # over folded text: runs of Chinese, Latin words and numbers
# A run of up to this many characters is a word or phrase, which a case mentions in full or not;
# a longer one is a whole question, which no case is expected to hold word for word. Only the
# words of phrases count for coverage (a case holding all of them ranks higher), in both engines.
PHRASE_CHARS = 6
TAG_TERM_PREFIX = "#"  # the term listing a tag's cases is "#" + the tag: no pair holds "#"

# --- ranking (the browser's engine) -----------------------------------------------------------------
# A long question matches almost every case weakly: of a query of more than two terms, only the
# cases scoring at least this share of the best are kept (before coverage reorders them).
KEEP_SHARE = 0.15
IMPACT_SCALE = 10  # term weights are stored as small integers (the same ranking as 100, smaller files)

# --- the index files ----------------------------------------------------------------------------------
# Each a script in the index's folder (the route ``finder_index``), named by these patterns.
INDEX_FILES = {
    "meta": "meta",                  # counts, the ranking settings, stop words, tags and synonyms
    "terms": "terms/{shard}",        # postings of the terms hashed to a shard
    "docs": "docs/{chunk}",          # result rows, by case number
    "list": "list/{order}/{page}",   # result rows in a listing order, a page at a time
    "order": "order/{order}",        # case numbers in a listing order
    "overview": "overview",          # counts of every filter value, before any filter
    "facets": "facets",              # each case's filter values
    "pages": "pages",                # the hand-written pages
}
ROWS_PER_FILE = 20  # rows of a docs/ or list/ file: a result list touches a few small files

# What a result shows, in the order of a row (a row is a list, smaller than an object).
ROW_FIELDS = ("id", "title", "region", "level", "summary", "year", "tags")
PAGE_ROW_FIELDS = ("path", "title", "text")  # a hand-written page's row (pages)


# --- the finder page ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Facet:
    key: str    # its column in the index files (facets, overview)
    param: str  # its URL parameter (?province=福建省)
    label: str  # its name on the page
    by_value: bool = False  # its values listed by value, the last first (years), not by count
    page: str = ""  # the route of a page listing its values (casebook.page_kinds), linked from the filter


def _schema_label(path: str) -> str:
    node = {"properties": base_schema()["properties"]}
    for name in path.split("."):
        node = node["properties"][name]
    return label_of(node)


# The finder's filters, in the order it shows them. The schema names the fields at length for
# forms (省级行政区全称); the filters use short names, the schema's where it has one.
FACETS = (
    Facet("province", "province", "省份"),
    Facet("city", "city", "城市"),
    Facet("problem", "problem", "问题"),
    Facet("tag", "tag", _schema_label("tags")),
    Facet("level", "level", "层级"),
    Facet("setting", "setting", "城乡"),
    Facet("year", "year", "年份", by_value=True, page="years"),
    Facet("metrics", "metrics", _schema_label("metrics")),
)
# The orders the finder lists in: by relevance (with a query), else casebook.finder's listing orders.
RELEVANCE = ("relevance", "相关度")
LISTING_ORDERS = (("newest", "最新"), ("province", "省份"), ("title", "标题"))
# The query string of the finder's address; every other parameter is a filter. ``former_query``:
# the name old links still use.
QUERY_PARAMS = {"query": "q", "former_query": "kw", "sort": "sort"}
# The names a link to the finder uses, by the facet's key or the query's part: templates build
# their links (a problem's cases in the finder) and the search forms their inputs from it.
FINDER_PARAMS = {**{facet.key: facet.param for facet in FACETS}, **QUERY_PARAMS}


def index_file(kind: str, **keys) -> str:
    """The name of an index file: ``index_file("terms", shard=3)`` -> ``terms/3``."""
    return INDEX_FILES[kind].format(**keys)


def tag_term(tag: str) -> str:
    """The term under which the cases of a tag are listed: a query naming the tag or one of its
    synonyms (积分管理 -> 积分制) adds this term's postings."""
    return TAG_TERM_PREFIX + tag


def contract() -> dict:
    """Everything above, as data for the browser."""
    return {
        "han": HAN, "phraseChars": PHRASE_CHARS, "tagTermPrefix": TAG_TERM_PREFIX,
        "keepShare": KEEP_SHARE, "impactScale": IMPACT_SCALE,
        "files": INDEX_FILES, "rowsPerFile": ROWS_PER_FILE, "rowFields": list(ROW_FIELDS),
        "pageRowFields": list(PAGE_ROW_FIELDS),
        "facets": [asdict(facet) for facet in FACETS],
        "sorts": [dict(zip(("key", "label"), sort, strict=True)) for sort in (RELEVANCE, *LISTING_ORDERS)],
        "params": QUERY_PARAMS,
    }


def contract_script() -> str:
    """The module ``search-contract`` of the browser's scripts (casebook.js)."""
    text = json.dumps(contract(), ensure_ascii=False, sort_keys=True, indent=1)
    return ("// Generated at build time by casebook.search_contract; do not edit. The search engine\n"
            "// and the finder read the index's format and the finder's names from here.\n"
            f"casebook.provide(\"search-contract\", {text});\n")
