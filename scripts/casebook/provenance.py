"""Provenance: the archived source texts, every quote checked against them, and the sentence
around each quote for the case page.

The archive is one Markdown file per source article in ``sources/`` (YAML front matter, then the
text as published). A case's source points at its article with ``archive: <file name>``. Every
field the schema marks ``x-format: quote`` (a figure's, an outcome's, a measure's or a lesson's
quote) is checked the same way. The check runs beside the schema validation
(``catalog.check_paths``), so ``casebook validate`` and ``mkdocs build`` both fail on a quote
that the archived text does not contain. A source without ``archive`` is allowed: its quotes
cannot be checked and the page says so (未存档). An outcome written as plain text (the form
before outcomes carried their evidence) is a warning: it has no quote to check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jsonschema import Draft202012Validator

from . import analysis
from .load import LoadedFile, load_yaml_text
from .model import SchemaFields, read_fields
from .problems import DRAFT_PLACEHOLDER, ERROR, WARNING, Problem, field_path
from .schema import base_schema, node_at, quote_paths
from .untrusted import read_text_file
from .validate import partial_date_range, schema_problems

ARCHIVE_SUFFIX = ".md"
CONTEXT_CHARACTERS = 40  # shown on each side of a quote whose sentence is longer
# What an archive's front matter says of its article that a case's source says too, by the same
# rules (an address is http or https, a date is a real date); the rest is the archive's own.
SHARED_WITH_SOURCES = ("title", "publisher", "author", "date", "reposted", "url")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_SENTENCE_END = "。！？；!?;"
_LINE_BREAK = re.compile(r"\s*\n\s*")
HEADING_CHARACTERS = 25  # a line this short is a heading, not a page break inside a sentence
# Wrong quotes of one case shown with the passage nearest to them (each a search of the whole
# article): enough for a person's mistakes, and a bound on the time a submission can cost.
NEAREST_PASSAGES = 20
_CJK = r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]"
# A line break next to Chinese text is a page break of the capture: the words run on across it.
_BREAK_BY_CJK = re.compile(rf"(?<={_CJK})[ \t]*\n\s*|[ \t]*\n\s*(?={_CJK})")
_WHITESPACE = re.compile(r"\s+")
# How far a source's date may stray before it is questioned (CONTRIBUTING.md, 写作规范 “日期”):
# the case and its archive give the same article's date, which a print and a web edition may
# shift by a few days; a report may announce a practice a year ahead of its start, not more.
SAME_ARTICLE_DAYS = 7
YEARS_BEFORE_PERIOD = 1


@dataclass(frozen=True)
class ArchivedSource:
    """One source article as archived in the repository."""

    id: str
    path: str           # as shown in messages, relative to the project
    text: str           # the article as published, without front matter
    archived: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    date: str = ""
    reposted: str = ""  # the date of the repost archived, which never stands for the original's
    url: str = ""
    full_text: bool = False
    note: str = ""

    @cached_property
    def traditional(self) -> bool:
        """Whether the article is written in traditional characters (then the page adds the
        simplified reading beside each quoted sentence)."""
        return analysis.to_simplified(self.text) != self.text

    @property
    def paragraphs(self) -> list[str]:
        return [display_text(p) for p in re.split(r"\n\s*\n", self.text) if p.strip()]

    @cached_property
    def searchable(self) -> "_Normalized":
        return _normalized(self.text)

    @cached_property
    def quote_searches(self) -> dict[tuple[str, str], object]:
        """What ``quote_span`` and ``find_quote`` answered for each quote: the quote check, the
        claims lint and the model each look for every quote of a case."""
        return {}

    def __getstate__(self) -> dict:
        # The searches stay in the process that made them: a check's worker process makes its
        # own, and the searches this process adds while the source is pickled for the worker (in
        # a thread of the pool) never change what is being pickled.
        return {name: value for name, value in self.__dict__.items() if name != "quote_searches"}


@dataclass(frozen=True)
class QuoteContext:
    """A quote inside its sentence of the archived source: ``before + quote + after``."""

    source: ArchivedSource
    before: str
    quote: str
    after: str

    @property
    def simplified(self) -> tuple[str, str, str] | None:
        """The same three parts in simplified characters, when the source is traditional."""
        if not self.source.traditional:
            return None
        return tuple(analysis.to_simplified(part) for part in (self.before, self.quote, self.after))


@dataclass(frozen=True)
class Archive:
    sources: dict[str, ArchivedSource]
    # Files of the archive that exist but could not be read (their own problems say why): a case
    # citing one is not told that its archive is missing.
    unreadable: frozenset[str] = frozenset()

    def get(self, source_id: str) -> ArchivedSource | None:
        return self.sources.get(source_id)

    def __iter__(self):
        return iter(self.sources[key] for key in sorted(self.sources))


# --- loading ------------------------------------------------------------------------------------

@functools.cache
def front_matter_schema() -> tuple[dict, Draft202012Validator]:
    """The schema of an archive's front matter, and its validator."""
    source = node_at(base_schema(), ("sources", 0))["properties"]
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["archived"],
        "properties": {
            **{name: source[name] for name in SHARED_WITH_SOURCES},
            "archived": {**source["date"], "description": (
                "存档日期：你存档这篇原文的日期。在开头两行 --- 之间加一行 archived: 日期，如 archived: 2026-11-27")},
            "full_text": {"type": "boolean",
                          "description": "是否在网站上公开全文：true 或 false（默认 false，只显示被引用的句子）"},
            "note": {"type": "string", "minLength": 1, "description": "存档说明：删去了什么、原文有什么特别之处"},
        },
    }
    return schema, Draft202012Validator(schema)


def load_archive(folder: Path, root: Path | None = None) -> tuple[Archive, list[Problem]]:
    """Every archived source in ``folder`` (an absent folder is an empty archive)."""
    sources: dict[str, ArchivedSource] = {}
    unreadable: set[str] = set()
    problems: list[Problem] = []
    if not folder.is_dir():
        return Archive(sources), problems
    for path in sorted(folder.glob(f"*{ARCHIVE_SUFFIX}")):
        shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        source = _read_source(path, shown, problems)
        if source is None:
            unreadable.add(path.stem)
        else:
            sources[source.id] = source
    return Archive(sources, frozenset(unreadable)), problems


def _read_source(path: Path, shown: str, problems: list[Problem]) -> ArchivedSource | None:
    """The archived source, or None when its file has a problem (added to ``problems``). The
    file is read and its front matter checked as a case file is."""
    raw, found = read_text_file(path, shown)
    problems += found
    if raw is None:
        return None
    match = _FRONT_MATTER.match(raw)
    if not match:
        problems.append(Problem(shown, 1, 1, "", "存档文件缺少开头的 YAML 信息块",
                                "第一行写 ---，接着写 archived: 存档日期 等字段，再写一行 ---，然后是原文"))
        return None
    # The line of the opening --- stays, as an empty line, so that lines count as in the file.
    front = load_yaml_text(f"\n{match.group(1)}\n", shown)
    front.origin = (2, 1)  # the front matter's first line
    if front.data is None and not front.problems:
        front.data = {}  # empty: the schema says what is missing
    found = front.problems
    if front.data is not None:
        found = found + schema_problems(front, *front_matter_schema(), dt.date.today())
    text = raw[match.end():].strip()
    if not text:
        found = found + [Problem(shown, raw[:match.end()].count("\n") + 1, 1, "", "存档文件没有原文")]
    problems += found
    if not isinstance(front.data, dict) or not text:
        return None
    if found:
        # Its front matter is wrong (reported above) but its text is readable: the quotes are still
        # checked against the text, so that one run names every problem, and nothing else of the
        # front matter is used.
        return ArchivedSource(id=path.stem, path=shown, text=text, archived="")
    strings = {key: str(value) for key, value in front.data.items() if key != "full_text" and value is not None}
    return ArchivedSource(id=path.stem, path=shown, text=text, full_text=bool(front.data.get("full_text")), **strings)


# --- finding quotes -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Normalized:
    """Text with white space removed and full-width forms folded (NFKC), and for each of its
    characters the offset of the character it came from in the original text."""

    text: str
    offsets: tuple[int, ...]


def _searched(character: str) -> str:
    """One character as quotes are looked for: full-width forms folded (NFKC), no white space."""
    return "".join(folded for folded in unicodedata.normalize("NFKC", character) if not folded.isspace())


_SEARCHED = analysis.CharacterMap(_searched)


def _normalized(text: str) -> _Normalized:
    searched = [_SEARCHED[ord(character)] for character in text]
    return _Normalized("".join(searched), tuple(offset for offset, folded in enumerate(searched) for _ in folded))


def find_quote(source: ArchivedSource, quote: str) -> QuoteContext | None:
    """The quote inside its sentence of the source, or None when the source does not contain it."""
    key = ("context", quote)
    if key not in source.quote_searches:
        source.quote_searches[key] = _quote_context(source, quote)
    return source.quote_searches[key]


def _quote_context(source: ArchivedSource, quote: str) -> QuoteContext | None:
    span = quote_span(source, quote)
    if span is None:
        return None
    sentence_start, first, last, sentence_end = span
    text = source.text
    before, after = display_text(text[sentence_start:first]).lstrip(), display_text(text[last:sentence_end]).rstrip()
    if len(before) > CONTEXT_CHARACTERS:
        before = "…" + before[-CONTEXT_CHARACTERS:]
    if len(after) > CONTEXT_CHARACTERS:
        after = after[:CONTEXT_CHARACTERS] + "…"
    return QuoteContext(source, before, display_text(text[first:last]), after)


def quote_span(source: ArchivedSource, quote: str) -> tuple[int, int, int, int] | None:
    """Where the quote and its sentence are in the source's text: ``(sentence start, quote
    start, quote end, sentence end)``; None when the source does not contain the quote. The
    claims lint reads the whole sentence (who said it, whether it is a plan)."""
    key = ("span", quote)
    if key not in source.quote_searches:
        source.quote_searches[key] = _quote_span(source, quote)
    return source.quote_searches[key]


def _quote_span(source: ArchivedSource, quote: str) -> tuple[int, int, int, int] | None:
    haystack, needle = source.searchable, quote.translate(_SEARCHED)
    if not needle:
        return None
    start = haystack.text.find(needle)
    if start < 0:
        return None
    first = haystack.offsets[start]
    last = haystack.offsets[start + len(needle) - 1] + 1
    text = source.text
    sentence_start = max(text.rfind(mark, 0, first) for mark in _SENTENCE_END) + 1
    ends = [i for i in (text.find(mark, last) for mark in _SENTENCE_END) if i >= 0]
    sentence_end = min(ends) + 1 if ends else len(text)
    # A line break ends a sentence only next to a heading (a short line): elsewhere it is a page
    # break of the capture, inside a sentence.
    for match in _LINE_BREAK.finditer(text, sentence_start, first):
        if len(text[text.rfind("\n", 0, match.start()) + 1:match.start()].strip()) <= HEADING_CHARACTERS:
            sentence_start = match.end()
    for match in _LINE_BREAK.finditer(text, last, sentence_end):
        line_end = text.find("\n", match.end())
        if len(text[match.end():line_end if line_end >= 0 else len(text)].strip()) <= HEADING_CHARACTERS:
            sentence_end = match.start()
            break
    return sentence_start, first, last, sentence_end


def nearest_passage(source: ArchivedSource, quote: str) -> str:
    """The passage of the source most like ``quote``, as it is written there (for messages)."""
    haystack, needle = source.searchable, quote.translate(_SEARCHED)
    if not needle or not haystack.text:
        return ""
    size = len(needle)
    best, best_start = -1.0, 0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    # Windows the size of the quote, every quarter of its length, then refined one by one around
    # the best: a few hundred comparisons for an article, made only for a quote that is wrong.
    step = max(1, size // 4)
    # quick_ratio (shared characters, counted once for the quote) bounds ratio from above: a
    # window that cannot beat the best so far is not compared in full.
    for start in range(0, max(1, len(haystack.text) - size + 1), step):
        matcher.set_seq1(haystack.text[start:start + size])
        if matcher.quick_ratio() > best and (ratio := matcher.ratio()) > best:
            best, best_start = ratio, start
    for start in range(max(0, best_start - step), min(len(haystack.text) - 1, best_start + step) + 1):
        matcher.set_seq1(haystack.text[start:start + size])
        if matcher.quick_ratio() > best and (ratio := matcher.ratio()) > best:
            best, best_start = ratio, start
    end = min(len(haystack.text), best_start + size) - 1
    return display_text(source.text[haystack.offsets[best_start]:haystack.offsets[end] + 1])


def display_text(text: str) -> str:
    """Text of a capture as one line: line breaks next to Chinese text (page breaks of the
    capture) vanish, other runs of white space become one space."""
    return _WHITESPACE.sub(" ", _BREAK_BY_CJK.sub("", text)).strip()


# --- checking cases -----------------------------------------------------------------------------

def check_provenance(loaded_files: Iterable[LoadedFile], archive: Archive) -> list[Problem]:
    """Problems with archive references, metric quotes and editorial marks, in every file."""
    problems: list[Problem] = []
    for loaded in loaded_files:
        if isinstance(loaded.data, dict):
            problems += _check_case(loaded, loaded.data, archive)
    return problems


def _check_case(loaded: LoadedFile, case: dict, archive: Archive) -> list[Problem]:
    problems: list[Problem] = []

    def report(parts: tuple, message: str, hint: str = "", severity: str = ERROR) -> None:
        line, column = loaded.position(parts)
        problems.append(Problem(loaded.display_path, line, column, field_path(parts), message, hint, severity))

    archived: list[ArchivedSource] = []
    unarchived = False
    for index, source in enumerate(_dicts(case.get("sources"))):
        reference = source.get("archive")
        record = archive.get(reference) if isinstance(reference, str) else None
        _check_source_dates(source, record, case.get("period"), ("sources", index), report)
        if not isinstance(reference, str):
            unarchived = True
        elif record is None and reference in archive.unreadable:
            unarchived = True  # the archive file's own problems are reported with its path
        elif record is None:
            close = difflib.get_close_matches(reference, list(archive.sources), n=1, cutoff=0.5)
            hint = f"你是不是想写 “{close[0]}”？" if close else "存档文件放在 sources/ 目录，文件名（不含 .md）就是存档编号"
            report(("sources", index, "archive"), f"找不到存档 “{reference}”", hint)
            unarchived = True
        else:
            archived.append(record)
    # A quote can be checked only when every source of its case is archived: it may come from
    # any of them.
    if archived and not unarchived:
        searches = NEAREST_PASSAGES
        for parts, quote in quotes_in(case):
            if not isinstance(quote, str) or not quote.strip() or quote.startswith(DRAFT_PLACEHOLDER):
                continue  # a draft's placeholder is reported as a field left to write
            if any(find_quote(record, quote) for record in archived):
                continue
            names = "、".join(record.path for record in archived)
            hint = "引文要一字不改地摘录原文（空格和全角半角不计）"
            if searches > 0:
                searches -= 1
                nearest = max((nearest_passage(record, quote) for record in archived),
                              key=lambda passage: difflib.SequenceMatcher(None, passage, quote).ratio())
                hint = f"原文中最接近的一段是“{nearest}”；{hint}"
            report(parts, f"存档原文（{names}）中找不到这段引文", hint)
    outcomes = case.get("outcomes")
    for index, outcome in enumerate(outcomes if isinstance(outcomes, list) else []):
        if isinstance(outcome, str):
            report(("outcomes", index), "未附原文：这条成效只有文字，没有写明状态（status）和原文依据（quote）",
                   "改写为 text、status、quote 三项（见 CONTRIBUTING.md 的字段说明）；"
                   "casebook migrate-outcomes 可以自动补上能在存档原文中找到的依据", WARNING)
    marks = case.get("editor_added")
    for index, path in enumerate(marks if isinstance(marks, list) else []):
        if isinstance(path, str) and not _resolves(case, path):
            report(("editor_added", index), f"“{path}”不是本案例中的字段",
                   "写字段路径，如 region.city、outcomes[1]、practice.measures[0].detail")
    return problems


def _check_source_dates(source: dict, record: ArchivedSource | None, period, parts: tuple, report) -> None:
    """A source's dates against its archive's and the case's period: a year typed wrong (the
    trial's 2023 for a report of 2024) would otherwise date the case and its figures wrongly."""
    for name in ("date", "reposted"):
        written = partial_date_range(source.get(name))
        if written is None:
            continue
        shown = f"{name} {source[name]}"
        archived_range = partial_date_range(getattr(record, name)) if record else None
        if archived_range:
            gap = max(written[0] - archived_range[1], archived_range[0] - written[1]).days
            if gap > SAME_ARTICLE_DAYS:
                report(parts + (name,), f"{shown} 与存档 {record.path} 的 {name} {getattr(record, name)} 相差 {gap} 天",
                       "两处写的是同一篇报道的日期，应当一致：对照原文核对年份和月份，改正写错的一处", WARNING)
        archived_on = partial_date_range(record.archived) if record else None
        if archived_on and written[0] > archived_on[1]:
            report(parts + (name,), f"{shown} 晚于存档 {record.path} 的存档日期 {record.archived}",
                   "报道在存档之前就已发表，日期不会晚于存档日期：核对年份和月份", WARNING)
    written = partial_date_range(source.get("date"))
    start = partial_date_range(period.get("start")) if isinstance(period, dict) else None
    if written and start and start[0].year - written[1].year > YEARS_BEFORE_PERIOD:
        report(parts + ("date",), f"报道日期 {source['date']} 比实施开始时间 period.start {period['start']} "
               f"早 {start[0].year - written[1].year} 年",
               f"报道最多比做法早 {YEARS_BEFORE_PERIOD} 年（预告计划）：核对两个日期是否写错；period.start 写这项做法开始的时间，"
               "不是背景里更早的年份", WARNING)


def quotes_in(case: dict) -> list[tuple[tuple, object]]:
    """Every quote of a case's data with its path: ``(("outcomes", 2, "quote"), "…")``."""
    found = []
    for path in quote_paths(base_schema()):
        found += _values_at(case, path, ())
    return found


def _values_at(node, path: tuple, parts: tuple) -> list[tuple[tuple, object]]:
    """The values at ``path`` in ``node`` (0 standing for every item of a list), with their paths."""
    if not path:
        return [(parts, node)]
    head, rest = path[0], path[1:]
    if head == 0:
        items = node if isinstance(node, list) else []
        return [found for index, item in enumerate(items) for found in _values_at(item, rest, parts + (index,))]
    if isinstance(node, dict) and head in node:
        return _values_at(node[head], rest, parts + (head,))
    return []


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _resolves(data, path: str) -> bool:
    """Whether a field path like ``practice.measures[0].detail`` names a value in ``data``."""
    if not re.fullmatch(r"[A-Za-z_]+(\.[A-Za-z_]+|\[\d+\])*", path):
        return False
    node = data
    for name, index in _PATH_PART.findall(path):
        if name:
            if not isinstance(node, dict) or name not in node:
                return False
            node = node[name]
        else:
            if not isinstance(node, list) or int(index) >= len(node):
                return False
            node = node[int(index)]
    return True


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- the model stage ----------------------------------------------------------------------------

def with_provenance(case, archive: Archive):
    """The case with each source's archived record and every quote (of a figure, an outcome, a
    measure, a lesson) in its context."""
    sources = tuple(dataclasses.replace(source, archived=archive.get(source.archive) if source.archive else None)
                    for source in case.sources)
    records = [source.archived for source in sources if source.archived]
    return dataclasses.replace(_with_contexts(case, records), sources=sources)


def _with_contexts(value, records: list[ArchivedSource]):
    """``value`` with a context on every model object inside it that has a quote."""
    if isinstance(value, tuple):
        items = tuple(_with_contexts(item, records) for item in value)
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if not isinstance(value, SchemaFields):
        return value
    changes = {item.name: _with_contexts(getattr(value, item.name), records) for item in read_fields(type(value))}
    changes = {name: new for name, new in changes.items() if new is not getattr(value, name)}
    if "context" in {item.name for item in dataclasses.fields(value)} and value.quote:
        changes["context"] = next((found for found in (find_quote(record, value.quote) for record in records)
                                   if found), None)
    return dataclasses.replace(value, **changes) if changes else value
