"""Stage 3: validated data -> typed cases that templates and the index can rely on.

The classes name the fields the code works with (as typed attributes with properties on top);
the schema names every field a case may have. ``Case.from_data`` fills the classes from the
data by the schema: a field the schema declares and the class does not name is kept in the
object's ``extra`` mapping and read like any attribute (a ``funding`` field added to the schema
alone reads as ``case.funding``), so such a field is validated, reaches the case page, the
handouts, both searches, the compare page and the downloads (as its annotations in the schema
say), and breaks nothing. ``tests/test_model.py`` checks, at every level, that each class field is a schema
property of a compatible type, required exactly when the schema requires it.
"""

from __future__ import annotations

import re
import types
import typing
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .numerals import AmountAsWritten, amount_as_written
from .schema import base_schema, node_at, object_form

if TYPE_CHECKING:
    from .provenance import ArchivedSource, QuoteContext

_WHITESPACE = re.compile(r"\s+")


class SchemaFields:
    """Schema-declared fields the class does not name, read from ``extra`` like attributes.

    An optional field the case leaves out reads as None, as a named optional field reads as its
    default; a name the schema does not declare is an AttributeError, so typos still fail.
    """

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "extra":  # copy and pickle probe before fields exist
            raise AttributeError(name)
        if name in self.extra:
            return self.extra[name]
        if name in schema_node(type(self)).get("properties", {}):
            return None
        raise AttributeError(f"{type(self).__name__} has no field {name!r} (not in case_schema.yaml)")


# The metadata of a field the code sets rather than reads from the case file (source_path, and
# whatever a later stage attaches); every other field must be a property of the schema.
DERIVED = {"derived": True}


def _extra() -> dict:
    # Left out of the hash (a dict has none); compared and shown like every other field.
    return field(default_factory=dict, hash=False, metadata=DERIVED)


@dataclass(frozen=True)
class Region(SchemaFields):
    province: str
    setting: str
    city: str = ""
    county: str = ""
    town: str = ""
    community: str = ""
    extra: dict = _extra()

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
class Period(SchemaFields):
    start: str
    end: str = ""
    ongoing: bool = False
    extra: dict = _extra()

    # Words the site shows, shipped with the data (casebook.export), so that the browser shows them
    # and never rewords them; each with what it is, for the downloads' codebook.
    DISPLAY_TEXTS = {"label": "时间的写法：网页上显示的实施时间，由 start、end 和 ongoing 写成。"}

    @property
    def start_year(self) -> int:
        return int(self.start[:4])

    @property
    def label(self) -> str:
        return "".join(text for text, _ in self.label_parts)

    @property
    def label_parts(self) -> list[tuple[str, str]]:
        """The label in pieces, each date with its field path (for the 编者补充 mark beside a
        date the editors inferred) and the words between with none."""
        if self.end:
            return [(self.start, "period.start"), (PERIOD_WORDS["to"], ""), (self.end, "period.end")]
        return [(self.start, "period.start"), (PERIOD_WORDS["ongoing" if self.ongoing else "since"],
                                                 "period.ongoing" if self.ongoing else "")]


def _context():
    # A quote inside its sentence of the archived source (provenance.with_provenance); None when
    # there is no quote or its source is not archived.
    return field(default=None, compare=False, repr=False, metadata=DERIVED)


@dataclass(frozen=True)
class Measure(SchemaFields):
    title: str
    detail: str
    quote: str | None = None
    context: "QuoteContext | None" = _context()
    extra: dict = _extra()

    @property
    def statement(self) -> str:
        """What the quote supports, in a few words (named where another item shares its quote)."""
        return self.title


# A list item written as plain text (an outcome or a lesson without its quote) is the object
# form with this field alone; an outcome so written is shown with these words.
TEXT_FIELD = "text"
UNQUOTED = "未附原文"
# Whose lessons a case's lessons are (lessons_origin), as every page badges them: the badge's
# words and its kind (the class cb-status--<kind>).
LESSON_ORIGIN_BADGES = {"编者归纳": ("编者观点", "editor"), "原文": ("原文总结", "source")}


@dataclass(frozen=True)
class Outcome(SchemaFields):
    """What came of the practice, how far the source says it got (status) and the source's words."""

    text: str
    status: str | None = None  # None: written as plain text, shown as UNQUOTED
    quote: str | None = None
    context: "QuoteContext | None" = _context()
    extra: dict = _extra()

    @property
    def statement(self) -> str:
        return self.text


@dataclass(frozen=True)
class Lesson(SchemaFields):
    """A lesson; the source's own lessons may carry the source's words."""

    text: str
    quote: str | None = None
    context: "QuoteContext | None" = _context()
    extra: dict = _extra()

    @property
    def statement(self) -> str:
        return self.text


@dataclass(frozen=True)
class Actor(SchemaFields):
    name: str
    role: str
    extra: dict = _extra()


# Chinese puts some qualifiers before the number (约300人) and others after it (300余人).
QUALIFIERS_BEFORE_NUMBER = frozenset({"约", "近", "超", "逾", "不足", "累计"})

# Kinds of figure (the schema's metrics[].kind enum), in the order a case page shows them: what
# the practice achieved first, the place's background last (folded). A figure without a kind is
# taken as 做法: neither advertised as a result nor hidden as background.
METRIC_KINDS = ("成效", "做法", "基本情况")
DEFAULT_METRIC_KIND = "做法"
# How a figure is counted (the schema's metrics[].basis): a figure that does not say is a total.
DEFAULT_METRIC_BASIS = "总数"


@lru_cache(maxsize=1)
def metric_qualifiers() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The schema's qualifiers of a figure: those written before the number, those written after."""
    allowed = schema_node(Metric)["properties"]["qualifier"].get("enum", [])
    return (tuple(q for q in allowed if q in QUALIFIERS_BEFORE_NUMBER),
            tuple(q for q in allowed if q not in QUALIFIERS_BEFORE_NUMBER))


@lru_cache(maxsize=1)
def outcome_statuses() -> tuple[str, ...]:
    """The schema's statuses of an outcome, from the furthest a source says it got."""
    return tuple(schema_node(Outcome)["properties"]["status"].get("enum", []))


@lru_cache(maxsize=4096)
def _amount_as_written(quote, value, value_max, unit, qualifier) -> AmountAsWritten | None:
    return amount_as_written(quote, value, value_max, unit, qualifier, metric_qualifiers())


@dataclass(frozen=True)
class Metric(SchemaFields):
    label: str
    value: float | int
    unit: str
    quote: str
    qualifier: str = ""
    period: str = ""
    value_max: float | int | None = None
    context: "QuoteContext | None" = _context()
    kind: str = DEFAULT_METRIC_KIND
    extra: dict = _extra()

    DISPLAY_TEXTS = {  # shipped with the data (casebook.export), as Period's
        "amount_text": "原文写法：这个数字在原文引语中的写法（如 约300人、2万余人、90%以上），即网页上显示的写法；"
                       "value、value_max、unit、qualifier 是从中读出的数值、上限、单位和限定词。",
        "figure_text": "一行写法：指标名、原文写法和时间连成的一行（如 参与居民：300余人（2023年）），"
                       "即对比页列出、“复制证据”复制的写法。",
    }

    @property
    def value_text(self) -> str:
        """305, 1.5 or 2–3: the value as a number, without a trailing .0 (for sorting and charts)."""
        text = _number_text(self.value)
        return f"{text}–{_number_text(self.value_max)}" if self.value_max is not None else text

    @property
    def written(self) -> AmountAsWritten:
        """The figure as its quote writes it (约300人, 2万余人, 90%以上, 8万3千余立方米): what every
        page, handout and download shows. Chinese puts 余, 多 and 以上 in several places and
        writes numbers in several ways, so the words are taken from the quote, never rebuilt from
        value, qualifier and unit. A figure the validator has not passed (a preview of a case with
        problems) falls back to those parts."""
        found = _amount_as_written(self.quote, self.value, self.value_max, self.unit, self.qualifier)
        if found is not None:
            return found
        before, after = metric_qualifiers()
        number = (self.qualifier if self.qualifier in before else "") + self.value_text
        return AmountAsWritten(number + (self.qualifier if self.qualifier in after else "") + self.unit, len(number))

    @property
    def amount_text(self) -> str:
        return self.written.text

    @property
    def figure_text(self) -> str:
        """参与居民：300余人（2023年）: the figure in one line, its label, its words as written and
        its period, as compare lists it and 复制证据 copies it (the case page lays the same parts
        out in a row)."""
        return f"{self.label}：{self.amount_text}" + (f"（{self.period}）" if self.period else "")

    @property
    def statement(self) -> str:
        return self.label

    @property
    def counted_as(self) -> str:
        """How the figure is counted (总数, 每单位, 人均, 比例): a total unless the case says so."""
        return self.basis or DEFAULT_METRIC_BASIS


@dataclass(frozen=True)
class Source(SchemaFields):
    title: str
    publisher: str
    author: str = ""
    date: str = ""  # the original article's: the only date that dates the case (资料截至, year)
    reposted: str = ""  # the date of the repost the editor read, when only that one is known
    url: str = ""
    archive: str = ""  # the file name (without .md) of the archived article in sources/
    archived: "ArchivedSource | None" = field(default=None, compare=False, repr=False, metadata=DERIVED)
    extra: dict = _extra()


@dataclass(frozen=True)
class Practice(SchemaFields):
    name: str
    description: str
    measures: tuple[Measure, ...]
    actors: tuple[Actor, ...]
    extra: dict = _extra()


@dataclass(frozen=True)
class Case(SchemaFields):
    id: str
    title: str
    summary: str
    region: Region
    level: str
    background: str
    practice: Practice
    outcomes: tuple[Outcome, ...]
    lessons: tuple[Lesson, ...]
    lessons_origin: str
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    source_path: str = field(metadata=DERIVED)
    period: Period | None = None
    metrics: tuple[Metric, ...] = field(default=())
    # Field paths (region.city, outcomes[1]) whose statement is the editor's, not the source's.
    editor_added: tuple[str, ...] = field(default=())
    problems: tuple[str, ...] = ()  # what the practice sets out to solve, from the taxonomy
    extra: dict = _extra()

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
                 *(item.text for item in (*self.outcomes, *self.lessons))]
        quotes = [item.quote or "" for item in self.quoted]
        return sum(map(len, texts)) + 80 * len(self.metrics) + sum(map(len, quotes))

    @property
    def _quoted_lists(self) -> tuple[tuple[str, tuple], ...]:
        """The lists whose items may carry a quote, by field path, in the order the page shows them."""
        return (("practice.measures", self.practice.measures), ("metrics", self.metrics),
                ("outcomes", self.outcomes), ("lessons", self.lessons))

    @property
    def quoted(self) -> tuple[Measure | Metric | Outcome | Lesson, ...]:
        """Everything of the case that may carry a quote, in the order the page shows them."""
        return tuple(item for _, items in self._quoted_lists for item in items)

    def sharing_quote_with(self, item) -> tuple:
        """Every item of the case giving the same quote as ``item`` (one sentence supporting two
        figures or outcomes), in page order, ``item`` included; () when no other item gives it.
        The page shows the sentence with the first and points to it from the others."""
        if not item.quote:
            return ()
        words = _WHITESPACE.sub("", item.quote)
        sharing = tuple(other for other in self.quoted if other.quote and _WHITESPACE.sub("", other.quote) == words)
        return sharing if len(sharing) > 1 else ()

    def path_of(self, item) -> str:
        """The field path of one of the case's quoted items (``metrics[3]``), found by identity:
        two items may be equal."""
        for name, items in self._quoted_lists:
            for index, other in enumerate(items):
                if other is item:
                    return f"{name}[{index}]"
        raise ValueError("not an item of this case")

    def quote_anchor(self, item) -> str:
        """The page anchor of a quoted item: ``metrics[3]`` -> ``q-<case id>-metrics-3`` (the case's
        id keeps anchors apart where a training pack holds several cases)."""
        return f"q-{self.id}-" + re.sub(r"\W+", "-", self.path_of(item)).strip("-")

    def is_editor_added(self, path: str, apart: tuple[str, ...] = ()) -> bool:
        """Whether the statement at ``path`` (``region.city``, ``outcomes[1]``) is the editor's:
        marked itself, inside a marked whole (``region``), or holding a marked part
        (``practice.measures[0].detail`` marks measure 0). Parts named in ``apart``
        (``(".period",)``) are left out: the page marks them where it shows them."""
        inside, marked_apart = (path + ".", path + "["), tuple(path + part for part in apart)
        return any(marked == path or path.startswith((marked + ".", marked + "["))
                   or (marked.startswith(inside) and not marked.startswith(marked_apart))
                   for marked in self.editor_added)

    @property
    def archived(self) -> bool:
        """Whether every source of the case is archived, so every quote was checked."""
        return all(source.archived for source in self.sources)

    @property
    def metrics_by_kind(self) -> list[tuple[str, tuple[Metric, ...]]]:
        """The case's figures grouped by kind, in METRIC_KINDS order, empty kinds left out."""
        groups = [(kind, tuple(m for m in self.metrics if m.kind == kind)) for kind in METRIC_KINDS]
        return [(kind, metrics) for kind, metrics in groups if metrics]

    @property
    def outcome_counts(self) -> list[tuple[str | None, int]]:
        """How many outcomes the source says got how far, in the schema's order of statuses
        (结果, 进展, 目标, 个例), then those written without a status (None); absent ones left out."""
        counts = Counter(outcome.status for outcome in self.outcomes)
        return [(status, counts[status]) for status in (*outcome_statuses(), None) if counts[status]]

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
        return _build(cls, data, source_path=source_path)


def _build(cls: type, data: dict, **computed):
    """An instance of the model class ``cls`` from validated data: named fields converted to
    their annotated types, every other key kept in ``extra``."""
    hints = field_types(cls)
    named = {key: _convert(hints[key], value) for key, value in data.items() if key in hints}
    extra = {key: _plain(value) for key, value in data.items() if key not in hints}
    return cls(**named, **computed, extra=extra)


def _convert(hint, value):
    """``value`` as the annotation ``hint`` says: text cleaned, lists as tuples, objects as classes."""
    if hint is str:
        return clean_text(str(value))  # partial dates may be written as integers (2024)
    if is_dataclass(hint):
        return _build(hint, {TEXT_FIELD: value} if isinstance(value, str) else value)
    if typing.get_origin(hint) is tuple:
        return tuple(_convert(typing.get_args(hint)[0], item) for item in value)
    model = _model_class(hint)
    return _build(model, value) if model else value  # numbers and booleans as YAML gives them


def _plain(value):
    """A field the classes do not name: text cleaned, the rest as the data has it."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def read_fields(cls: type) -> list:
    """The dataclass fields of ``cls`` read from case files (all but the DERIVED ones)."""
    return [item for item in fields(cls) if not item.metadata.get("derived")]


@lru_cache(maxsize=None)
def field_types(cls: type) -> dict:
    """Field name -> annotation, for the fields read from case files.

    Resolved one by one (as ``typing.get_type_hints`` would, in this module's namespace) so that
    a DERIVED field may be annotated with a type imported only for type checkers.
    """
    return {item.name: eval(item.type, globals()) if isinstance(item.type, str) else item.type
            for item in read_fields(cls)}


def _model_class(hint) -> type | None:
    """``Period`` for ``Period | None``; None when the annotation holds no model class."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return next((arg for arg in typing.get_args(hint) if is_dataclass(arg)), None)
    return None


@lru_cache(maxsize=1)
def model_tree() -> dict[type, tuple]:
    """Every model class and the schema path it stands for (``Metric`` -> ``("metrics", 0)``)."""
    tree: dict[type, tuple] = {Case: ()}
    pending = [Case]
    while pending:
        cls = pending.pop()
        for name, hint in field_types(cls).items():
            inner = typing.get_args(hint)[0] if typing.get_origin(hint) is tuple else hint
            model = inner if is_dataclass(inner) else _model_class(inner)
            if model and model not in tree:
                tree[model] = tree[cls] + ((name, 0) if inner is not hint else (name,))
                pending.append(model)
    return tree


def schema_node(cls: type) -> dict:
    """The part of the case schema the model class ``cls`` stands for (its object form, for a
    value that may also be written as plain text)."""
    return object_form(node_at(base_schema(), model_tree()[cls]))


def clean_text(text: str) -> str:
    """Trim, keep paragraph breaks (blank lines), collapse other runs of white space."""
    paragraphs = (p for p in re.split(r"\n\s*\n", text.strip()) if p.strip())
    return "\n\n".join(_WHITESPACE.sub(" ", p).strip() for p in paragraphs)


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
