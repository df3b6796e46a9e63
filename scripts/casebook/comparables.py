"""Stage 5: comparable cases, by what a practice is (its mechanisms, actors, problems, level and
setting), then its words.

Each case has a profile: its 机制, 主体 and 领域 tags (the taxonomy's groups) and the problems it
names, each weighted by its group's weight and by its rarity in the library (IDF), so a tag
nearly every case has (党建引领) counts little; the profile is scaled to unit length as a whole,
so a case with one common actor does not match every case with that actor perfectly. A tag the
case's title or practice name says in so many words (its name or a synonym) is what the practice
is, not something it also touches: it weighs the "core" weight times as much. Two cases'
score is the weighted sum of the cosine of their profiles, the cosine of their key terms (TF-IDF,
from the search index), and a bonus for the same level and for the same setting, divided by the
sum of those weights: it lies between 0 and 1, and `casebook similar --why` shows its parts. The
weights, the threshold and how many are shown are the project's settings (``catalog.config.comparables``,
casebook.config.ComparableSettings).

Only cases above the threshold that share a mechanism, an actor or a problem are called comparable;
a case with none gets, in a separate list, first the cases run by the same kind of actor (who
runs a practice: a case without mechanism tags, such as a trade union's work in a company, is
defined by its actors, and one actor tag shared among several is too little to call two
practices comparable), then the cases of its province or sharing a problem.

Every case page lists its comparables at build time, so the cost must stay linear: the candidates
of a case are found through per-feature postings holding at most POSTINGS_PER_FEATURE cases each,
accumulated feature at feature, as a search engine does.
"""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .model import Case

# The groups of a case's profile and the signals of a score (their weights: casebook.config).
GROUPS = ("机制", "主体", "问题", "领域")
SIGNALS = ("profile", "text", "level", "setting")
POSTINGS_PER_FEATURE = 100
COMMON_SHARE = 0.5  # a tag on more than this share of the cases is not named as a reason
# How the signals read in `casebook similar --why`.
SIGNAL_LABELS = {"机制": "共同机制", "主体": "共同主体", "问题": "共同问题", "领域": "共同领域",
                 "text": "文字相近", "level": "同一层级", "setting": "同为城乡类型"}


@dataclass(frozen=True)
class Comparable:
    id: str
    title: str
    region: str
    score: float
    reasons: tuple[str, ...]
    breakdown: dict[str, float] = field(default_factory=dict)  # signal -> weighted points

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "region": self.region, "score": round(self.score, 4),
                "reasons": list(self.reasons), "breakdown": {k: round(v, 4) for k, v in self.breakdown.items()}}


@dataclass(frozen=True)
class Comparables:
    """What a case page shows: its comparable cases; when there are none, related cases of the
    same province or problem, which are not called comparable."""
    close: tuple[Comparable, ...]
    related: tuple[Comparable, ...] = ()


class UnknownCase(Exception):
    pass


class ComparableFinder:
    def __init__(self, catalog: Catalog, key_terms: dict[str, dict[str, float]]):
        settings = catalog.config.comparables
        self.weights, self.threshold, self.shown = settings.weights, settings.threshold, settings.shown
        self.cases = {case.id: case for case in catalog.cases}
        self.context = {case.id: (case.level, case.region.setting) for case in catalog.cases}
        tags = {tag.name: tag for tag in catalog.vocabulary.tags}
        self.reason_of = {name: tag.reason for name, tag in tags.items()}
        self.groups = {name: tag.group for name, tag in tags.items()}
        tag_counts = Counter(tag for case in catalog.cases for tag in case.tags)
        self.common = {name: tag_counts[name] / max(len(catalog.cases), 1) for name in tags}
        features = {case.id: [*((tags[t].group, t) for t in case.tags), *(("问题", p) for p in case.problems)]
                    for case in catalog.cases}
        frequency = Counter(feature for values in features.values() for feature in values)
        # One profile vector per case: each tag or problem weighted by its group's weight and its
        # rarity, then scaled to unit length over the whole profile (so a case with a single,
        # common actor does not match every case with that actor perfectly); and the key terms.
        self.vectors: dict[str, dict[str, dict]] = {}
        for case_id, values in features.items():
            core = _core_tags(self.cases[case_id], tags.values())
            profile = {feature: self.weights.get(feature[0], 1.0) * math.log(1 + len(features) / frequency[feature])
                       * (self.weights["core"] if feature[1] in core else 1.0)
                       for feature in values}
            norm = math.sqrt(sum(weight * weight for weight in profile.values())) or 1.0
            self.vectors[case_id] = {"profile": {feature: weight / norm for feature, weight in profile.items()},
                                     "text": key_terms.get(case_id, {})}
        postings: dict[tuple, list[tuple[float, str]]] = defaultdict(list)
        for case_id, signals in self.vectors.items():
            for signal, vector in signals.items():
                for feature, weight in vector.items():
                    postings[signal, feature].append((weight, case_id))
        self.postings = {key: sorted(cases, key=lambda item: (-item[0], item[1]))[:POSTINGS_PER_FEATURE]
                         for key, cases in postings.items()}

    def breakdown(self, mine: Case, other: Case) -> dict[str, float]:
        """Each signal's share of the score (the score is their sum): the profile's share split by
        group (机制, 主体, 问题, 领域), then text, level and setting."""
        weights = self._signal_weights()
        mine_vectors, other_vectors = self.vectors[mine.id], self.vectors[other.id]
        points = dict.fromkeys(GROUPS, 0.0)
        for feature, weight in mine_vectors["profile"].items():
            shared = weight * other_vectors["profile"].get(feature, 0.0)
            points[feature[0]] = points.get(feature[0], 0.0) + weights["profile"] * shared
        points["text"] = weights["text"] * _dot(mine_vectors["text"], other_vectors["text"])
        points["level"] = weights["level"] if mine.level == other.level else 0.0
        points["setting"] = weights["setting"] if mine.region.setting == other.region.setting else 0.0
        return points

    def _signal_weights(self) -> dict[str, float]:
        """The weights of the profile, the text, the level and the setting, summing to 1."""
        total = sum(self.weights[signal] for signal in SIGNALS)
        return {signal: self.weights[signal] / total for signal in SIGNALS}

    def ranked(self, case_id: str, threshold: float = 0.0, top: int | None = None) -> list[tuple[float, str]]:
        """The candidates scoring at least ``threshold`` as (score, id), best first; only the
        ``top`` best when given (a library of random tags puts hundreds above the threshold)."""
        if case_id not in self.cases:
            raise UnknownCase(case_id)
        weights = self._signal_weights()
        scores: dict[str, float] = defaultdict(float)
        for signal, vector in self.vectors[case_id].items():
            weight = weights[signal]
            for feature, mine_weight in vector.items():
                for other_weight, other_id in self.postings.get((signal, feature), ()):
                    scores[other_id] += weight * mine_weight * other_weight
        scores.pop(case_id, None)
        level, setting = self.context[case_id]
        level_bonus, setting_bonus = weights["level"], weights["setting"]
        above = []
        for other_id, score in scores.items():
            other_level, other_setting = self.context[other_id]
            score += (level_bonus if other_level == level else 0.0) + (setting_bonus if other_setting == setting else 0.0)
            if score >= threshold:
                above.append((score, other_id))
        if top is not None:
            return heapq.nsmallest(top, above, key=lambda item: (-item[0], item[1]))
        return sorted(above, key=lambda item: (-item[0], item[1]))

    def similar(self, case_id: str, limit: int | None = None) -> Comparables:
        """The ``limit`` (default: the setting ``shown``) comparable cases of a case."""
        limit = limit or self.shown
        if case_id not in self.cases:
            raise UnknownCase(case_id)
        mine = self.cases[case_id]
        # Nearly every case above the threshold has reasons; look further only when some did not.
        for top in (2 * limit, None):
            ranked = self.ranked(case_id, self.threshold, top)
            close = []
            for _, other_id in ranked:
                comparable = self._comparable(mine, self.cases[other_id])
                if comparable.reasons:  # nothing a cadre could act on: not comparable, whatever the words
                    close.append(comparable)
                if len(close) == limit:
                    break
            if len(close) == limit or len(ranked) < (top or 0) or top is None:
                break
        return Comparables(tuple(close), () if close else tuple(self._related(mine, limit)))

    def _comparable(self, mine: Case, other: Case) -> Comparable:
        """The score shown is the exact sum of its parts; the ranking's may be a little lower in
        a large library, where postings are cut at POSTINGS_PER_FEATURE."""
        points = self.breakdown(mine, other)
        return Comparable(other.id, other.title, other.region.label, sum(points.values()),
                          tuple(self._reasons(mine, other, points)), points)

    def _reasons(self, mine: Case, other: Case, points: dict[str, float]) -> list[str]:
        """What the two practices share, as a cadre would say it, strongest signal first; the
        first carries the shared level and setting."""
        said = []
        practice = [self.reason_of[tag] for tag in self._shared_practice(mine, other) if self.reason_of[tag]]
        if practice:
            said.append((points["机制"] + points["主体"], "同样" + "，".join(practice[:3])))
        problems = [problem for problem in mine.problems if problem in other.problems]
        if problems:
            said.append((points["问题"], "同样针对" + "、".join(problems)))
        said.sort(key=lambda item: -item[0])
        return _with_context([text for _, text in said], mine, other)

    def _shared_practice(self, mine: Case, other: Case) -> list[str]:
        """Shared actor, then mechanism tags, rarest first: what the two cases do alike. A tag
        most of the library has (党建引领) is left out: it tells a cadre nothing."""
        said = []
        for signal in ("主体", "机制"):
            profile = self.vectors[mine.id]["profile"]
            shared = [tag for group, tag in profile if group == signal and tag in other.tags
                      and self.common[tag] <= COMMON_SHARE]
            said += sorted(shared, key=lambda tag: (-profile[signal, tag], tag))
        return said

    def _related(self, mine: Case, limit: int) -> list[Comparable]:
        """Cases run by the same kind of actor (who runs a practice: a case without mechanism
        tags is defined by its actors), of the same province, or sharing a problem: offered, not
        called comparable. Within each part the closest first, by the score that fell short."""
        actors = [tag for tag in self._shared_practice(mine, mine) if self.groups[tag] == "主体"]
        score = {other_id: points for points, other_id in self.ranked(mine.id)}
        related = []
        for other in sorted(self.cases.values(), key=lambda case: case.id):
            if other.id == mine.id:
                continue
            same_actors = [self.reason_of[tag] for tag in actors if tag in other.tags and self.reason_of[tag]]
            shared = [problem for problem in mine.problems if problem in other.problems]
            reasons = ([f"同样{'，'.join(same_actors)}"] if same_actors else []) + \
                ([f"同在{mine.region.province}"] if other.region.province == mine.region.province else []) + \
                ([f"同样针对{'、'.join(shared)}"] if shared else [])
            if same_actors:
                reasons = _with_context(reasons, mine, other)
            if reasons:
                related.append(((not same_actors, -score.get(other.id, 0.0), other.id),
                                Comparable(other.id, other.title, other.region.label, 0.0, tuple(reasons))))
        # Who runs it first.
        related.sort(key=lambda item: item[0])
        return [comparable for _, comparable in related[:limit]]


def _dot(mine: dict[str, float], other: dict[str, float]) -> float:
    return sum(weight * other[feature] for feature, weight in mine.items() if feature in other)


def read_key_terms(index_dir: Path) -> dict[str, dict[str, float]]:
    """Each case's key terms, written by the index build (casebook.index)."""
    return json.loads((index_dir / "key_terms.json").read_text(encoding="utf-8"))


def comparables_for_all(catalog: Catalog, key_terms: dict[str, dict[str, float]]) -> dict[str, Comparables]:
    """The comparable cases of every case, for the case pages; ``key_terms`` as the index build
    makes them (``read_key_terms``, or ``ensure_index``'s ``on_key_terms``)."""
    finder = ComparableFinder(catalog, key_terms)
    return {case.id: finder.similar(case.id) for case in catalog.cases}


def _with_context(reasons: list[str], mine: Case, other: Case) -> list[str]:
    """The first reason carries the level and setting the two cases share: who runs a practice
    and where."""
    context = [word for word, same in ((_level_word(mine.level), mine.level == other.level),
                                       (mine.region.setting, mine.region.setting == other.region.setting)) if same]
    if reasons and context:
        return [f"{reasons[0]}（{'，'.join(context)}）", *reasons[1:]]
    return reasons


def _level_word(level: str) -> str:
    """How a reason names a level of the schema's list: 县 reads 县级, 乡镇街道 as it is."""
    return f"{level}级" if len(level) == 1 else level


def _core_tags(case: Case, tags) -> set[str]:
    """The tags a case's title or practice name says in so many words (its name or a synonym):
    what the practice is, rather than what it also touches."""
    said = case.title + case.practice.name
    return {tag.name for tag in tags if tag.name in case.tags and any(word in said for word in (tag.name, *tag.synonyms))}
