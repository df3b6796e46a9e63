"""What must hold for every library, however many cases it holds: used on the repository's cases
(tests/test_library.py) and on a copy grown by a generated case (tests/test_growth.py).

Each check returns the problems it found, as lines naming the case or page, so a failing test
says which case broke what; none of them knows how many cases there are or which.
"""

from __future__ import annotations

import html
import json
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from casebook.catalog import Catalog
from casebook.finder import FINDER_DIR
from casebook.numerals import same_number

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
    home = (site / "index.html").resolve()
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
    listed = json.loads((site / "downloads" / "cases.json").read_text(encoding="utf-8"))
    downloaded = {case["id"] for case in listed}
    finder_docs = "".join(path.read_text(encoding="utf-8") for path in (site / FINDER_DIR).glob("*/docs/*.js"))
    tag_pages = {tag.slug: _folder_text(site / "tags" / tag.slug) for tag in vocabulary.tags
                 if any(tag.name in case.tags for case in catalog.cases)}
    for case in catalog.cases:
        page = site / "cases" / case.id / "index.html"
        if not page.exists() or case.practice.name not in _unescaped(page):
            problems.append(f"{case.id}: 没有案例页")
        link = f"/cases/{case.id}/"
        for name in case.tags:
            if link not in tag_pages[vocabulary.tag(name).slug]:
                problems.append(f"{case.id}: 标签页 {name} 没有列出")
        province = _folder_text(site / "regions" / vocabulary.province(case.region.province).slug)
        if link not in province and (case.region.city or case.region.province) not in province:
            problems.append(f"{case.id}: 省份页 {case.region.province} 没有列出")
        if case.id not in downloaded:
            problems.append(f"{case.id}: 不在 downloads/cases.json")
        if json.dumps(case.id) not in finder_docs:
            problems.append(f"{case.id}: 不在检索索引")
    return problems


def _folder_text(folder: Path) -> str:
    """A listing's pages (a long tag is listed over several), as one text."""
    return "".join(path.read_text(encoding="utf-8") for path in sorted(folder.rglob("index.html")))


def _unescaped(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))
