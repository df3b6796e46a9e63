"""How to cite a case: GB/T 7714 text on its page, and BibTeX, RIS and CSL-JSON files to download.

The page's address comes from ``site_url`` (mkdocs.yml) when it is set; without it, only the
reader's browser knows where the site lives, so the page fills the address in there. The access
date is always the reader's: a build writes no dates of its own (builds are deterministic).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from .memo import CaseMemo, compute_each
from .model import Case, Metric, Source
from .routes import route

SITE_NAME = "基层治理案例库"
NO_DATE = "原报道未注明日期"
CITATION_FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


@dataclass(frozen=True)
class Citation:
    case: Case
    url: str  # absolute address of the case page, or "" when site_url is not set

    @property
    def gbt7714(self) -> str:
        """GB/T 7714-2015 for an online resource, up to the access date: ``责任者. 题名[EB/OL].``"""
        return f"{SITE_NAME}. {self.case.title}[EB/OL]."

    @property
    def based_on(self) -> str:
        """The reports the case retells, in one line: 据晋江新闻网（2024-12-09）、中国妇女报报道整理."""
        reports = "、".join(s.publisher + (f"（{s.date}）" if s.date else "") for s in self.case.sources)
        return f"据{reports}报道整理"

    @property
    def reports(self) -> list[str]:
        """The original reports, as a cadre cites them in a report (GB/T 7714)."""
        return [report_gbt7714(source) for source in self.case.sources]

    def bibtex(self) -> str:
        # The library as a corporate author, braced so that BibTeX does not read it as a person's name.
        fields = {"title": self.case.title, "howpublished": SITE_NAME,
                  "note": f"{self.based_on}。案例编号 {self.case.id}", "url": self.url}
        entries = [_bibtex_entry("misc", f"casebook-{self.case.id}", fields, author="{" + _bibtex_escape(SITE_NAME) + "}")]
        for number, source in enumerate(self.case.sources, 1):
            fields = {"title": source.title, "author": source.author, "journal": source.publisher,
                      "year": source.date[:4], "date": source.date, "url": source.url}
            entries.append(_bibtex_entry("article", f"casebook-{self.case.id}-report{number}", fields))
        return "\n".join(entries)

    def ris(self) -> str:
        records = [[("TY", "ELEC"), ("TI", self.case.title), ("AU", SITE_NAME), ("PB", SITE_NAME),
                    ("ID", self.case.id), ("N1", self.based_on), ("UR", self.url)]]
        for source in self.case.sources:
            records.append([("TY", "NEWS"), ("TI", source.title), ("AU", source.author), ("JO", source.publisher),
                            ("PY", source.date[:4]), ("DA", source.date.replace("-", "/")), ("UR", source.url)])
        lines = []
        for record in records:
            lines += [f"{tag}  - {value}" for tag, value in record if value] + ["ER  -"]
        return "\n".join(lines) + "\n"

    def csl_json(self) -> str:
        item = {"id": f"casebook-{self.case.id}", "type": "webpage", "title": self.case.title,
                "author": [{"literal": SITE_NAME}], "container-title": SITE_NAME, "note": self.based_on}
        if self.url:
            item["URL"] = self.url
        items = [item]
        for number, source in enumerate(self.case.sources, 1):
            report = {"id": f"casebook-{self.case.id}-report{number}", "type": "article-newspaper",
                      "title": source.title, "container-title": source.publisher}
            if source.author:
                report["author"] = [{"literal": source.author}]
            if source.date:
                report["issued"] = {"date-parts": [[int(part) for part in source.date.split("-")]]}
            if source.url:
                report["URL"] = source.url
            items.append(report)
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def evidence_sources(case: Case, metric: Metric) -> list[int]:
    """Which of a case's reports a figure comes from (their places in ``case.sources``): the one
    whose archived copy holds its sentence, or, for a quote not yet checked against an archive,
    every report of the case. "复制证据" copies their GB/T 7714 lines with the figure."""
    context = metric.context
    found = [index for index, source in enumerate(case.sources)
             if context and source.archived and source.archived.id == context.source.id]
    return found or list(range(len(case.sources)))


def report_gbt7714(source: Source) -> str:
    """An original report in GB/T 7714-2015: a newspaper's ``责任者. 题名[N]. 报纸名, 日期.``, or,
    where its address is known, the online form ``[EB/OL]. 发布者, 日期. 网址.``; what the report
    does not say (author, date) is left out rather than guessed."""
    head = f"{source.author}. " if source.author else ""
    kind = "EB/OL" if source.url else "N"
    tail = f". {source.url}" if source.url else ""
    return f"{head}{source.title}[{kind}]. {source.publisher}{', ' + source.date if source.date else ''}{tail}."


def absolute_url(site_url: str, page_path: str) -> str:
    """A page's absolute address from its path below the site's root (``cases/x/``), or ""
    when the site's address is not configured."""
    return site_url.rstrip("/") + "/" + page_path if site_url else ""


def citation_files(cases, case_url: Callable[[str], str], memo: CaseMemo | None = None) -> dict[str, str]:
    """Every case's citation in every download format: ``{"cite/<id>.bib": text, ...}``;
    ``case_url`` gives a case page's absolute address from its id ("" when unknown). A
    long-running caller passes a ``memo`` so that only changed cases are cited again."""
    def formats(case) -> tuple[str, str, str]:
        citation = Citation(case, case_url(case.id))
        return citation.bibtex(), citation.ris(), citation.csl_json()

    files = {}
    purpose = ("citation", case_url("{id}"))  # the addresses depend on the site's configuration
    for case in cases:
        bibtex, ris, csl_json = compute_each(memo, purpose, case, formats)
        files[route("citation", case.id, "bib")] = bibtex
        files[route("citation", case.id, "ris")] = ris
        files[route("citation", case.id, "json")] = csl_json
    return files


def _bibtex_escape(text: str) -> str:
    """BibTeX's special characters, so a title with % or & does not break the entry."""
    for character in "\\{}":
        text = text.replace(character, "")
    for character in "&%$#_":
        text = text.replace(character, "\\" + character)
    return text


def _bibtex_entry(kind: str, key: str, fields: dict[str, str], author: str = "") -> str:
    """One BibTeX entry of the fields that have a value (``author`` as given, the others escaped)."""
    values = {"author": author} if author else {}
    values |= {name: _bibtex_escape(value) for name, value in fields.items() if value}
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in values.items())
    return f"@{kind}{{{key},\n{body}\n}}\n"
