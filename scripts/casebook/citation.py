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
from .model import Case
from .routes import route

SITE_NAME = "基层治理案例库"
NO_DATE = "时间不详"
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
        """The reports the case retells, in one line: 据中国妇女报（时间不详）报道整理."""
        reports = "、".join(f"{s.publisher}（{s.date or NO_DATE}）" for s in self.case.sources)
        return f"据{reports}报道整理"

    def bibtex(self) -> str:
        fields = {"title": self.case.title, "author": "{" + _bibtex_escape(SITE_NAME) + "}",
                  "howpublished": SITE_NAME, "note": f"{self.based_on}。案例编号 {self.case.id}"}
        if self.url:
            fields["url"] = self.url
        body = ",\n".join(f"  {key} = {{{value if key == 'author' else _bibtex_escape(value)}}}"
                          for key, value in fields.items())
        return f"@misc{{casebook-{self.case.id},\n{body}\n}}\n"

    def ris(self) -> str:
        lines = [("TY", "ELEC"), ("TI", self.case.title), ("AU", SITE_NAME), ("PB", SITE_NAME),
                 ("ID", self.case.id), ("N1", self.based_on)]
        if self.url:
            lines.append(("UR", self.url))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)

    def csl_json(self) -> str:
        item = {"id": f"casebook-{self.case.id}", "type": "webpage", "title": self.case.title,
                "author": [{"literal": SITE_NAME}], "container-title": SITE_NAME, "note": self.based_on}
        if self.url:
            item["URL"] = self.url
        return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


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
