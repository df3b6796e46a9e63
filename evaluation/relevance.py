"""Ranking quality measures over judged sets (the judged files live in tests/search/).

A judged set names the cases its judges read (``judged_cases``). Rankings are scored over those
cases only: a case added to the library later is left out of a ranking before it is scored (a
condensed list), so it neither earns nor costs anything until someone judges it, and a judged
case no longer in the library is not asked about. Shared by the tests, which keep the bar, and
the benchmarks that compare weightings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

K = 5


@dataclass(frozen=True)
class JudgedSet:
    cases: frozenset[str]  # the cases the judges read
    items: tuple[dict, ...]  # {query: …} or {case: …}, each with its judgments

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def condensed(self, ranked: list[str]) -> list[str]:
        """``ranked`` without the cases nobody judged."""
        return [doc for doc in ranked if doc in self.cases]

    def grades(self, item: dict, library: set[str] | None) -> dict[str, int]:
        """The item's grades of the cases still in the library."""
        grades = {doc: value["grade"] if isinstance(value, dict) else value for doc, value in item["judgments"].items()}
        return {doc: grade for doc, grade in grades.items() if library is None or doc in library}


def load_judgments(path: Path) -> JudgedSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = tuple(data["queries"] if "queries" in data else data["cases"])
    return JudgedSet(frozenset(data["judged_cases"]), items)


def ndcg_at_k(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    gain = sum((2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    return gain / sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))


def recall_at_k(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / min(len(relevant), k)


def evaluate(rank, judged: JudgedSet, library: set[str] | None = None) -> tuple[float, float]:
    """Mean nDCG@5 and recall@5 of ``rank(query) -> [case ids]`` over the judged queries that
    still have a relevant case in ``library`` (all, when it is not given). ``rank`` should return
    more than five cases: unjudged ones are dropped before the first five are scored."""
    ndcgs, recalls = [], []
    for item in judged:
        grades = judged.grades(item, library)
        if not any(grades.values()):
            continue
        ranked = judged.condensed(rank(item["query"]))
        ndcgs.append(ndcg_at_k(ranked, grades))
        recalls.append(recall_at_k(ranked, grades))
    return sum(ndcgs) / len(ndcgs), sum(recalls) / len(recalls)


# Comparable cases: a judged case is comparable from this grade up.
COMPARABLE_GRADE = 2
P_AT = 3


def precision_at_k(ranked: list[str], grades: dict[str, int], k: int = P_AT) -> float:
    """Share of the first k that are judged comparable, out of the most that could be (a case with
    only two comparable cases in the library scores 1.0 when both lead)."""
    comparable = {doc for doc, grade in grades.items() if grade >= COMPARABLE_GRADE}
    return sum(1 for doc in ranked[:k] if doc in comparable) / min(len(comparable), k)


def evaluate_comparables(rank, judged: JudgedSet, library: set[str] | None = None) -> tuple[float, float, int]:
    """Mean P@3 and nDCG@5 of ``rank(case_id) -> [case ids]`` over the judged cases in ``library``
    that have at least one comparable case there, and how many such cases there are. Within the
    judged cases, one ranked but not judged for this case counts as not comparable (grade 0)."""
    precisions, ndcgs = [], []
    for item in judged:
        if library is not None and item["case"] not in library:
            continue
        grades = judged.grades(item, library)
        if not any(grade >= COMPARABLE_GRADE for grade in grades.values()):
            continue
        ranked = judged.condensed(rank(item["case"]))
        precisions.append(precision_at_k(ranked, grades))
        ndcgs.append(ndcg_at_k(ranked, grades))
    return sum(precisions) / len(precisions), sum(ndcgs) / len(ndcgs), len(precisions)
