"""Stage 4: the offline search index (Whoosh) and the queries over it.

Whoosh is kept behind this module alone: it is unmaintained, and swapping it must stay cheap. Each
text is segmented once, in Python (``analysis.terms``). The fields of a case the schema marks as
searched (``x-search``: title, practice, tags...) are searched as ONE Whoosh field, in which every
term of a case is written once with its BM25F score as its weight: the frequencies of the term,
weighted by field, summed and saturated (Robertson's BM25F), times its IDF. A query word then reads
one posting list instead of one per field, scoring only adds stored numbers, and the stored maxima
let Whoosh skip the postings of common words that cannot reach the top results: this is what keeps a
whole-sentence question fast at 10,000 cases. The same terms give every case its weighted key terms
(TF-IDF), stored in the index (key_terms.json): the text signal of comparable cases
(casebook.comparables).

The index lives in one folder, is rebuilt only when its inputs change (a content hash), and is
written to a temporary folder that replaces the old one in one rename, so a crash mid-build
leaves the previous index usable.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.analysis import DelimitedAttributeFilter, SpaceSeparatedTokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, NumericRange, Or, Term

from . import analysis, workers
from .catalog import Catalog
from .model import Case
from .schema import search_plan, searched_text
from .search_contract import PHRASE_CHARS, RUNS
from .staging import staged_directory

INDEX_FORMAT = "casebook-index-12"  # change when the analysis changes (the schema's search entries are hashed)
# The fields' weights, BM25's k1 and b, the named-tag bonus and the coverage weight are the
# project's search settings (``catalog.config.search``, casebook.config.SearchSettings), shared
# with the finder's engine. They are written into the index (settings.json), so a search reads
# them from the index it queries.
SEARCHED_FIELDS = tuple(search_plan())  # the schema's ``x-search``
SETTINGS_FILE = "settings.json"
KEY_TERMS = 25            # terms kept per case to compare cases (casebook.comparables)
BUILD_TIMEOUT_S = 3600    # far above a 10,000-case build (a minute): a hung worker fails the build, not CI
DICTIONARY_COPY = "dictionary.txt"  # the dictionary the index was built with; its queries use it too


class IndexMissing(Exception):
    """No index on disk yet: the message says which command builds it."""


class IndexBuildFailed(Exception):
    pass


@dataclass(frozen=True)
class SearchHit:
    id: str
    title: str
    region: str
    level: str
    score: float
    snippet: str

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "region": self.region, "level": self.level,
                "score": round(self.score, 4), "snippet": self.snippet}


def _schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # "term^impact" tokens (see _write_index). No positions: phrase queries are never
        # used, and positions double the writing time.
        text=TEXT(analyzer=SpaceSeparatedTokenizer() | DelimitedAttributeFilter(attribute="boost", type=float),
                  phrase=False),
        stored=STORED,  # what results show: title, region, snippet text
        province=ID(stored=True), city=ID(stored=True), county=ID(stored=True),
        tag=KEYWORD(stored=True, commas=True), level=ID(stored=True), setting=ID(stored=True),
        year=NUMERIC(stored=True),
    )


def field_texts(case: Case, synonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The text of each searched field of a case (the schema's ``x-search``)."""
    return {name: searched_text(name, getattr(case, name), synonyms) for name in SEARCHED_FIELDS}


def _snippet_text(case: Case) -> str:
    return "\n".join([case.summary, case.practice.description, *(m.detail for m in case.practice.measures),
                      *(outcome.text for outcome in case.outcomes)])


# --- building ----------------------------------------------------------------------------------

def catalog_hash(catalog: Catalog, dictionary: Path) -> str:
    """Changes whenever anything the index is built from changes: the case files' bytes and the
    vocabularies (the catalog's fingerprint), the dictionary, the search settings and the format."""
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    digest.update(json.dumps([dict(catalog.config.search), search_plan(), KEY_TERMS], sort_keys=True,
                             ensure_ascii=False).encode())
    digest.update(catalog.fingerprint.encode())
    if dictionary.exists():
        digest.update(dictionary.read_bytes())
    return digest.hexdigest()


def ensure_index(catalog: Catalog, index_dir: Path, dictionary: Path,
                 on_key_terms: Callable[[dict[str, dict[str, float]]], None] | None = None,
                 background: bool = False) -> bool:
    """Build the index into ``index_dir`` unless it is already current; True if it was built.

    The index is built in a worker process (casebook.workers): it takes memory (about 1 GB at
    10,000 cases: analysed texts, Whoosh's posting pool, jieba) that a Python process keeps once
    it has had it, and a worker gives it back when it ends. ``on_key_terms`` is called with every
    case's key terms as soon as the texts are analysed, before the Whoosh index is written: the
    comparable cases need only them, so a site build can render its pages while the index is
    being written. A ``background`` build yields the processor to everything else (the rebuilds
    of a preview the editor waits for). IndexBuildFailed, chained to the worker's exception,
    when the build fails or takes longer than BUILD_TIMEOUT_S."""
    if index_is_current(catalog, index_dir, dictionary):
        return False
    wanted = catalog_hash(catalog, dictionary)
    with staged_directory(index_dir) as staging:
        if dictionary.exists():
            shutil.copyfile(dictionary, staging / DICTIONARY_COPY)
        copied = staging / DICTIONARY_COPY
        try:
            workers.run_in_worker("建立检索索引", _write_index, catalog, staging, copied if copied.exists() else None,
                                  timeout=BUILD_TIMEOUT_S, on_message=on_key_terms, nice=10 if background else 0)
        except workers.WorkerFailed as error:
            raise IndexBuildFailed(str(error)) from error.__cause__
        (staging / "catalog.sha256").write_text(wanted)
    return True


def _analysed_case(texts: dict[str, str], dictionary: Path | None,
                   boosts: dict[str, float]) -> tuple[dict[str, float], Counter]:
    """A case's terms with their field-weighted frequencies (for search), and the counts of the
    terms of its own text, without tags and region (for its key terms)."""
    fields = {field: analysis.terms(text, dictionary) for field, text in texts.items()}
    weighted: dict[str, float] = defaultdict(float)
    for field, terms in fields.items():
        for term in terms:
            weighted[term] += boosts[field]
    own_text = Counter(term for field, terms in fields.items() if field not in ("tags", "region") for term in terms)
    return dict(weighted), own_text


def _analysed(texts: list[dict[str, str]], dictionary: Path | None, boosts: dict[str, float],
              parallel_from: int) -> list[tuple[dict[str, float], Counter]]:
    """Every case analysed. From ``parallel_from`` cases on, in a pool on every core:
    segmentation is most of the cost of an index build, and jieba is single-threaded."""
    analyse = functools.partial(_analysed_case, dictionary=dictionary, boosts=boosts)
    processes = os.cpu_count() or 1
    if len(texts) < parallel_from or processes == 1:
        return list(map(analyse, texts))
    with workers.worker_pool(processes, initializer=analysis.terms, initargs=("预热", dictionary)) as pool:
        return list(pool.map(analyse, texts, chunksize=64, timeout=BUILD_TIMEOUT_S))


def _write_index(catalog: Catalog, directory: Path, dictionary: Path | None) -> None:
    """The index worker: analyses the texts, sends the key terms to the caller, writes the index."""
    search = catalog.config.search
    synonyms = {tag.name: tag.synonyms for tag in catalog.vocabulary.tags}
    analysed = _analysed([field_texts(case, synonyms) for case in catalog.cases], dictionary, search.field_weights,
                         catalog.config.parallel.analyse_from)
    key_terms = dict(zip((case.id for case in catalog.cases), _key_terms([counts for _, counts in analysed]), strict=True))
    workers.send(key_terms)
    (directory / "key_terms.json").write_text(json.dumps(key_terms, ensure_ascii=False), encoding="utf-8")
    weighted = [terms for terms, _ in analysed]
    del analysed, key_terms
    ix = whoosh_index.create_in(directory, _schema())
    writer = ix.writer(limitmb=1024)
    for case, impacts in zip(catalog.cases, _bm25f_impacts(weighted, search.k1, search.b), strict=True):
        writer.add_document(
            id=case.id,
            # "term^impact": DelimitedAttributeFilter makes the impact the term's weight. Terms
            # never hold "^" or spaces: analysis drops symbols and spaces.
            text=" ".join(f"{term}^{impact:.4g}" for term, impact in impacts.items()),
            stored={"title": case.title, "region": case.region.label, "snippet": _snippet_text(case)},
            province=case.region.province, city=case.region.city, county=case.region.county,
            tag=",".join(case.tags), level=case.level, setting=case.region.setting, year=case.year or 0,
        )
    writer.commit()
    (directory / "vocabulary.json").write_text(
        json.dumps({name: list(words) for name, words in synonyms.items()}, ensure_ascii=False), encoding="utf-8")
    (directory / SETTINGS_FILE).write_text(json.dumps(dict(search), ensure_ascii=False, sort_keys=True),
                                           encoding="utf-8")


def _bm25f_impacts(weighted: list[dict[str, float]], k1: float, b: float):
    """For each case, each term's BM25F score: its field-weighted frequency saturated against the
    case's weighted length, times the term's IDF. A query's score is the sum of its terms'
    impacts, so a search only adds up stored numbers."""
    document_frequency = Counter(term for terms in weighted for term in terms)
    lengths = [sum(terms.values()) for terms in weighted]
    average_length = sum(lengths) / max(len(lengths), 1)
    total = len(weighted)
    for terms, length in zip(weighted, lengths, strict=True):
        saturation = k1 * (1 - b + b * length / average_length)
        yield {term: math.log(1 + (total - document_frequency[term] + 0.5) / (document_frequency[term] + 0.5))
               * frequency * (k1 + 1) / (frequency + saturation)
               for term, frequency in terms.items()}


def _key_terms(counts: list[Counter]) -> list[dict[str, float]]:
    """Each case's strongest terms by TF-IDF, as unit-length weights."""
    document_frequency = Counter(term for count in counts for term in count)
    total = len(counts)
    result = []
    for count in counts:
        scored = {term: (1 + math.log(tf)) * math.log(1 + total / document_frequency[term])
                  for term, tf in count.items() if len(term) > 1}
        top = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:KEY_TERMS]
        norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
        result.append({term: round(weight / norm, 5) for term, weight in top})
    return result


# --- querying ----------------------------------------------------------------------------------

class CaseIndex:
    """An open index: search and facet values."""

    def __init__(self, index_dir: Path):
        if not all((index_dir / name).exists() for name in ("catalog.sha256", SETTINGS_FILE)) \
                or not whoosh_index.exists_in(index_dir):
            raise IndexMissing(f"找不到检索索引 {index_dir}。请先运行 casebook index（或 make build）")
        self.index_dir = index_dir
        # Queries are segmented with the dictionary the index was built with.
        self.dictionary = index_dir / DICTIONARY_COPY if (index_dir / DICTIONARY_COPY).exists() else None
        self.ix = whoosh_index.open_dir(index_dir)
        self.synonyms: dict[str, list[str]] = json.loads((index_dir / "vocabulary.json").read_text(encoding="utf-8"))
        self.settings: dict = json.loads((index_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
        # Scores are the stored impacts, and a flat bonus for a named tag: nothing to compute at
        # query time, and exact upper bounds that let Whoosh skip what cannot reach the top.
        self.searcher = self.ix.searcher(weighting=scoring.Frequency())

    def close(self) -> None:
        self.searcher.close()

    def facet_values(self, field: str) -> set[str]:
        values: set[str] = set()
        for fields in self.searcher.all_stored_fields():
            raw = str(fields.get(field, ""))
            values.update(raw.split(",") if field == "tag" else [raw])
        values.discard("")
        return values

    def tags_mentioned(self, query: str) -> list[str]:
        """Tags whose name or synonym the query mentions (积分管理 -> 积分制)."""
        folded = analysis.normalize(query)
        return [tag for tag, synonyms in self.synonyms.items()
                if any(analysis.normalize(name) in folded for name in (tag, *synonyms))]

    def search(self, text: str, *, province: str | None = None, tag: str | None = None,
               level: str | None = None, year: int | None = None, limit: int = 10) -> list[SearchHit]:
        words = list(dict.fromkeys(analysis.terms(text, self.dictionary)))
        clauses = [Term("text", word) for word in words]
        clauses += [Term("tag", name, boost=self.settings["tag_mention_bonus"]) for name in self.tags_mentioned(text)]
        if not clauses:
            return []
        filters = [Term(field, value) for field, value in
                   (("province", province), ("tag", tag), ("level", level)) if value]
        if year:
            filters.append(NumericRange("year", year, year))
        # A plain sum over the words: Whoosh 2.7's scaled Or (coordination) drops top documents.
        # Every match is kept, as coverage may lift any of them into the first ``limit``.
        results = self.searcher.search(Or(clauses), limit=None, filter=And(filters) if filters else None)
        phrase_words = self._phrase_words(text)
        held = self._words_held(phrase_words)
        coverage = self.settings["coverage_weight"]
        scored = [(score * (1 + coverage * held[docnum] / len(phrase_words)) if phrase_words else score, docnum)
                  for score, docnum in results.top_n]
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self._hit(docnum, score, words) for score, docnum in scored[:limit]]

    def _phrase_words(self, text: str) -> list[str]:
        """The words of the query's phrases (PHRASE_CHARS: only they count for coverage, as in the
        browser's engine), question words taken out first."""
        folded = analysis.normalize(text)
        for stop_word in analysis.STOP_WORDS:
            if len(stop_word) > 1:
                folded = folded.replace(stop_word, " ")
        runs = [run for run in RUNS.findall(folded) if len(run) <= PHRASE_CHARS]
        return list(dict.fromkeys(word for run in runs for word in analysis.terms(run, self.dictionary)))

    def _words_held(self, words: list[str]) -> Counter:
        """docnum -> how many of the query's words the case holds."""
        reader = self.searcher.reader()
        held: Counter = Counter()
        for word in words:
            if ("text", word) in reader:
                held.update(reader.postings("text", word).all_ids())
        return held

    def _hit(self, docnum: int, score: float, words: list[str]) -> SearchHit:
        fields = self.searcher.stored_fields(docnum)
        stored = fields["stored"]
        return SearchHit(fields["id"], stored["title"], stored["region"], fields["level"], score,
                         make_snippet(stored["snippet"], words))


def built_hash(index_dir: Path) -> str | None:
    """The ``catalog_hash`` the index in ``index_dir`` was built for; None when there is none."""
    try:
        return (index_dir / "catalog.sha256").read_text()
    except FileNotFoundError:
        return None


def index_is_current(catalog: Catalog, index_dir: Path, dictionary: Path) -> bool:
    return built_hash(index_dir) == catalog_hash(catalog, dictionary)


def make_snippet(text: str, words: list[str], width: int = 80) -> str:
    """The sentence that mentions the most query words, with those words marked 【】."""
    sentences = [s for s in re.split(r"(?<=[。！？；\n])", text) if s.strip()]
    if not sentences:
        return ""
    wanted = [w for w in sorted(set(words), key=len, reverse=True) if len(w) > 1 or not w.isascii()]

    def hits(sentence: str) -> int:
        folded = analysis.normalize(sentence)
        return sum(1 for w in wanted if w in folded)

    best = max(sentences, key=hits).strip()
    if len(best) > width:
        best = best[:width] + "…"
    if not wanted:
        return best
    pattern = re.compile("|".join(re.escape(word) for word in wanted))
    return pattern.sub(lambda match: f"【{match.group()}】", best)
