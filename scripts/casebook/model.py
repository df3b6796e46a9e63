"""Stage 3: validated data -> typed cases that templates and the index can rely on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Region:
    province: str
    setting: str
    city: str = ""
    county: str = ""
    town: str = ""
    community: str = ""

    @property
    def levels(self) -> list[str]:
        """Names from the province down, skipping levels the case does not name."""
        return [name for name in (self.province, self.city, self.county, self.town, self.community) if name]

    @property
    def label(self) -> str:
        return "".join(self.levels)


# How a period reads (the compare page writes periods with the same words, see fields.py).
PERIOD_WORDS = {"to": " 至 ", "since": " 起", "ongoing": " 起，仍在实施"}


@dataclass(frozen=True)
class Period:
    start: str
    end: str = ""
    ongoing: bool = False

    @property
    def start_year(self) -> int:
        return int(self.start[:4])

    @property
    def label(self) -> str:
        if self.end:
            return f"{self.start}{PERIOD_WORDS['to']}{self.end}"
        return f"{self.start}{PERIOD_WORDS['ongoing' if self.ongoing else 'since']}"


@dataclass(frozen=True)
class Measure:
    title: str
    detail: str


@dataclass(frozen=True)
class Actor:
    name: str
    role: str


# Chinese puts some qualifiers before the number (约300人) and others after it (300余人).
QUALIFIERS_BEFORE_NUMBER = frozenset({"约", "近", "超", "逾", "不足", "累计"})

# Kinds of figure (the schema's metrics[].kind enum), in the order a case page shows them: what
# the practice achieved first, the place's background last (folded). A figure without a kind is
# taken as 做法: neither advertised as a result nor hidden as background.
METRIC_KINDS = ("成效", "做法", "基本情况")
DEFAULT_METRIC_KIND = "做法"


@dataclass(frozen=True)
class Metric:
    label: str
    value: float | int
    unit: str
    quote: str
    qualifier: str = ""
    period: str = ""
    value_max: float | int | None = None
    kind: str = DEFAULT_METRIC_KIND

    @property
    def value_text(self) -> str:
        """305, 1.5 or 2–3: as the source gives it, without a trailing .0."""
        text = _number_text(self.value)
        return f"{text}–{_number_text(self.value_max)}" if self.value_max is not None else text

    @property
    def qualifier_before(self) -> str:
        return self.qualifier if self.qualifier in QUALIFIERS_BEFORE_NUMBER else ""

    @property
    def qualifier_after(self) -> str:
        return self.qualifier if self.qualifier not in QUALIFIERS_BEFORE_NUMBER else ""

    @property
    def amount_text(self) -> str:
        """The figure as one would say it: 约300人, 1397名, 2–3个."""
        return f"{self.qualifier_before}{self.value_text}{self.qualifier_after}{self.unit}"


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    author: str = ""
    date: str = ""
    url: str = ""


@dataclass(frozen=True)
class Practice:
    name: str
    description: str
    measures: tuple[Measure, ...]
    actors: tuple[Actor, ...]


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    summary: str
    region: Region
    level: str
    background: str
    practice: Practice
    outcomes: tuple[str, ...]
    lessons: tuple[str, ...]
    lessons_origin: str
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    source_path: str
    period: Period | None = None
    metrics: tuple[Metric, ...] = field(default=())

    @property
    def year(self) -> int | None:
        """The year the practice started, or else the year of its newest source."""
        if self.period:
            return self.period.start_year
        dated = [s.date for s in self.sources if s.date]
        return int(max(dated)[:4]) if dated else None

    @property
    def text_length(self) -> int:
        """Characters of text a full printout of the case holds (a metric row counts as 80)."""
        practice = self.practice
        texts = [self.title, self.summary, self.background, practice.description,
                 *(m.title + m.detail for m in practice.measures), *(a.name + a.role for a in practice.actors),
                 *self.outcomes, *self.lessons]
        return sum(map(len, texts)) + 80 * len(self.metrics) + sum(len(m.quote) for m in self.metrics)

    @property
    def metrics_by_kind(self) -> list[tuple[str, tuple[Metric, ...]]]:
        """The case's figures grouped by kind, in METRIC_KINDS order, empty kinds left out."""
        groups = [(kind, tuple(m for m in self.metrics if m.kind == kind)) for kind in METRIC_KINDS]
        return [(kind, metrics) for kind, metrics in groups if metrics]

    @property
    def key_metrics(self) -> tuple[Metric, ...]:
        """Up to three results (成效) for the overview at the top of the case page."""
        return tuple(m for m in self.metrics if m.kind == METRIC_KINDS[0])[:3]

    @property
    def newest_source_date(self) -> str:
        return max((s.date for s in self.sources if s.date), default="")

    @property
    def reported_date(self) -> str:
        """When the case was last reported: its newest source, else the end or start of its period."""
        if self.newest_source_date:
            return self.newest_source_date
        return (self.period.end or self.period.start) if self.period else ""

    @classmethod
    def from_data(cls, data: dict, source_path: str) -> "Case":
        """Build a case from data that passed validation (so every required key is present)."""
        practice = data["practice"]
        period = data.get("period")
        return cls(
            id=data["id"],
            title=clean_text(data["title"]),
            summary=clean_text(data["summary"]),
            region=Region(**{k: clean_text(v) for k, v in data["region"].items()}),
            level=data["level"],
            background=clean_text(data["background"]),
            practice=Practice(
                name=clean_text(practice["name"]),
                description=clean_text(practice["description"]),
                measures=tuple(Measure(clean_text(m["title"]), clean_text(m["detail"])) for m in practice["measures"]),
                actors=tuple(Actor(clean_text(a["name"]), clean_text(a["role"])) for a in practice["actors"]),
            ),
            outcomes=tuple(clean_text(o) for o in data["outcomes"]),
            lessons=tuple(clean_text(lesson) for lesson in data["lessons"]),
            lessons_origin=data["lessons_origin"],
            tags=tuple(data["tags"]),
            sources=tuple(Source(**{k: clean_text(str(v)) for k, v in s.items()}) for s in data["sources"]),
            source_path=source_path,
            period=Period(str(period["start"]), str(period.get("end", "")), bool(period.get("ongoing")))
            if period else None,
            metrics=tuple(Metric(**{k: (clean_text(v) if isinstance(v, str) else v) for k, v in m.items()})
                          for m in data.get("metrics", [])),
        )


def clean_text(text: str) -> str:
    """Trim, keep paragraph breaks (blank lines), collapse other runs of white space."""
    paragraphs = (p for p in re.split(r"\n\s*\n", text.strip()) if p.strip())
    return "\n\n".join(_WHITESPACE.sub(" ", p).strip() for p in paragraphs)


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
