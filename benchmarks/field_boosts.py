"""Compare field weightings on the relevance set: `python -m benchmarks.field_boosts`.

This is how the fields' search weights (`x-search` in case_schema.yaml), BM25's k1 and the
named-tag bonus (casebook.config.SearchSettings) were chosen; rerun it when the fields or cases
change. Every setting is written into the index, so each weighting builds its own.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from casebook import index
from casebook.catalog import read_catalog
from casebook.config import casebook_config
from casebook.project import Project
from evaluation.relevance import evaluate, load_judgments

ROOT = Path(__file__).resolve().parents[1]
# The judged queries are data kept beside the test that holds the bar; read as a file, not imported.
JUDGMENTS_PATH = ROOT / "tests" / "search" / "relevance.yaml"
CURRENT = casebook_config().search.field_weights
CANDIDATES = {
    "all equal": dict.fromkeys(CURRENT, 1.0),
    "current": CURRENT,
    "title heavy": {**CURRENT, "title": 8.0},
    "title light": {**CURRENT, "title": 2.0},
    "practice heavy": {**CURRENT, "practice": 4.0},
    "practice light": {**CURRENT, "practice": 1.0},
    "tags heavy": {**CURRENT, "tags": 5.0},
    "tags light": {**CURRENT, "tags": 1.0},
    "summary heavy": {**CURRENT, "summary": 3.0},
    "region heavy": {**CURRENT, "region": 3.0},
    "body heavy": {**CURRENT, "background": 2.0, "outcomes": 2.0, "lessons": 2.0},
    "no metrics": {**CURRENT, "metrics": 0.1},
}
SATURATIONS = (1.2, 4.0, 8.0)  # BM25's K1; 1.2 is the textbook value for raw counts
TAG_BONUSES = (0.0, 2.0, 4.0, 8.0)  # with the current weights


def _with_search(catalog, **settings):
    return dataclasses.replace(catalog, config=casebook_config({"search": settings}))


def _quality(index_dir: Path, judgments: list[dict]) -> tuple[float, float]:
    case_index = index.CaseIndex(index_dir)
    try:
        return evaluate(lambda q: [hit.id for hit in case_index.search(q, limit=5)], judgments)
    finally:
        case_index.close()


def main() -> None:
    project = Project(ROOT)
    catalog = read_catalog(project)
    judgments = load_judgments(JUDGMENTS_PATH)
    index_dir = Path(tempfile.mkdtemp()) / "index"
    print(f"{'weighting':<16} {'K1':>4}  nDCG@5  recall@5   ({len(judgments)} queries, {len(catalog.cases)} cases)")
    for name, boosts in CANDIDATES.items():
        for k1 in SATURATIONS:
            index.ensure_index(_with_search(catalog, field_weights=boosts, k1=k1), index_dir, project.dictionary_path)
            ndcg, recall = _quality(index_dir, judgments)
            print(f"{name:<16} {k1:>4}  {ndcg:.3f}   {recall:.3f}   {boosts}")
    for bonus in TAG_BONUSES:
        index.ensure_index(_with_search(catalog, tag_mention_bonus=bonus), index_dir, project.dictionary_path)
        ndcg, recall = _quality(index_dir, judgments)
        print(f"{'tag bonus ' + str(bonus):<16} {catalog.config.search.k1:>4}  {ndcg:.3f}   {recall:.3f}   current weights")


if __name__ == "__main__":
    main()
