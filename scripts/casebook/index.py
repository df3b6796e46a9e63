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
import multiprocessing
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

from . import analysis
from .catalog import Catalog
from .model import Case
from .schema import search_plan, search_weights, searched_text
from .staging import staged_directory

INDEX_FORMAT = "casebook-index-11"  # change when the analysis changes (the schema's search entries are hashed)
# Weights of the searched fields (``x-search`` in case_schema.yaml), written into the index as
# term weights; compared on the relevance set by `python -m benchmarks.field_boosts`.
FIELD_BOOSTS = search_weights()
# BM25's term-frequency saturation. Weighted frequencies are several times raw counts, so the
# usual 1.2 saturates after one mention; chosen on the relevance set with the weights above.
BM25_K1 = 8.0
BM25_B = 0.75  # how much a long case's frequencies are discounted
# Added for each tag the query names (by name or synonym), about the score of one well-matched
# word; compared on the relevance set by `python -m benchmarks.field_boosts`.
TAG_MENTION_BONUS = 4.0
# A case holding all of the query's words ranks above one holding some: its score is raised by
# up to this share, by the share of the query's words it holds (a signal, not a filter: a filter
# leaves a question of many words with no result). The browser's engine (search-engine.js,
# through the finder's meta.js) raises it the same way.
COVERAGE_WEIGHT = 1.0
# Only the words of phrases count for coverage: a run of Chinese up to this many characters (a
# word or phrase) between spaces, punctuation and question words; a longer run is a whole
# question, which no case is expected to hold word for word. search-engine.js splits alike.
PHRASE_CHARS = 6
_QUERY_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
KEY_TERMS = 25            # terms kept per case to compare cases (casebook.comparables)
PARALLEL_FROM = 200       # cases; below this, starting worker processes costs more than it saves
DICTIONARY_COPY = "dictionary.txt"  # the dictionary the index was built with; its queries use it too


class IndexMissing(Exception):
    """No index on disk yet: the message says which command builds it."""


class IndexBuildFailed(Exception):
    pass


@dataclass(frozen=True)
class Weighting:
    """The weights an index is built with, read when the build starts and handed to the worker
    that builds it (a spawned process imports this module afresh)."""

    field_boosts: dict[str, float]
    k1: float
    b: float

    @classmethod
    def current(cls) -> "Weighting":
        return cls(dict(FIELD_BOOSTS), BM25_K1, BM25_B)


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
    return {name: searched_text(name, getattr(case, name), synonyms) for name in FIELD_BOOSTS}


def _snippet_text(case: Case) -> str:
    return "\n".join([case.summary, case.practice.description, *(m.detail for m in case.practice.measures),
                      *(outcome.text for outcome in case.outcomes)])


# --- building ----------------------------------------------------------------------------------

def catalog_hash(catalog: Catalog, dictionary: Path) -> str:
    """Changes whenever anything the index is built from changes: the case files' bytes and the
    vocabularies (the catalog's fingerprint), the dictionary, the weights and the format."""
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    digest.update(json.dumps([FIELD_BOOSTS, search_plan(), BM25_K1, BM25_B, KEY_TERMS], sort_keys=True,
                             ensure_ascii=False).encode())
    digest.update(catalog.fingerprint.encode())
    if dictionary.exists():
        digest.update(dictionary.read_bytes())
    return digest.hexdigest()


def ensure_index(catalog: Catalog, index_dir: Path, dictionary: Path,
                 on_key_terms: Callable[[dict[str, dict[str, float]]], None] | None = None,
                 background: bool = False) -> bool:
    """Build the index into ``index_dir`` unless it is already current; True if it was built.

    ``on_key_terms`` is called with every case's key terms as soon as the texts are analysed,
    before the Whoosh index is written: the comparable cases need only them, so a site build can
    render its pages while the index is being written. A ``background`` build yields the
    processor to everything else (the rebuilds of a preview the editor waits for)."""
    if index_is_current(catalog, index_dir, dictionary):
        return False
    wanted = catalog_hash(catalog, dictionary)
    with staged_directory(index_dir) as staging:
        if dictionary.exists():
            shutil.copyfile(dictionary, staging / DICTIONARY_COPY)
        copied = staging / DICTIONARY_COPY
        in_worker_process(_write_index, catalog, staging, copied if copied.exists() else None, Weighting.current(),
                          on_message=on_key_terms, nice=10 if background else 0)
        (staging / "catalog.sha256").write_text(wanted)
    return True


def in_worker_process(function, *args, on_message: Callable[[object], None] | None = None, nice: int = 0) -> None:
    """Run ``function(*args, send)`` in a fresh (spawned) Python process, at ``nice`` (see
    os.nice), and wait for it; what the function passes to ``send`` reaches ``on_message`` in
    this process while it runs.

    Building an index takes memory (about 1 GB at 10,000 cases: analysed texts, Whoosh's posting
    pool, jieba) that a Python process keeps once it has had it; a child gives it back when it
    ends. The child is spawned, not forked: the caller may be the multithreaded `mkdocs serve`,
    and a fork copies its locks in whatever state other threads left them. An exception in the
    child reaches the caller as IndexBuildFailed carrying its text."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_report_to_parent, args=(sender, nice, function, *args), name="casebook-index")
    worker.start()
    sender.close()  # the child holds the only sending end: its exit ends the pipe
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                worker.join()
                raise IndexBuildFailed(f"建立检索索引失败：子进程意外退出（退出码 {worker.exitcode}）") from None
            if kind == "error":
                raise IndexBuildFailed(f"建立检索索引失败：{value}")
            if kind == "done":
                return
            if on_message:
                on_message(value)
    finally:
        receiver.close()
        worker.join()


def _report_to_parent(sender, nice: int, function, *args) -> None:
    """The worker process: runs ``function`` and tells the parent what it sends, then how it ended."""
    if nice:
        os.nice(nice)  # its own worker processes inherit it
    try:
        function(*args, lambda value: sender.send(("message", value)))
        sender.send(("done", None))
    except BrokenPipeError:
        pass  # the parent is gone (a preview server stopped mid-build): nobody to tell
    except BaseException as error:  # the parent reports it; the child's own traceback would be lost
        sender.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


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


def _analysed(texts: list[dict[str, str]], dictionary: Path | None,
              boosts: dict[str, float]) -> list[tuple[dict[str, float], Counter]]:
    """Every case analysed. For a large library this runs in worker processes on every core:
    segmentation is most of the cost of an index build, and jieba is single-threaded. They are
    forked from the index worker, which has one thread, after it has loaded jieba once."""
    analysis.terms("预热", dictionary)
    analyse = functools.partial(_analysed_case, dictionary=dictionary, boosts=boosts)
    workers = os.cpu_count() or 1
    if len(texts) < PARALLEL_FROM or workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return list(map(analyse, texts))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(analyse, texts, chunksize=16)


def _write_index(catalog: Catalog, directory: Path, dictionary: Path | None, weighting: Weighting,
                 send_key_terms: Callable[[dict[str, dict[str, float]]], None]) -> None:
    synonyms = {tag.name: tag.synonyms for tag in catalog.vocabulary.tags}
    analysed = _analysed([field_texts(case, synonyms) for case in catalog.cases], dictionary, weighting.field_boosts)
    key_terms = dict(zip((case.id for case in catalog.cases), _key_terms([counts for _, counts in analysed]), strict=True))
    send_key_terms(key_terms)
    (directory / "key_terms.json").write_text(json.dumps(key_terms, ensure_ascii=False), encoding="utf-8")
    weighted = [terms for terms, _ in analysed]
    del analysed, key_terms
    ix = whoosh_index.create_in(directory, _schema())
    writer = ix.writer(limitmb=1024)
    for case, impacts in zip(catalog.cases, _bm25f_impacts(weighted, weighting), strict=True):
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


def _bm25f_impacts(weighted: list[dict[str, float]], weighting: Weighting):
    """For each case, each term's BM25F score: its field-weighted frequency saturated against the
    case's weighted length, times the term's IDF. A query's score is the sum of its terms'
    impacts, so a search only adds up stored numbers."""
    document_frequency = Counter(term for terms in weighted for term in terms)
    lengths = [sum(terms.values()) for terms in weighted]
    average_length = sum(lengths) / max(len(lengths), 1)
    total = len(weighted)
    for terms, length in zip(weighted, lengths, strict=True):
        k1, b = weighting.k1, weighting.b
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
        if not (index_dir / "catalog.sha256").exists() or not whoosh_index.exists_in(index_dir):
            raise IndexMissing(f"找不到检索索引 {index_dir}。请先运行 casebook index（或 make build）")
        self.index_dir = index_dir
        # Queries are segmented with the dictionary the index was built with.
        self.dictionary = index_dir / DICTIONARY_COPY if (index_dir / DICTIONARY_COPY).exists() else None
        self.ix = whoosh_index.open_dir(index_dir)
        self.synonyms: dict[str, list[str]] = json.loads((index_dir / "vocabulary.json").read_text(encoding="utf-8"))
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
        clauses += [Term("tag", name, boost=TAG_MENTION_BONUS) for name in self.tags_mentioned(text)]
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
        scored = [(score * (1 + COVERAGE_WEIGHT * held[docnum] / len(phrase_words)) if phrase_words else score, docnum)
                  for score, docnum in results.top_n]
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [self._hit(docnum, score, words) for score, docnum in scored[:limit]]

    def _phrase_words(self, text: str) -> list[str]:
        """The words of the query's phrases (PHRASE_CHARS), question words taken out first."""
        folded = analysis.normalize(text)
        for stop_word in analysis.STOP_WORDS:
            if len(stop_word) > 1:
                folded = folded.replace(stop_word, " ")
        runs = [run for run in _QUERY_RUNS.findall(folded) if len(run) <= PHRASE_CHARS]
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


def index_is_current(catalog: Catalog, index_dir: Path, dictionary: Path) -> bool:
    stamp = index_dir / "catalog.sha256"
    return stamp.exists() and stamp.read_text() == catalog_hash(catalog, dictionary)


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
