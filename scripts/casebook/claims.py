"""The claims lint: statements of a case that say more than its source, for a person to judge.

Five rules, their words in ``claim_rules.yaml``: an outcome marked 结果 whose quote is someone's
words (转述) or a plan or aim (计划); a generalisation whose source sentence speaks of one
person, household or place (以偏概全); prose sharing 25 characters with the article, punctuation
and spacing ignored (照抄); an effect in the summary or title that no 结果 outcome supports
(无据效果). Each hit is a warning (an error with ``--strict``) at its field, naming the words
that triggered it. A hit a person has checked is recorded in the case's ``reviewed`` list; an
entry that matches no hit is reported too, so stale marks do not pile up.

Everything is compared folded: full-width to half-width, traditional to simplified, without
spaces or punctuation. A case is compared with its own archived sources only, so the cost grows
with the library, not with its square.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import chain
from pathlib import Path

import yaml

from . import analysis
from .load import LoadedFile
from .problems import DRAFT_PLACEHOLDER, WARNING, Problem, field_path
from .provenance import Archive, ArchivedSource, display_text, quote_span
from .schema import base_schema, form_of, node_at, types_of

RULES_PATH = Path(__file__).with_name("claim_rules.yaml")
REVIEWED = "reviewed"
_CLAUSE_END = re.compile(r"[，,。；;！!？?：:\n]")
_SENTENCE_END = "。！？；!?;"
_PROSE_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


@cache
def rules() -> dict:
    """The rules as written in ``claim_rules.yaml``, by name: the names the case schema allows
    in ``reviewed[].rule``, in its order."""
    written = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    allowed = node_at(base_schema(), (REVIEWED, 0, "rule")).get("enum", [])
    if list(written) != allowed:
        raise ValueError(f"{RULES_PATH.name} names the rules {list(written)}; case_schema.yaml allows {allowed}")
    return written


def browser_rules() -> dict:
    """What the browser's port of the lint (claims-check.js, through submission-rules.js) reads:
    the rules as written and the marks that end a clause and a sentence."""
    return {"rules": rules(), "reviewed": REVIEWED, "clauseEnd": _CLAUSE_END.pattern,
            "sentenceEnd": _SENTENCE_END, "proseSentenceEnd": _PROSE_SENTENCE_END.pattern}


@dataclass(frozen=True)
class Hit:
    """One claim to check: the field, the rule and the words that triggered it."""

    parts: tuple
    rule: str
    message: str

    @property
    def path(self) -> str:
        return field_path(self.parts)


# --- folding ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Folded:
    """Text folded for comparison, with each folded character's offset in the text."""

    text: str
    offsets: tuple[int, ...]


def fold(text: str) -> Folded:
    """Full-width to half-width (NFKC), traditional to simplified, without white space or
    punctuation (a comma changed to 、 is the same text)."""
    kept = [_KEPT[ord(character)] for character in text]
    return Folded(_simplified("".join(kept)), tuple(offset for offset, folded in enumerate(kept) for _ in folded))


def folded(text: str) -> str:
    """``fold(text).text``, without the offsets."""
    return _simplified(text.translate(_KEPT))


def _simplified(plain: str) -> str:
    simplified = analysis.to_simplified(plain)
    if len(simplified) != len(plain):  # a phrase converted to another length: character by character
        simplified = "".join(analysis.to_simplified(c) for c in plain)
    return simplified


def _kept(character: str) -> str:
    """What is left of one character once folded (NFKC), without white space or punctuation."""
    return "".join(folded for folded in unicodedata.normalize("NFKC", character)
                   if not folded.isspace() and not unicodedata.category(folded).startswith(("P", "Z")))


_KEPT = analysis.CharacterMap(_kept)


def _simple(text: str) -> str:
    """Text in simplified characters and half-width forms, punctuation kept (for the word lists)."""
    return analysis.to_simplified(unicodedata.normalize("NFKC", text))


def _pieces(text: str) -> set[str]:
    """The two-character pieces of folded text."""
    plain = folded(text)
    return {plain[i:i + 2] for i in range(len(plain) - 1)}


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """One expression finding any of ``words``: a text it finds nothing in holds none of them."""
    return re.compile("|".join(map(re.escape, words)))


def _found(words: Iterable[str], text: str) -> list[str]:
    return [word for word in words if word in text]


def _matched(patterns: Iterable[str], text: str, unless: Iterable[str] = ()) -> list[str]:
    """The words matching each pattern in ``text``, but those ending as one of ``unless``."""
    unless = tuple(unless)
    return [match.group(0) for pattern in patterns for match in _regex(pattern).finditer(text)
            if not (unless and match.group(0).endswith(unless))]


_regex = cache(re.compile)  # the rules' patterns, compiled once (re's own cache is looked up per call)


# --- the archive, read once per source ---------------------------------------------------------

@lru_cache(maxsize=256)
def _sentences(source: ArchivedSource) -> tuple[tuple[str, ...], dict[str, frozenset[int]]]:
    """The source's sentences (simplified) and, for each two-character piece, the sentences
    holding it: a clause of prose finds the sentence it rests on without comparing with all."""
    sentences = tuple(_split_sentences(_simple(source.text)))
    index: dict[str, set[int]] = {}
    for number, sentence in enumerate(sentences):
        for piece in _pieces(sentence):
            index.setdefault(piece, set()).add(number)
    return sentences, {piece: frozenset(numbers) for piece, numbers in index.items()}


def _split_sentences(text: str) -> list[str]:
    """Sentences, someone's words in quotation marks kept whole with the sentence naming the
    speaker after them (“……。”张女士说。); a line break always ends one."""
    sentences, start, depth = [], 0, 0
    for index, character in enumerate(text):
        depth += {"“": 1, "”": -1}.get(character, 0)
        depth = max(depth, 0)
        if character == "\n" or (character in _SENTENCE_END and depth == 0):
            sentences.append(text[start:index + 1].strip())
            start, depth = index + 1, 0
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


@lru_cache(maxsize=256)
def _folded_text(source: ArchivedSource) -> str:
    return folded(source.text)


@lru_cache(maxsize=256)
def _shingles(source: ArchivedSource, length: int) -> frozenset[str]:
    folded = _folded_text(source)
    return frozenset(folded[i:i + length] for i in range(len(folded) - length + 1))


def _resting_sentence(clause: str, sources: list[ArchivedSource]) -> str:
    """The sentence of the sources a clause of prose most likely rests on: the one holding most
    of its two-character pieces (at least a quarter of them and three), the first of the sources
    and of its article when sentences tie (so that every run, and the browser, picks the same), or ''."""
    pieces = _pieces(clause)
    best, best_count = "", max(3, (len(pieces) + 3) // 4) - 1
    for source in sources:
        sentences, index = _sentences(source)
        counts = Counter(chain.from_iterable(index.get(piece, ()) for piece in pieces))
        for number, count in sorted(counts.items()):
            if count > best_count:
                best, best_count = sentences[number], count
    return best


@dataclass(frozen=True)
class _QuotedSentence:
    """A quote's sentence in the source, simplified: the words before the quote, the quote, and
    the rest, which for words in quotation marks runs on to the sentence naming the speaker
    (“……。”家住……的张女士说。)."""

    before: str
    quote: str
    after: str
    words: str = ""  # what is inside the quotation marks around the quote, if any

    @property
    def whole(self) -> str:
        return self.before + self.quote + self.after


def _quoted_sentence(source: ArchivedSource, quote: str) -> _QuotedSentence | None:
    span = quote_span(source, quote)
    if span is None:
        return None
    sentence_start, first, last, sentence_end = span
    text = source.text
    before = text[sentence_start:first]
    paragraph_start = text.rfind("\n\n", 0, first) + 1
    opened = text[paragraph_start:first]
    words = ""
    if opened.count("“") > opened.count("”"):  # inside quotation marks: on to the speaker
        closing = text.find("”", last)
        if closing >= 0:
            words = text[text.rfind("“", paragraph_start, first) + 1:closing]
            ends = [i for i in (text.find(mark, closing) for mark in "。！？\n") if i >= 0]
            sentence_end = max(sentence_end, min(ends, default=len(text) - 1) + 1)
    return _QuotedSentence(*(_simple(display_text(part)) for part in
                             (before, text[first:last], text[last:sentence_end], words)))


# --- the rules --------------------------------------------------------------------------------

class _Case:
    """One case's prose and its archived sources, checked rule by rule."""

    def __init__(self, case: dict, sources: list[ArchivedSource]):
        self.case = case
        self.sources = sources
        self.hits: list[Hit] = []
        self._quoted: dict[str, _QuotedSentence | None] = {}

    def check(self) -> list[Hit]:
        outcomes = [(("outcomes", i), o) for i, o in enumerate(_list(self.case.get("outcomes"))) if isinstance(o, dict)]
        for parts, outcome in outcomes:
            sentence = self._quote_sentence(outcome.get("quote"))
            if outcome.get("status") == "结果" and sentence:
                self._attributed(parts, outcome, sentence)
                self._plan(parts, sentence)
        self._generalised(outcomes)
        self._copied()
        self._unsupported_effects(outcomes)
        return self.hits

    def _hit(self, parts: tuple, rule: str, message: str) -> None:
        self.hits.append(Hit(parts, rule, message))

    def _quote_sentence(self, quote) -> _QuotedSentence | None:
        if not isinstance(quote, str) or not quote.strip():
            return None
        if quote not in self._quoted:  # an outcome's quote is read by two rules
            self._quoted[quote] = next((found for found in (_quoted_sentence(s, quote) for s in self.sources)
                                        if found), None)
        return self._quoted[quote]

    def _attributed(self, parts: tuple, outcome: dict, sentence: _QuotedSentence) -> None:
        rule = rules()["转述"]
        said = _matched([rf"[^，,。；：:“”]{{0,12}}(?:{'|'.join(rule['speech'])})(?=[，,：:“。！？]|$)",
                         rf"[^，,。；：:“”]{{0,12}}(?:{'|'.join(rule['addressed'])})[^，,。；：:]{{0,15}}[，,：:]",
                         *rule["hearsay_patterns"]], _regex(rule["names_in_quotation_marks"]).sub("“”", sentence.whole),
                        rule["not_speech"])
        if not said and _matched(rule["speech_in_quotation_marks"], sentence.words):
            said = [f"引号里的话“{_opening(sentence.words)}”"]
        else:
            said = [f"“{words}”" for words in said]
        if said and not _found(rule["text_marks"], _simple(str(outcome.get("text", "")))):
            self._hit(parts, "转述", f"{rule['title']}：原文是{said[0]}，这条成效没有写明是谁说的")

    def _plan(self, parts: tuple, sentence: _QuotedSentence) -> None:
        rule = rules()["计划"]
        if _found(rule["done"], sentence.quote):
            return
        clause = _CLAUSE_END.split(sentence.before)[-1] + sentence.quote
        aims = _found(rule["plans"], sentence.before + sentence.quote) + _found(rule["purposes"], clause)
        if aims:
            self._hit(parts, "计划", f"{rule['title']}：原文这句有“{'”“'.join(aims)}”")

    def _generalised(self, outcomes: list[tuple[tuple, dict]]) -> None:
        rule = rules()["以偏概全"]
        claiming = _any_of(tuple(rule["strong"] + rule["weak"]))
        questions = rule["questions"]
        asked = all(self.case.get(key) == value for key, value in questions["when"].items())
        for parts, text in self._prose(rule["fields"]):
            if asked and parts[0] == questions["field"]:
                continue
            simple = _simple(text)
            if not claiming.search(simple):
                continue  # most prose has no word claiming everyone: its sentences need no look
            outcome = dict(outcomes).get(parts[:-1]) if parts[0] == "outcomes" else None
            if outcome is not None and outcome.get("status") == "个例":
                continue  # said to be one instance
            quoted = self._quote_sentence(outcome.get("quote")) if outcome else None
            for sentence in filter(None, _PROSE_SENTENCE_END.split(simple)):
                strong, weak = _found(rule["strong"], sentence), _found(rule["weak"], sentence)
                if weak and _matched(rule["speaker_patterns"] + rule["example_patterns"], sentence):
                    weak = []  # the prose names its example
                for clause in _clauses(sentence):
                    words = [w for w in strong + weak if w in clause]
                    if not words:
                        continue
                    if quoted:
                        instance = _one_instance(quoted.whole, quoted.quote)
                    else:
                        instance = _one_instance(_resting_sentence(clause, self.sources), clause)
                    if instance:
                        self._hit(parts, "以偏概全", f"{rule['title']}：“{clause}”中的“{words[0]}”，"
                                  f"原文这句只讲了{instance}")
                        break

    def _copied(self) -> None:
        rule = rules()["照抄"]
        length = rule["length"]
        shingles = [_shingles(source, length) for source in self.sources]
        for parts, text in self._prose():
            plain = folded(text)
            # Most prose shares no run with its sources: one set comparison per source says so.
            if all(source.isdisjoint({plain[i:i + length] for i in range(len(plain) - length + 1)})
                   for source in shingles):
                continue
            prose = fold(text)
            start = next(i for i in range(len(prose.text) - length + 1)
                         if any(prose.text[i:i + length] in s for s in shingles))
            end = start + length
            while end < len(prose.text) and any(prose.text[start:end + 1] in _folded_text(s) for s in self.sources):
                end += 1
            copied = text[prose.offsets[start]:prose.offsets[end - 1] + 1]
            self._hit(parts, "照抄", f"{rule['title']}：“{copied}”（{end - start} 个字）")

    def _unsupported_effects(self, outcomes: list[tuple[tuple, dict]]) -> None:
        rule = rules()["无据效果"]
        results = [o for _, o in outcomes if o.get("status") == "结果"]
        for name in ("title", "summary"):
            text = self.case.get(name)
            if not isinstance(text, str):
                continue
            for clause in self._own_clauses(_simple(text)):
                clause_words = clause
                for word in rule["not_effects"]:
                    clause_words = clause_words.replace(word, "")
                effects = _found(rule["effects"], clause_words)
                if _found(rule["changes"], clause):
                    effects += _found(rule["causatives"], clause)
                verdicts = _found(rule["verdicts"], clause)
                if not effects + verdicts or _found(rule["aims"], clause):
                    continue
                claimed = _pieces(re.sub("|".join(map(re.escape, effects + verdicts)), "", clause))
                if not any(len(claimed & _pieces(f"{o.get('text', '')}{o.get('quote', '')}")) >= rule["support"]
                           and all(v in _simple(str(o.get("quote", ""))) for v in verdicts) for o in results):
                    self._hit((name,), "无据效果", f"{rule['title']}：“{clause}”（“{'”“'.join(effects + verdicts)}”）")

    @staticmethod
    def _own_clauses(text: str) -> list[str]:
        """The clauses of ``text`` that speak in the editors' voice: a clause after words that
        attribute its sentence (报道引用一位居民的话说，在楼下买菜很方便) reports someone's words."""
        marks = rules()["转述"]["text_marks"]
        own = []
        for sentence in _PROSE_SENTENCE_END.split(text):
            for clause in _clauses(sentence):
                if _found(marks, clause):
                    break
                own.append(clause)
        return own

    def _prose(self, fields: Iterable[str] | None = None) -> list[tuple[tuple, str]]:
        """Every text the editor wrote (not a quote, a name from a list, a date or an id), in
        ``fields`` or in all."""
        return [(parts, text) for parts, text in self._all_prose
                if fields is None or field_path(parts).startswith(tuple(fields))]

    @cached_property
    def _all_prose(self) -> list[tuple[tuple, str]]:
        found: list[tuple[tuple, str]] = []
        _prose_values(self.case, _prose_fields(), (), found)
        return [(parts, text) for parts, text in found if not text.startswith(DRAFT_PLACEHOLDER)]


def _one_instance(sentence: str, claim: str) -> str:
    """The words by which a sentence of the source shows that what ``claim`` rests on is one
    person's (all the sentence) or one example's (what follows 如：), or ''."""
    rule = rules()["以偏概全"]
    speaker = _matched(rule["speaker_patterns"], sentence)
    if speaker:
        return f"“{_opening(speaker[0].strip('“”'))}”"
    for pattern in rule["example_patterns"]:
        match = _regex(pattern).search(sentence)
        if match:
            pieces = _pieces(claim)
            if len(pieces & _pieces(sentence[match.end():])) > len(pieces & _pieces(sentence[:match.start()])):
                return f"“{match.group(0)}”后面的例子"
    return ""


@dataclass(frozen=True)
class _Fields:
    """What the schema says of one place in a case's data, for the walk to the editor's prose:
    the fields of its group-of-fields form (less the sources and the review marks), its items,
    and whether a text there is prose (not a name from a list, a date, an id or a quote)."""

    fields: dict[str, _Fields]
    items: _Fields | None
    prose: bool


@cache
def _prose_fields() -> _Fields:
    """The schema's answers, worked out once rather than at every value of every case."""
    def fields_of(node: dict) -> _Fields:
        grouped, text = form_of(node, {}), form_of(node, "")
        return _Fields({name: fields_of(child) for name, child in grouped.get("properties", {}).items()
                        if name not in ("sources", REVIEWED)},
                       fields_of(node["items"]) if "items" in node else None,
                       "string" in types_of(text) and not any(
                           key in text for key in ("enum", "x-enum-from", "pattern", "x-format")))
    return fields_of(base_schema())


def _prose_values(value, fields: _Fields, parts: tuple, found: list) -> None:
    if isinstance(value, dict):
        for name, item in value.items():
            if name in fields.fields:
                _prose_values(item, fields.fields[name], parts + (name,), found)
    elif isinstance(value, list):
        if fields.items is not None:
            for index, item in enumerate(value):
                _prose_values(item, fields.items, parts + (index,), found)
    elif isinstance(value, str) and fields.prose:
        found.append((parts, value))


def _opening(words: str, length: int = 16) -> str:
    return words if len(words) <= length else words[:length] + "……"


def _clauses(text: str) -> list[str]:
    return [clause.strip() for clause in _CLAUSE_END.split(text) if clause.strip()]


def _list(value) -> list:
    return value if isinstance(value, list) else []


# --- the problems -----------------------------------------------------------------------------

def case_hits(case: dict, archive: Archive) -> list[Hit]:
    """The claims to check in one case's data, against its own archived sources."""
    sources = [archive.get(s["archive"]) for s in _list(case.get("sources"))
               if isinstance(s, dict) and isinstance(s.get("archive"), str)]
    sources = [source for source in sources if source is not None]
    return _Case(case, sources).check() if sources else []


def check_claims(loaded_files: Iterable[LoadedFile], archive: Archive) -> list[Problem]:
    """Every claim to check in every file, as warnings, less those reviewed; and every review
    mark that no longer matches a claim."""
    problems: list[Problem] = []
    for loaded in loaded_files:
        if isinstance(loaded.data, dict):
            problems += _file_problems(loaded, archive)
    return problems


def _file_problems(loaded: LoadedFile, archive: Archive) -> list[Problem]:
    def problem(parts: tuple, message: str, hint: str) -> Problem:
        line, column = loaded.position(parts)
        return Problem(loaded.display_path, line, column, field_path(parts), message, hint, WARNING)

    hits = case_hits(loaded.data, archive)
    marks = [(i, m) for i, m in enumerate(_list(loaded.data.get(REVIEWED))) if isinstance(m, dict)]
    marked = {(m.get("path"), m.get("rule")) for _, m in marks}
    problems = [problem(hit.parts, hit.message, rules()[hit.rule]["hint"])
                for hit in hits if (hit.path, hit.rule) not in marked]
    found = {(hit.path, hit.rule) for hit in hits}
    for index, mark in marks:
        if (mark.get("path"), mark.get("rule")) not in found:
            problems.append(problem((REVIEWED, index), f"这条核对记录（{mark.get('path')}，{mark.get('rule')}）已没有对应的提醒",
                                    "字段改写后提醒已消失：删掉这条记录"))
    return problems

