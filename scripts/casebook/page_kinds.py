"""Page kinds: every kind of page the casebook generates, each declared once.

A kind says where its pages live (its route, casebook.routes), which template renders them
(casebook/templates), which pages it makes (a function from the site's data to each page's route
and template context) and whether it is in the site's navigation (mkdocs.yml's ``nav`` says
where; tests/test_page_kinds.py checks that the two agree). ``render_site`` renders every page of
every kind. A new kind of page is a route, a declaration in ``KINDS`` and a template.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from .catalog import Catalog
from .citation import Citation
from .comparables import Comparables
from .finder import YEAR_UNKNOWN
from .model import Case
from .render import (
    MECHANISM_GROUP,
    SUBMIT_PAGE,
    Links,
    PageRenderer,
    RenderedPage,
    SourceListing,
    case_page_url,
    drawn_from_sources,
    glance,
    newest_first,
    pack_volumes,
    region_anchor,
)
from .routes import keys_of, route, tag_route
from .submission import browser_form, form_tree
from .submission_rules import AFTER_SUBMISSION

ACTOR_GROUP = "主体"  # the taxonomy's group of tags that say who runs a practice (法院, 妇联, 工会)
# The indexes by one group of tags each (route -> what the page says): a practice is not an actor.
TAG_INDEXES = {
    "practices": {"group": MECHANISM_GROUP, "title": "做法索引", "unit": "种机制",
                  "description": "按治理机制浏览各地的具体做法。", "lead": "按治理机制列出各地的做法",
                  "other": {"route": "actors", "text": "按参与主体（法院、妇联、工会……）查看，见主体索引。"}},
    "actors": {"group": ACTOR_GROUP, "title": "主体索引", "unit": "类主体",
               "description": "按参与治理的主体（法院、妇联、工会……）浏览各地的做法。",
               "lead": "按牵头或参与治理的主体列出各地的做法",
               "other": {"route": "practices", "text": "按治理机制查看，见做法索引。"}},
}

# One page of a kind: its route (a path of casebook.routes) and its template's context.
Page = tuple[str, dict]


@dataclass(frozen=True)
class PageKind:
    """One kind of generated page."""

    route: str  # its route in casebook.routes, which names the kind
    template: str  # in casebook/templates
    pages: Callable[["SiteData"], Iterable[Page]]  # what it lists: its pages, each with its context
    # Listed in the site's navigation (mkdocs.yml's nav places it): only a kind of one page, as a
    # navigation listing every case would be copied into every page.
    in_nav: bool = False

    def __post_init__(self) -> None:
        if self.in_nav and keys_of(self.route):
            raise ValueError(f"page kind {self.route!r} has many pages: it cannot be in the navigation")


@dataclass(frozen=True)
class RegionNode:
    """One place in the province -> city -> county tree, with the cases at or below it."""

    name: str
    anchor: str
    cases: tuple[Case, ...]
    children: tuple["RegionNode", ...] = ()


class SiteData:
    """What the pages list, from one catalog: each list is made once, when a kind first asks."""

    def __init__(self, catalog: Catalog, comparables: Mapping[str, Comparables], links: Links, site_url: str):
        self.catalog, self.comparables, self.links, self.site_url = catalog, comparables, links, site_url
        self.vocabulary = catalog.vocabulary
        self.limits = catalog.config.pages

    @cached_property
    def cases_by_tag(self) -> dict[str, list[Case]]:
        return {tag.name: [c for c in self.catalog.cases if tag.name in c.tags] for tag in self.vocabulary.tags}

    @cached_property
    def packs(self) -> dict[str, tuple[int, list[list[Case]]]]:
        """Each tag's training pack: how many of its newest cases it holds, in volumes of about
        the same length."""
        limits = self.limits
        packs = {}
        for name, cases in self.cases_by_tag.items():
            packed = newest_first(cases)[:limits.pack_max_cases]
            packs[name] = (len(packed), pack_volumes(packed, limits.pack_volume_characters))
        return packs

    @cached_property
    def used_tags(self) -> dict[str, list[Case]]:
        """Indexes list only tags that some case uses; a tag's own page exists either way."""
        return {name: cases for name, cases in self.cases_by_tag.items() if cases}

    @cached_property
    def newest(self) -> list[Case]:
        return newest_first(self.catalog.cases)

    @cached_property
    def newest_by_problem(self) -> dict[str, list[Case]]:
        return {problem.name: [c for c in self.newest if problem.name in c.problems]
                for problem in self.vocabulary.problems}

    @cached_property
    def newest_by_tag(self) -> dict[str, list[Case]]:
        return {tag: [c for c in self.newest if tag in c.tags] for tag in self.used_tags}

    @cached_property
    def newest_by_year(self) -> dict[int, list[Case]]:
        """The cases of each year (``Case.year``, as the finder's year filter has it), latest year first."""
        by_year: dict[int, list[Case]] = defaultdict(list)
        for case in self.newest:
            if case.year:
                by_year[case.year].append(case)
        return dict(sorted(by_year.items(), reverse=True))

    @cached_property
    def mechanism_names(self) -> tuple[str, ...]:
        return tuple(tag.name for tag in self.vocabulary.tags if tag.group == MECHANISM_GROUP)

    @cached_property
    def provinces(self) -> list[RegionNode]:
        """Provinces in the official order, each with its cities and counties in name order."""
        tree: dict[str, dict[str, dict[str, list[Case]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
        for case in self.catalog.cases:
            tree[case.region.province][case.region.city][case.region.county].append(case)
        provinces = []
        for province_name in self.vocabulary.province_names:
            if province_name not in tree:
                continue
            cities = []
            for city_name, counties in sorted(tree[province_name].items()):
                county_nodes = tuple(
                    RegionNode(county or "市本级", region_anchor(city_name, county), tuple(cases))
                    for county, cases in sorted(counties.items()))
                city_cases = tuple(c for node in county_nodes for c in node.cases)
                cities.append(RegionNode(city_name or "省本级", region_anchor(city_name), city_cases, county_nodes))
            all_cases = tuple(c for city in cities for c in city.cases)
            provinces.append(RegionNode(province_name, "", all_cases, tuple(cities)))
        return provinces

    def counts(self) -> dict[str, int]:
        cases = self.catalog.cases
        return {
            "cases": len(cases),
            "provinces": len({c.region.province for c in cases}),
            "counties": len({(c.region.province, c.region.city, c.region.county) for c in cases if c.region.county}),
            "metrics": sum(len(c.metrics) for c in cases),
        }


# --- what each kind lists ---------------------------------------------------------------------

def _cases(site: SiteData) -> Iterable[Page]:
    for case in site.catalog.cases:
        citation = Citation(case, case_page_url(site.site_url, site.links, case.id))
        yield route("case", case.id), {"case": case, "comparables": site.comparables.get(case.id), "citation": citation}


def _sources(site: SiteData) -> Iterable[Page]:
    drawn = drawn_from_sources(site.catalog)
    for source in site.catalog.archive:
        yield route("source", source.id), {"source": source,
                                           "listing": SourceListing.of(drawn.get(source.id, []), site.limits)}


def _archive(site: SiteData) -> Iterable[Page]:
    yield route("sources"), {"sources": list(site.catalog.archive), "drawn": drawn_from_sources(site.catalog)}


def _packs(site: SiteData) -> Iterable[Page]:
    for tag in site.vocabulary.tags:
        packed, volumes = site.packs[tag.name]
        for number, volume in enumerate(volumes, start=1):
            yield route("pack", tag.slug, number), {"tag": tag, "cases": volume, "volume": number, "volumes": len(volumes),
                                                    "total": len(site.cases_by_tag[tag.name]), "packed": packed}


def _tags(site: SiteData) -> Iterable[Page]:
    """A tag's cases, a page at a time, with its packs and, on its first page, its figures at a glance."""
    limits = site.limits
    for tag in site.vocabulary.tags:
        cases = site.cases_by_tag[tag.name]
        packed, volumes = site.packs[tag.name]
        packs = [route("pack", tag.slug, number) for number in range(1, len(volumes) + 1)]
        per_page = limits.cases_per_tag_page
        listing = [cases[start:start + per_page] for start in range(0, len(cases), per_page)] or [[]]
        listing_pages = [tag_route(tag.slug, number) for number in range(1, len(listing) + 1)]
        for number, (uri, page_cases) in enumerate(zip(listing_pages, listing, strict=True), start=1):
            yield uri, {"tag": tag, "cases": page_cases, "total": len(cases), "packs": packs, "packed": packed,
                        "page_number": number, "listing_pages": listing_pages,
                        "metric_groups": glance(cases, limits.glance_units, limits.glance_rows) if number == 1 else []}


def _provinces(site: SiteData) -> Iterable[Page]:
    for province in site.provinces:
        yield route("province", site.vocabulary.province(province.name).slug), {
            "province": province, "province_page_cases": site.limits.province_page_cases}


def _problems(site: SiteData) -> Iterable[Page]:
    for problem in site.vocabulary.problems:
        cases = site.newest_by_problem[problem.name]
        yield route("problem", problem.slug), {"problem": problem, "cases": cases[:site.limits.practices_per_problem_page],
                                               "total": len(cases), "mechanism_names": site.mechanism_names}


def _tag_index(kind: str) -> Callable[[SiteData], Iterable[Page]]:
    def pages(site: SiteData) -> Iterable[Page]:
        yield route(kind), {"cases_by_tag": site.newest_by_tag, "index": TAG_INDEXES[kind],
                            "per_tag": site.limits.practices_per_mechanism}
    return pages


def _years(site: SiteData) -> Iterable[Page]:
    """Each year's cases, newest first; a year with more than a tag's page holds lists the
    first of them and leads to the rest in the finder, filtered by the year."""
    for year, cases in site.newest_by_year.items():
        yield route("year", year), {"year": year, "cases": cases[:site.limits.cases_per_tag_page], "total": len(cases)}


def _year_index(site: SiteData) -> Iterable[Page]:
    counts = {year: len(cases) for year, cases in site.newest_by_year.items()}
    yield route("years"), {"counts": counts, "undated": sum(not case.year for case in site.catalog.cases),
                           "unknown": YEAR_UNKNOWN}


def _submit(site: SiteData) -> Iterable[Page]:
    yield SUBMIT_PAGE, {"tree": form_tree(site.vocabulary),
                        "form": browser_form(site.vocabulary),
                        "after_submission": AFTER_SUBMISSION,
                        "send_to": site.catalog.config.submissions.send_to}


def _home(site: SiteData) -> Iterable[Page]:
    newest = site.newest
    yield route("home"), {"catalog": site.catalog, "provinces": site.provinces, "cases_by_tag": site.used_tags,
                          "newest": [case for case in newest if case.reported_date][:site.limits.newest_on_home],
                          "undated": sum(not case.reported_date for case in newest),
                          "cases_by_problem": site.newest_by_problem, "tag_indexes": TAG_INDEXES,
                          "counts": site.counts()}


def _one(kind: str, context: Callable[[SiteData], dict]) -> Callable[[SiteData], Iterable[Page]]:
    """The page of a kind of one page."""
    return lambda site: [(route(kind), context(site))]


KINDS: tuple[PageKind, ...] = (
    PageKind("case", "case.html.j2", _cases),
    PageKind("source", "source.html.j2", _sources),
    PageKind("sources", "sources.html.j2", _archive, in_nav=True),
    PageKind("pack", "pack.html.j2", _packs),
    PageKind("tag", "tag.html.j2", _tags),  # its pages 2, 3 … are tag_page routes
    PageKind("tags", "tags.html.j2", _one("tags", lambda site: {"cases_by_tag": site.used_tags}), in_nav=True),
    PageKind("province", "province.html.j2", _provinces),
    PageKind("regions", "regions.html.j2", _one("regions", lambda site: {"provinces": site.provinces}), in_nav=True),
    PageKind("problem", "problem.html.j2", _problems),
    PageKind("problems", "problems.html.j2",
             _one("problems", lambda site: {"cases_by_problem": site.newest_by_problem}), in_nav=True),
    *(PageKind(kind, "practices.html.j2", _tag_index(kind), in_nav=True) for kind in TAG_INDEXES),
    PageKind("year", "year.html.j2", _years),
    PageKind("years", "years.html.j2", _year_index),
    PageKind("submit", "submit.html.j2", _submit, in_nav=True),
    PageKind("home", "home.html.j2", _home, in_nav=True),
)

# The generated pages in the navigation, by route.
NAV_PAGES = frozenset(route(kind.route) for kind in KINDS if kind.in_nav)


def render_site(catalog: Catalog, comparables: Mapping[str, Comparables] | None, links: Links,
                site_url: str = "", memo: dict | None = None) -> dict[str, RenderedPage]:
    """Every generated page of the site, of every kind: ``{"cases/<id>.md": RenderedPage, ...}``.

    ``comparables`` maps a case id to its comparable cases (casebook.comparables); a case
    without an entry has no comparables section. ``links`` gives the address of one page from
    another (``cases/x/`` or, in the offline build, ``cases/x.html``). ``site_url`` (may be
    empty) makes the absolute page addresses in citations and on printed handouts. ``memo``, kept
    by a long-running caller between calls, holds the pages of the previous call by everything
    they were rendered from; a page whose inputs are all unchanged is not rendered again (and
    the memo keeps only this call's pages).
    """
    site = (catalog.vocabulary, links, site_url, dict(catalog.config.pages))  # what every page depends on
    previous = memo if memo is not None and memo.get("site") == site else {}
    render_page = PageRenderer(catalog.vocabulary, links, site_url, previous, {"site": site} if memo is not None else None)
    data = SiteData(catalog, comparables or {}, links, site_url)
    pages = {uri: render_page(kind.template, uri, **context) for kind in KINDS for uri, context in kind.pages(data)}
    if memo is not None:
        memo.clear()
        memo.update(render_page.used)
    return pages
