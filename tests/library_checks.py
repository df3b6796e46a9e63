"""What must hold for every library, however many cases it holds: used on the repository's cases
(tests/test_library.py) and on a copy grown by a generated case (tests/test_growth.py).

Each check returns the problems it found, as lines naming the case or page, so a failing test
says which case broke what; none of them knows how many cases there are or which.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from casebook.analysis import to_simplified
from casebook.catalog import Catalog
from casebook.export import METRICS_CSV
from casebook.finder import FINDER_DIR
from casebook.model import model_tree
from casebook.numerals import same_number
from casebook.routes import route
from helpers import built_page, page_address

PAGE_LIMIT = 100_000  # bytes of one HTML page, at any library size (make bench checks 10,000 cases)


def case_problems(catalog: Catalog, case_files: list[Path]) -> list[str]:
    """Every case file became one case; ids are unique; each figure's quote states its value."""
    problems = []
    ids = [case.id for case in catalog.cases]
    if sorted(ids) != sorted(path.stem for path in case_files):
        problems.append(f"案例与文件不一一对应：{sorted(set(ids) ^ {p.stem for p in case_files})}")
    for case in catalog.cases:
        if not (case.sources and all(s.title and s.publisher for s in case.sources)):
            problems.append(f"{case.id}: 出处缺标题或发布单位")
        for metric in case.metrics:
            for value in (metric.value, metric.value_max):
                if value is not None and not same_number(value, metric.quote):
                    problems.append(f"{case.id}: {metric.label} 的引文不含数值 {value}")
    return problems


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src", "action"):
            if attrs.get(name) and tag in ("a", "link", "script", "img", "form"):
                self.links.append(attrs[name])


def _parsed_pages(site: Path) -> dict[Path, _Links]:
    parsed = {}
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue  # served at any address, so MkDocs gives it root-relative links
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page] = parser
    return parsed


def _target(site: Path, page: Path, link: str) -> tuple[Path | None, str]:
    """The file an internal link opens (None for external links) and its fragment."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
        return None, ""
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    """Every internal link or anchor in the built site that points nowhere."""
    parsed = _parsed_pages(site)
    broken = []
    for page, parser in parsed.items():
        for link in parser.links:
            target, fragment = _target(site, page, link)
            if target is None:
                continue
            if not target.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif fragment and target in parsed and fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(site)} -> {link} (anchor)")
    return broken


def unreachable_pages(site: Path) -> list[str]:
    """Pages no chain of links from the home page reaches (the finder's results aside, a reader
    browsing the indexes must be able to reach every page)."""
    parsed = _parsed_pages(site)
    home = (site / built_page(route("home"))).resolve()
    seen, queue = {home}, deque([home])
    while queue:
        page = queue.popleft()
        for link in parsed[page].links if page in parsed else ():
            target, _ = _target(site, page, link)
            if target is not None and target.suffix == ".html" and target in parsed and target not in seen:
                seen.add(target)
                queue.append(target)
    return sorted(str(page.relative_to(site)) for page in parsed if page.resolve() not in seen)


def oversized_pages(site: Path) -> list[str]:
    return sorted(f"{page.relative_to(site)}: {page.stat().st_size} 字节" for page in site.rglob("*.html")
                  if page.stat().st_size >= PAGE_LIMIT)


def missing_from_site(catalog: Catalog, site: Path) -> list[str]:
    """Every case has its page, is listed on each of its tags' pages and its province's page, is in
    the downloads and in the finder's index."""
    problems = []
    vocabulary = catalog.vocabulary
    listed = json.loads((site / route("cases_json")).read_text(encoding="utf-8"))
    downloaded = {case["id"] for case in listed}
    finder_docs = "".join(path.read_text(encoding="utf-8") for path in (site / FINDER_DIR).glob("*/docs/*.js"))
    tag_pages = {tag.slug: _listing_text(site, route("tag", tag.slug)) for tag in vocabulary.tags
                 if any(tag.name in case.tags for case in catalog.cases)}
    for case in catalog.cases:
        page = site / built_page(route("case", case.id))
        if not page.exists() or case.practice.name not in _unescaped(page):
            problems.append(f"{case.id}: 没有案例页")
        link = "/" + page_address(route("case", case.id))
        for name in case.tags:
            if link not in tag_pages[vocabulary.tag(name).slug]:
                problems.append(f"{case.id}: 标签页 {name} 没有列出")
        province = _listing_text(site, route("province", vocabulary.province(case.region.province).slug))
        if link not in province and (case.region.city or case.region.province) not in province:
            problems.append(f"{case.id}: 省份页 {case.region.province} 没有列出")
        if case.id not in downloaded:
            problems.append(f"{case.id}: 不在 downloads/cases.json")
        if json.dumps(case.id) not in finder_docs:
            problems.append(f"{case.id}: 不在检索索引")
    return problems


def _listing_text(site: Path, source_path: str) -> str:
    """A listing's pages (a long tag is listed over several, in its page's folder), as one text."""
    folder = (site / built_page(source_path)).parent
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.rglob("index.html")))


def _unescaped(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


# --- what a reader sees: every page's visible text ------------------------------------------------

# Text no reader should meet: a Python object's repr (any model class, or its extra={}), a Python
# or JavaScript empty value, template syntax, a JavaScript object printed as text.
PROGRAM_TEXT = re.compile(
    r"\b(?:" + "|".join(sorted(cls.__name__ for cls in model_tree())) + r")\(|extra=\{"
    r"|(?<![A-Za-z])(?:None|undefined|NaN|null)(?![A-Za-z])|\{\{|\{%|\[object Object\]")
# Attributes a reader sees or hears (tooltips, image text, screen readers, a chat's share card).
_SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
_SHARED_META = ("description", "og:title", "og:description", "twitter:title", "twitter:description")


class _Reading(HTMLParser):
    """A page as a reader meets it: its text outside scripts, styles and code samples, the
    attributes shown or spoken, the share card's words, each figure (class cb-amount) and the
    number of top-level headings."""

    _HIDDEN = {"script", "style", "template", "pre", "code"}
    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.figures: list[str] = []
        self.h1 = 0
        self._stack: list[tuple[str, bool]] = []  # open elements: (tag, is a figure)
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.h1 += tag == "h1"
        self.texts += [attrs[name] for name in _SHOWN_ATTRIBUTES if attrs.get(name)]
        if tag == "meta" and (attrs.get("name") or attrs.get("property")) in _SHARED_META:
            self.texts.append(attrs.get("content") or "")
        if tag in self._VOID:
            return
        figure = "cb-amount" in (attrs.get("class") or "").split()
        if figure:
            self.figures.append("")
        self._stack.append((tag, figure))
        self._hidden += tag in self._HIDDEN

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            self._hidden -= open_tag in self._HIDDEN
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._hidden:
            return
        self.texts.append(data)
        if any(figure for _, figure in self._stack):
            self.figures[-1] += data


def _read(page: Path) -> _Reading:
    reading = _Reading()
    reading.feed(page.read_text(encoding="utf-8"))
    return reading


def _read_pages(site: Path) -> dict[str, _Reading]:
    return {str(page.relative_to(site)): _read(page) for page in sorted(site.rglob("*.html"))}


def program_text(site: Path) -> list[str]:
    """Every place a page shows program text instead of words, with what it shows."""
    found = []
    for name, reading in _read_pages(site).items():
        for text in reading.texts:
            for match in PROGRAM_TEXT.finditer(text):
                start = max(0, match.start() - 20)
                found.append(f"{name}: “…{text[start:match.end() + 20].strip()}…”")
    return found


def pages_without_one_title(site: Path) -> list[str]:
    """Pages with no top-level heading (h1) or more than one."""
    return [f"{name}: {reading.h1} 个 h1" for name, reading in _read_pages(site).items() if reading.h1 != 1]


def _folded(text: str) -> str:
    """Text as a figure is compared with its quote: width, white space and script folded."""
    return to_simplified("".join(unicodedata.normalize("NFKC", text).split()))


def figures_not_as_written(catalog: Catalog, site: Path) -> list[str]:
    """Every figure a reader is shown, wherever it is shown (pages, the compare page's data, the
    downloads), written as its quote writes it: the amount must stand in a quote of the library,
    number, qualifier and unit in the quote's own order. And every case page shows each of its
    figures so marked, so none escapes the check."""
    quotes = [_folded(metric.quote) for case in catalog.cases for metric in case.metrics]
    problems = []

    def check(where: str, amount: str) -> None:
        if not amount.strip() or not any(_folded(amount) in quote for quote in quotes):
            problems.append(f"{where}: “{amount}” 不是原文的写法")

    pages = _read_pages(site)
    for name, reading in pages.items():
        for amount in reading.figures:
            check(name, amount)
    for case in catalog.cases:
        page = pages.get(built_page(route("case", case.id)))
        shown = [_folded(amount) for amount in page.figures] if page else []
        for metric in case.metrics:
            if not any(amount in _folded(metric.quote) and amount for amount in shown):
                problems.append(f"{case.id}: 案例页没有按原文写法标出“{metric.label}”")
        record = json.loads((site / route("case_json", case.id)).read_text(encoding="utf-8"))
        for metric in record.get("metrics", []):
            check(f"{route('case_json', case.id)} {metric['label']}", metric.get("amount_text", ""))
    rows = csv.DictReader(io.StringIO((site / METRICS_CSV).read_text(encoding="utf-8-sig")))
    for row in rows:
        check(f"{METRICS_CSV} {row['case_id']} {row['label']}", row.get("amount_text", ""))
    return problems
