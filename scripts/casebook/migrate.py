"""`casebook migrate-outcomes`: outcomes written as plain text rewritten into text, status and
quote, where the archived source plainly holds the outcome's sentence.

Conservative by design: the quote is a whole sentence of the archive, taken only when almost
every pair of characters of the outcome is in it (STRICT_OVERLAP), so no quote is ever made up.
How far the source says the outcome got (status) is a reading no program should make: the entry
is written with ``status:`` empty and a comment listing the choices, so `casebook validate`
points a person at each one. Outcomes whose sentence is not found stay as they were (valid, with
a warning) and are listed. The file is edited line by line, not dumped again: its comments,
order and quoting stay as they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import analysis
from .load import LoadedFile, load_case_file
from .model import TEXT_FIELD
from .provenance import Archive, ArchivedSource, display_text, find_quote
from .schema import base_schema, node_at

STRICT_OVERLAP = 0.8  # share of the outcome's character pairs the sentence must contain
# A sentence ends at its mark and the closing quotation marks after it.
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?[”’」』\"']*")
_PAIR_CHARACTERS = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(frozen=True)
class OutcomeMigration:
    """What became of one plain-text outcome: its quote, or None when none was found."""

    path: Path
    line: int
    index: int
    text: str
    quote: str | None


def migrate_file(path: Path, archive: Archive, cases_root: Path | None = None) -> list[OutcomeMigration]:
    """Rewrite the plain-text outcomes of one case file whose sentence is found; every plain-text
    outcome, converted or not, is returned. The file is left untouched when nothing is found, or
    when the rewritten text would not read back as the same outcomes (reported by ValueError)."""
    loaded = load_case_file(path, cases_root)
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("outcomes"), list):
        return []
    sources = [archive.get(source.get("archive")) for source in data.get("sources") or [] if isinstance(source, dict)]
    records = [record for record in sources if record is not None]
    if len(records) != len(sources):
        records = []  # a quote may come only from an archived source, and may come from any
    results = []
    for index, outcome in enumerate(data["outcomes"]):
        if isinstance(outcome, str):
            line, _ = loaded.position(("outcomes", index))
            results.append(OutcomeMigration(path, line, index, outcome, supporting_sentence(outcome, records)))
    found = [result for result in results if result.quote]
    if found:
        original = path.read_text(encoding="utf-8")
        text = _rewritten(loaded, original, found)
        _check_reads_back(original, text, found, path)
        path.write_text(text, encoding="utf-8")
    return results


def supporting_sentence(outcome: str, records: list[ArchivedSource]) -> str | None:
    """The sentence of the archived sources that holds the outcome, as written there; None unless
    one holds at least STRICT_OVERLAP of the outcome's character pairs (the shortest such wins)."""
    wanted = _pairs(outcome)
    if not wanted:
        return None
    limit = node_at(base_schema(), ("outcomes", 0, "quote")).get("maxLength", 200)
    best: tuple[float, int, str] | None = None
    for record in records:
        for paragraph in record.paragraphs:
            for sentence in (match.group(0).strip() for match in _SENTENCE.finditer(paragraph)):
                if not sentence or len(sentence) > limit or find_quote(record, sentence) is None:
                    continue
                overlap = len(wanted & _pairs(sentence)) / len(wanted)
                if overlap >= STRICT_OVERLAP and (best is None or (overlap, -len(sentence)) > best[:2]):
                    best = (overlap, -len(sentence), sentence)
    return best[2] if best else None


def _pairs(text: str) -> set[str]:
    """Neighbouring characters of the text's words, simplified script: what two wordings share."""
    characters = "".join(_PAIR_CHARACTERS.findall(analysis.to_simplified(display_text(text))))
    return {characters[i:i + 2] for i in range(len(characters) - 1)}


def _rewritten(loaded: LoadedFile, text: str, found: list[OutcomeMigration]) -> str:
    """``text`` with each found outcome's list item turned into text, status and quote."""
    lines = text.split("\n")
    quote_node = node_at(base_schema(), ("outcomes", 0, "status"))
    choices = "、".join(quote_node["enum"])
    for result in sorted(found, key=lambda r: r.line, reverse=True):
        first = result.line - 1
        _, column = loaded.position(("outcomes", result.index))
        dash = lines[first].rindex("-", 0, column - 1)
        last = first
        while last + 1 < len(lines) and lines[last + 1].strip() and not lines[last + 1].lstrip().startswith("#") \
                and len(lines[last + 1]) - len(lines[last + 1].lstrip()) > dash:
            last += 1
        pad = " " * (dash + 2)
        item = [f"{lines[first][:dash]}- {TEXT_FIELD}: {lines[first][column - 1:]}"]
        item += ["  " + line for line in lines[first + 1:last + 1]]
        item += [f"{pad}status:  # 待填：{choices}（按原文的说法选；见 CONTRIBUTING.md）",
                 f"{pad}quote: {_scalar(result.quote)}"]
        lines[first:last + 1] = item
    return "\n".join(lines)


def _scalar(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=1000).strip().removesuffix("...").strip()


def _check_reads_back(original: str, text: str, found: list[OutcomeMigration], path: Path) -> None:
    """The rewritten file reads as the original, but for the found outcomes, now entries."""
    before, after = yaml.safe_load(original), yaml.safe_load(text)
    for result in found:
        before["outcomes"][result.index] = {TEXT_FIELD: result.text, "status": None, "quote": result.quote}
    if before != after:
        raise ValueError(f"{path}: 改写后的内容与原文件对不上，文件未改动；请手工改写这些成效")
