"""Ranking quality measures over judged sets (the judged files live in tests/search/).

Shared by the tests, which keep the bar, and the benchmarks that compare weightings.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml

K = 5


def load_judgments(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def ndcg_at_k(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    gain = sum((2 ** grades.get(doc, 0) - 1) / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    return gain / sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(ideal))


def recall_at_k(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    relevant = {doc for doc, grade in grades.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / min(len(relevant), k)


def evaluate(rank, judgments: list[dict]) -> tuple[float, float]:
    """Mean nDCG@5 and recall@5 of ``rank(query) -> [case ids]`` over the judged queries."""
    ndcgs = [ndcg_at_k(rank(item["query"]), item["judgments"]) for item in judgments]
    recalls = [recall_at_k(rank(item["query"]), item["judgments"]) for item in judgments]
    return sum(ndcgs) / len(ndcgs), sum(recalls) / len(recalls)


# Comparable cases: a judged case is comparable from this grade up.
COMPARABLE_GRADE = 2
P_AT = 3


def precision_at_k(ranked: list[str], grades: dict[str, int], k: int = P_AT) -> float:
    """Share of the first k that are judged comparable, out of the most that could be (a case with
    only two comparable cases in the library scores 1.0 when both lead)."""
    comparable = {doc for doc, grade in grades.items() if grade >= COMPARABLE_GRADE}
    return sum(1 for doc in ranked[:k] if doc in comparable) / min(len(comparable), k)


def evaluate_comparables(rank, judged: list[dict]) -> tuple[float, float, int]:
    """Mean P@3 and nDCG@5 of ``rank(case_id) -> [case ids]`` over the judged cases that have at
    least one comparable case in the library, and how many such cases there are. An unjudged case
    ranked counts as not comparable (grade 0)."""
    scored = [item for item in judged
              if any(value["grade"] >= COMPARABLE_GRADE for value in item["judgments"].values())]
    precisions, ndcgs = [], []
    for item in scored:
        grades = {doc: value["grade"] for doc, value in item["judgments"].items()}
        ranked = rank(item["case"])
        precisions.append(precision_at_k(ranked, grades))
        ndcgs.append(ndcg_at_k(ranked, grades))
    return sum(precisions) / len(scored), sum(ndcgs) / len(scored), len(scored)
