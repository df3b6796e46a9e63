"""Stage 5: the offline search index (Whoosh) and the queries over it.

Whoosh is kept behind this module alone: it is unmaintained, and swapping it must stay cheap.
The index lives in one folder, is rebuilt only when its inputs change (a content hash), and is
written to a temporary folder that replaces the old one in one rename, so a crash mid-build
leaves the previous index usable.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, NumericRange, Or, Term

from . import analysis
from .catalog import Catalog
from .model import Case

INDEX_FORMAT = "casebook-index-1"  # change when the fields or the analysis change
# Field weights for BM25F, chosen by the relevance set in tests/search/ (see its report).
FIELD_BOOSTS = {"title": 3.0, "practice": 2.0, "tags": 2.5, "summary": 1.5, "region": 1.5,
                "body": 1.0, "metrics": 0.5}
SIMILAR_TERMS = 25


class IndexMissing(Exception):
    """No index on disk yet: the message says which command builds it."""


class UnknownCase(Exception):
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


@dataclass(frozen=True)
class Comparable:
    id: str
    title: str
    region: str
    score: float
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "region": self.region, "score": round(self.score, 4),
                "reasons": list(self.reasons)}


def _schema() -> Schema:
    text = analysis.chinese_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["title"]),
        summary=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["summary"]),
        practice=TEXT(analyzer=text, field_boost=FIELD_BOOSTS["practice"]),
        body=TEXT(analyzer=text, field_boost=FIELD_BOOSTS["body"], vector=True),
        tags=TEXT(analyzer=text, field_boost=FIELD_BOOSTS["tags"]),
        region=TEXT(analyzer=text, stored=True, field_boost=FIELD_BOOSTS["region"]),
        metrics=TEXT(analyzer=text, field_boost=FIELD_BOOSTS["metrics"]),
        snippet_text=STORED,
        province=ID(stored=True), city=ID(stored=True), county=ID(stored=True),
        tag=KEYWORD(stored=True, commas=True), level=ID(stored=True), setting=ID(stored=True),
        year=NUMERIC(stored=True),
    )


def index_document(case: Case, synonyms: dict[str, tuple[str, ...]]) -> dict:
    practice = case.practice
    return {
        "id": case.id,
        "title": case.title,
        "summary": case.summary,
        "practice": " ".join([practice.name, practice.description,
                              *(f"{m.title} {m.detail}" for m in practice.measures),
                              *(f"{a.name} {a.role}" for a in practice.actors)]),
        "body": "\n".join([case.title, case.summary, case.background, practice.name, practice.description,
                           *(f"{m.title} {m.detail}" for m in practice.measures),
                           *case.outcomes, *case.lessons]),
        "tags": " ".join(word for tag in case.tags for word in (tag, *synonyms.get(tag, ()))),
        "region": " ".join(case.region.levels),
        "metrics": " ".join(m.label for m in case.metrics),
        "snippet_text": "\n".join([case.summary, practice.description, *(m.detail for m in practice.measures),
                                   *case.outcomes]),
        "province": case.region.province, "city": case.region.city, "county": case.region.county,
        "tag": ",".join(case.tags), "level": case.level, "setting": case.region.setting,
        "year": case.year or 0,
    }


# --- building ----------------------------------------------------------------------------------

def catalog_hash(catalog: Catalog, dictionary: Path) -> str:
    """Changes whenever anything the index is built from changes."""
    digest = hashlib.sha256(INDEX_FORMAT.encode())
    digest.update(repr(catalog).encode())
    if dictionary.exists():
        digest.update(dictionary.read_bytes())
    return digest.hexdigest()


def ensure_index(catalog: Catalog, index_dir: Path, dictionary: Path) -> bool:
    """Build the index into ``index_dir`` unless it is already current; True if it was built."""
    analysis.use_dictionary(dictionary)
    wanted = catalog_hash(catalog, dictionary)
    stamp = index_dir / "catalog.sha256"
    if stamp.exists() and stamp.read_text() == wanted:
        return False
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.new-", dir=index_dir.parent))
    try:
        ix = whoosh_index.create_in(staging, _schema())
        synonyms = {tag.name: tag.synonyms for tag in catalog.vocabulary.tags}
        writer = ix.writer(limitmb=256)
        for case in catalog.cases:
            writer.add_document(**index_document(case, synonyms))
        writer.commit(optimize=True)
        (staging / "catalog.sha256").write_text(wanted)
        (staging / "vocabulary.json").write_text(json.dumps(
            {tag.name: list(tag.synonyms) for tag in catalog.vocabulary.tags}, ensure_ascii=False))
        retired = index_dir.with_name(f".{index_dir.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if index_dir.exists():
            index_dir.rename(retired)
        staging.rename(index_dir)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


# --- querying ----------------------------------------------------------------------------------

class CaseIndex:
    """An open index: search, facets and comparable cases."""

    def __init__(self, index_dir: Path, dictionary: Path | None = None):
        if not (index_dir / "catalog.sha256").exists() or not whoosh_index.exists_in(index_dir):
            raise IndexMissing(f"找不到检索索引 {index_dir}。请先运行 casebook index（或 make build）")
        if dictionary:
            analysis.use_dictionary(dictionary)
        self.ix = whoosh_index.open_dir(index_dir)
        self.synonyms: dict[str, list[str]] = json.loads((index_dir / "vocabulary.json").read_text())
        self.searcher = self.ix.searcher(weighting=scoring.BM25F())

    def close(self) -> None:
        self.searcher.close()

    def facet_values(self, field: str) -> set[str]:
        values = set()
        for fields in self.searcher.all_stored_fields():
            raw = str(fields.get(field, ""))
            values.update(v for v in raw.split(",") if v) if field == "tag" else values.add(raw)
        return values

    def expand_synonyms(self, normalized_query: str) -> list[str]:
        """Tags whose name or synonym the query mentions (积分管理 -> 积分制)."""
        found = []
        for tag, synonyms in self.synonyms.items():
            names = [analysis.normalize(n) for n in (tag, *synonyms)]
            if any(name in normalized_query for name in names):
                found.append(tag)
        return found

    def search(self, text: str, *, province: str | None = None, tag: str | None = None,
               level: str | None = None, year: int | None = None, limit: int = 10) -> list[SearchHit]:
        normalized = analysis.normalize(text)
        parser = MultifieldParser(list(FIELD_BOOSTS), self.ix.schema, group=OrGroup.factory(0.9))
        words = analysis.terms(text)
        clauses = [parser.parse(" ".join(words))] if words else []
        clauses += [Term("tag", name, boost=2.0) for name in self.expand_synonyms(normalized)]
        if not clauses:
            return []
        query = Or(clauses)
        filters = [Term(field, value) for field, value in
                   (("province", province), ("tag", tag), ("level", level)) if value]
        if year:
            filters.append(NumericRange("year", year, year))
        results = self.searcher.search(query, limit=limit, filter=And(filters) if filters else None)
        return [self._hit(hit, words) for hit in results]

    def _hit(self, hit, words: list[str]) -> SearchHit:
        fields = hit.fields()
        return SearchHit(fields["id"], fields["title"], fields["region"].replace(" ", ""), fields["level"],
                         hit.score, make_snippet(fields["snippet_text"], words))

    def similar(self, case_id: str, limit: int = 5) -> list[Comparable]:
        docnum = self.searcher.document_number(id=case_id)
        if docnum is None:
            raise UnknownCase(case_id)
        mine = self.searcher.stored_fields(docnum)
        my_terms = dict(self.searcher.key_terms([docnum], "body", numterms=SIMILAR_TERMS))
        my_tags = set(mine["tag"].split(","))
        # Re-rank a shortlist of the textually closest cases; key terms per candidate are costly.
        results = self.searcher.more_like(docnum, "body", numterms=SIMILAR_TERMS, top=max(4 * limit, 20))
        ranked = []
        for hit in results:
            other = hit.fields()
            shared_tags = sorted(my_tags & set(other["tag"].split(",")))
            other_terms = dict(self.searcher.key_terms([hit.docnum], "body", numterms=SIMILAR_TERMS))
            shared_terms = sorted(set(my_terms) & set(other_terms), key=lambda t: -my_terms[t])[:5]
            reasons = []
            if shared_tags:
                reasons.append("共同标签：" + "、".join(shared_tags))
            if shared_terms:
                reasons.append("共同关键词：" + "、".join(shared_terms))
            if other["level"] == mine["level"]:
                reasons.append(f"同为{mine['level']}层级")
            if other["setting"] == mine["setting"]:
                reasons.append(f"同为{mine['setting']}")
            # Text similarity, plus what a cadre compares first: the same mechanisms and level.
            score = hit.score + 2.0 * len(shared_tags) + (1.0 if other["level"] == mine["level"] else 0.0)
            ranked.append(Comparable(other["id"], other["title"], other["region"].replace(" ", ""),
                                     score, tuple(reasons)))
        ranked.sort(key=lambda c: (-c.score, c.id))
        return ranked[:limit]


def comparables_for_all(catalog: Catalog, index_dir: Path, limit: int = 5) -> dict[str, list[Comparable]]:
    """The comparable cases of every case, for the case pages."""
    case_index = CaseIndex(index_dir)
    try:
        return {case.id: case_index.similar(case.id, limit) for case in catalog.cases}
    finally:
        case_index.close()


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
