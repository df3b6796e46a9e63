"""Compare field weightings on the relevance set: `python -m benchmarks.field_boosts`.

This is how casebook.index.FIELD_BOOSTS was chosen; rerun it when the fields or cases change.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from casebook import index
from casebook.catalog import read_catalog
from casebook.project import Project

from .relevance import evaluate, load_judgments

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = {
    "all equal": dict.fromkeys(index.FIELD_BOOSTS, 1.0),
    "current": dict(index.FIELD_BOOSTS),
    "title heavy": {**index.FIELD_BOOSTS, "title": 5.0},
    "tags heavy": {**index.FIELD_BOOSTS, "tags": 5.0},
    "tags light": {**index.FIELD_BOOSTS, "tags": 1.0},
    "practice heavy": {**index.FIELD_BOOSTS, "practice": 4.0},
    "body heavy": {**index.FIELD_BOOSTS, "body": 2.0},
    "no metrics": {**index.FIELD_BOOSTS, "metrics": 0.1},
    "title only": {**dict.fromkeys(index.FIELD_BOOSTS, 0.2), "title": 3.0},
    "summary heavy": {**index.FIELD_BOOSTS, "summary": 3.0},
    "region heavy": {**index.FIELD_BOOSTS, "region": 3.0},
    "practice heavy, tags light": {**index.FIELD_BOOSTS, "practice": 4.0, "tags": 1.0},
    "title heavy, practice light": {**index.FIELD_BOOSTS, "title": 3.0, "practice": 2.0},
}


def main() -> None:
    project = Project(ROOT)
    catalog = read_catalog(project)
    judgments = load_judgments()
    folder = tempfile.mkdtemp()
    index.ensure_index(catalog, Path(folder) / "index", project.dictionary_path)
    case_index = index.CaseIndex(Path(folder) / "index")
    print(f"{'weighting':<28} nDCG@5  recall@5   ({len(judgments)} queries, {len(catalog.cases)} cases)")
    for name, boosts in CANDIDATES.items():
        with mock.patch.dict(index.FIELD_BOOSTS, boosts):  # weights apply at query time
            ndcg, recall = evaluate(lambda q: [hit.id for hit in case_index.search(q, limit=5)], judgments)
        print(f"{name:<28} {ndcg:.3f}   {recall:.3f}   {boosts}")


if __name__ == "__main__":
    main()
