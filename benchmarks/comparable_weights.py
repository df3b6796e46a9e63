"""Compare weightings of the comparable-case score on the judged set:
`python -m benchmarks.comparable_weights`.

This is how the comparables' weights and threshold (casebook.config.ComparableSettings) were
chosen; rerun it when the taxonomy, the problems or the cases change. P@3 is normalised by the
number of cases judged comparable (grade 2 or more), nDCG@5 uses the grades; both count only the
cases shown, so a threshold that hides good cases costs as much as one that shows bad ones.

Judgments a weighting was chosen on flatter it, so the judged cases are split in two halves by
their sorted ids (even positions: the tuning half; odd: the held-out half). Every weighting is
scored on the tuning half; the best there is then scored once on the held-out half and on the
whole set, next to the current weighting, and only those figures say how well it generalises.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from casebook.catalog import read_catalog
from casebook.comparables import ComparableFinder, read_key_terms
from casebook.config import casebook_config
from casebook.index import ensure_index
from casebook.project import Project
from evaluation.relevance import COMPARABLE_GRADE, JudgedSet, evaluate_comparables, load_judgments

ROOT = Path(__file__).resolve().parents[1]
# The judged comparables are data kept beside the test that holds the bar; read as a file.
JUDGMENTS_PATH = ROOT / "tests" / "search" / "comparables.yaml"
DEFAULTS = casebook_config().comparables
CURRENT = DEFAULTS.weights
CANDIDATES = {
    "current": CURRENT,
    "text only": {**CURRENT, "profile": 0.0, "level": 0.0, "setting": 0.0},
    "profile only": {**CURRENT, "text": 0.0, "level": 0.0, "setting": 0.0},
    "groups equal": {**CURRENT, "机制": 1.0, "主体": 1.0, "问题": 1.0, "领域": 1.0},
    "no problems": {**CURRENT, "问题": 0.0},
    "no text": {**CURRENT, "text": 0.0},
    "text heavy": {**CURRENT, "text": 3.0},
    "profile light": {**CURRENT, "profile": 2.0},
    "profile heavy": {**CURRENT, "profile": 8.0},
    "mechanisms heavy": {**CURRENT, "机制": 8.0},
    "mechanisms light": {**CURRENT, "机制": 2.5},
    "actors heavy": {**CURRENT, "主体": 4.0},
    "actors light": {**CURRENT, "主体": 1.0},
    "problems heavy": {**CURRENT, "问题": 3.0},
    "problems light": {**CURRENT, "问题": 0.75},
    "domains heavy": {**CURRENT, "领域": 2.5},
    "no domains": {**CURRENT, "领域": 0.0},
    "context heavy": {**CURRENT, "level": 1.5, "setting": 1.5},
    "no context": {**CURRENT, "level": 0.0, "setting": 0.0},
    "no core": {**CURRENT, "core": 1.0},
    "core heavy": {**CURRENT, "core": 3.0},
    "core heavier": {**CURRENT, "core": 4.0},
    "core heaviest": {**CURRENT, "core": 6.0},
}
THRESHOLDS = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35)


def halves(judgments: JudgedSet) -> tuple[JudgedSet, JudgedSet]:
    """The tuning half (judged cases at even positions of the sorted ids) and the held-out half
    (odd positions); both keep every judged case as a possible answer."""
    ordered = sorted(item["case"] for item in judgments)
    tuning = set(ordered[0::2])
    return (JudgedSet(judgments.cases, tuple(item for item in judgments if item["case"] in tuning)),
            JudgedSet(judgments.cases, tuple(item for item in judgments if item["case"] not in tuning)))


def quality(catalog, key_terms, judgments, weights, threshold) -> tuple[float, float, int, int]:
    """P@3, nDCG@5, and over the cases judged in ``judgments``: how many have no comparable shown,
    and how many shown cases were judged not comparable (grade below 2, or not judged)."""
    settings = casebook_config({"comparables": {"weights": weights, "threshold": threshold}})
    finder = ComparableFinder(dataclasses.replace(catalog, config=settings), key_terms)
    judged = {item["case"] for item in judgments}
    shown = {case.id: [c.id for c in finder.similar(case.id).close] for case in catalog.cases if case.id in judged}
    precision, ndcg, _ = evaluate_comparables(lambda case_id: shown[case_id], judgments)
    grades = {item["case"]: {doc: value["grade"] for doc, value in item["judgments"].items()} for item in judgments}
    wrong = sum(1 for case_id, ids in shown.items() for other in ids
                if grades.get(case_id, {}).get(other, 0) < COMPARABLE_GRADE)
    return precision, ndcg, sum(1 for ids in shown.values() if not ids), wrong


def main() -> None:
    project = Project(ROOT)
    catalog = read_catalog(project)
    judgments = load_judgments(JUDGMENTS_PATH)
    index_dir = Path(tempfile.mkdtemp()) / "index"
    ensure_index(catalog, index_dir, project.dictionary_path)
    key_terms = read_key_terms(index_dir)
    tuning, held_out = halves(judgments)
    header = f"{'weighting':<18} {'threshold':>9}  P@3    nDCG@5  none  shown-not-comparable"
    print(f"tuning half: {len(tuning)} of {len(judgments)} judged cases ({len(catalog.cases)} in the library)\n{header}")
    results = {}
    for name, weights in CANDIDATES.items():
        for threshold in THRESHOLDS:
            results[name, threshold] = quality(catalog, key_terms, tuning, weights, threshold)
            precision, ndcg, empty, wrong = results[name, threshold]
            print(f"{name:<18} {threshold:>9}  {precision:.3f}  {ndcg:.3f}   {empty:>4}  {wrong:>4}")
    # Best on the tuning half: P@3 and nDCG@5 together, then fewer wrong cases shown.
    best = max(results, key=lambda key: (results[key][0] + results[key][1], -results[key][3]))
    print(f"\nheld-out half ({len(held_out)} judged cases) and the whole set\n{'':<42}  held-out P@3 nDCG@5   whole P@3 nDCG@5")
    for label, (name, threshold) in (("current", ("current", DEFAULTS.threshold)), ("best on tuning half", best)):
        figures = [quality(catalog, key_terms, part, CANDIDATES[name], threshold)[:2] for part in (held_out, judgments)]
        print(f"{label:<20} {name:<15} {threshold:<5}  {figures[0][0]:.3f} {figures[0][1]:.3f}       "
              f"{figures[1][0]:.3f} {figures[1][1]:.3f}")


if __name__ == "__main__":
    main()
