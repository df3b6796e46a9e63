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
