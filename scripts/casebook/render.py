"""Render: a template and its context -> a generated page, as HTML with its metadata and contents.

Which pages the site has, and what each lists, is declared in casebook.page_kinds, whose
``render_site`` renders them all through ``PageRenderer``. This module knows nothing of MkDocs:
pages are ``{src_uri: RenderedPage}`` and the adapter
(``casebook_mkdocs``) turns those into MkDocs pages. Addresses come from the caller (``Links``),
so the site generator that places the pages also says how one page links to another. Case text
only ever reaches a page through Jinja's HTML autoescaping, so no field of a case can inject markup
or script; the pages are HTML through and through and never pass through Markdown.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2
import yaml
from markupsafe import escape

from . import analysis
from .catalog import Catalog
from .citation import CITATION_FORMATS, NO_DATE, Citation, absolute_url, evidence_sources
from .comparables import Comparables
from .config import PageLimits
from .export import CodebookEntry, Dataset
from .memo import CaseMemo, compute_each
from .model import DEFAULT_METRIC_BASIS, UNQUOTED, Case, Metric
from .problems import Problem
from .provenance import ArchivedSource
from .routes import Address, match, route
from .schema import base_schema, node_at, sections
from .search_contract import FINDER_PARAMS
from .vocabulary import Vocabulary

TEMPLATES = Path(__file__).with_name("templates")
MECHANISM_GROUP = "机制"  # the taxonomy's group of tags that say how a practice works
DIGEST_FIGURES = 5  # figures in a case's one-page digest (a course pack): results first, then inputs
# How much each page holds (a training pack's cases, a tag page's, a province page's...) is the
# project's setting: ``catalog.config.pages`` (casebook.config.PageLimits).


SUBMIT_PAGE = route("submit")  # 在线投稿: the submission form, checked in the browser

# How one generated page links to another: (from src_uri, to src_uri) -> relative URL.
Links = Callable[[str, str], str]


@dataclass(frozen=True)
class RenderedPage:
    """One generated page: its HTML body, its metadata for the theme (title, description,
    template, hide...; strings already HTML-escaped, as the theme prints them unescaped) and its
    table of contents, the (anchor, name) of each section heading."""

    html: str
    meta: dict = field(hash=False)
    toc: tuple[tuple[str, str], ...] = ()

    def as_markdown(self) -> str:
        """The page as a Markdown file with front matter, as any static site generator reads it
        (golden files, and the plain-MkDocs comparison build of the benchmarks)."""
        return "---\n" + yaml.safe_dump(self.meta, allow_unicode=True, sort_keys=True, width=1000) + "---\n" + self.html

    @cached_property  # a page the memo hands back is the same object: hashed once
    def digest(self) -> str:
        """Changes whenever anything a reader could see on the page changes."""
        text = repr((sorted(self.meta.items()), self.toc)) + self.html
        return hashlib.sha256(text.encode()).hexdigest()


def render_digests(catalog: Catalog, memo: CaseMemo | None = None) -> dict[str, str]:
    """Each case on one page, for a trainer's course pack (packs/custom/, pack.js): where and at
    what level, when, the practice and its mechanisms, its outcomes' statuses and key figures as
    written, measures, outcomes and reports; and the editors' prompts (可以讨论), the pack's
    default questions. ``{"api/digests/<id>.htm": html}``; a fragment, not a page: a case page
    need not carry it for the few readers who print a pack."""
    mechanism_names = tuple(tag.name for tag in catalog.vocabulary.tags if tag.group == MECHANISM_GROUP)
    # The macro's template run once, not once per case as a template importing it "with context" would.
    macro = _environment().get_template("_digest.j2").make_module({"mechanism_names": mechanism_names}).digest

    def digest(case: Case) -> str:
        return str(macro(case, Citation(case, "")))
    return {route("case_digest", case.id): compute_each(memo, ("digest", mechanism_names), case, digest)
            for case in catalog.cases}


FOLDING_SCRIPT = "assets/javascripts/folding.js"


def render_folding_script(characters: Iterable[str]) -> str:
    """A script that folds traditional characters typed in the site's search boxes to the
    simplified ``characters`` that the search index holds."""
    variants = analysis.traditional_variants(characters)
    return _environment().get_template("folding.js.j2").render(variants=variants)


# Not .html: the preview's server adds its reload script to every .html file it serves.
PREVIEW_PROBLEMS = "assets/preview-problems.htm"


def render_preview_problems(problems: Iterable[Problem], kept_last_good: bool, changed_code: Iterable[str] = ()) -> str:
    """The banner a preview shows on every page while the case files have problems, each in the
    words `casebook validate` prints; empty when there is none. ``kept_last_good``: the preview
    shows the last site that passed the checks, not only the cases that pass them now.
    ``changed_code``: files the preview read when it started (the schema, the program) that have
    changed since, which only a restart takes in."""
    return _environment().get_template("preview-problems.html.j2").render(
        problems=sorted(problems), kept_last_good=kept_last_good, changed_code=sorted(changed_code))


# Where the 数据下载 page (docs/downloads.md) takes the dataset's version, citation and codebook.
DATASET_MARKER = "<!-- casebook: 数据集版本、引用和字段说明 -->"


def render_dataset_section(dataset: Dataset, entries: Iterable[CodebookEntry], url: str, path: str) -> str:
    """The 数据下载 page's part made from the data: the dataset's version and date, its citation
    ("引用数据集", with the page's published ``url``, or its ``path`` below the site's root that the
    browser turns into the address it opened), and the codebook of the CSV files."""
    return _environment().get_template("dataset.md.j2").render(dataset=dataset, entries=list(entries), url=url,
                                                               path=path, codebook=route("codebook_csv"))


@dataclass(frozen=True)
class DrawnCase:
    """A case and the figures it takes from one archived source (for the source's page)."""

    case: Case
    metrics: tuple[Metric, ...]


@dataclass(frozen=True)
class SourceListing:
    """The cases a source's page lists: the first with their figures in context, then titles,
    so that the page stays small however many cases cite the source."""

    detailed: tuple[DrawnCase, ...]
    titles: tuple[DrawnCase, ...]
    total: int

    @classmethod
    def of(cls, drawn: list[DrawnCase], limits: PageLimits) -> "SourceListing":
        # Each case shown in full counts its figures, and at least one (its heading and link).
        shown, weight = 0, 0
        while shown < len(drawn) and \
                (shown == 0 or weight + max(1, len(drawn[shown].metrics)) <= limits.source_page_figures):
            weight += max(1, len(drawn[shown].metrics))
            shown += 1
        return cls(tuple(drawn[:shown]), tuple(drawn[shown:shown + limits.source_page_links]), len(drawn))


def drawn_from_sources(catalog: Catalog) -> dict[str, list[DrawnCase]]:
    """For each archived source, the cases that cite it and the figures quoted from it."""
    drawn: dict[str, list[DrawnCase]] = defaultdict(list)
    for case in catalog.cases:
        for source in case.sources:
            if source.archived:
                metrics = tuple(m for m in case.metrics if m.context and m.context.source.id == source.archived.id)
                drawn[source.archived.id].append(DrawnCase(case, metrics))
    return drawn


@dataclass(frozen=True)
class GlanceRow:
    case: Case
    metric: Metric
    share: int        # bar length, percent of the largest figure in its group
    share_max: int    # end of the range (2–3个), or equal to share


@dataclass(frozen=True)
class MetricGroup:
    kind: str
    unit: str
    basis: str    # how its figures are counted (Metric.counted_as): a total never beside a per-unit rule
    counted: str  # what its figures count (_counted), which tells two groups of one unit apart
    rows: tuple[GlanceRow, ...]


# Units that count the same thing under different words: 名, 人 and 位 all count people.
UNIT_FAMILIES = {"名": "人", "位": "人"}
GLANCE_KINDS = ("成效", "做法")  # background figures (area, population) say nothing of a practice
COUNTED_PUNCTUATION = "”’」』）)\"' "


def pack_volumes(cases: list[Case], characters: int) -> list[list[Case]]:
    """Cases split, in order, into volumes of about ``characters`` of text each."""
    volumes: list[list[Case]] = [[]]
    size = 0
    for case in cases:
        weight = case.text_length
        if volumes[-1] and size + weight > characters:
            volumes.append([])
            size = 0
        volumes[-1].append(case)
        size += weight
    return volumes if volumes[0] else []


def glance(cases: list[Case], units: int, rows: int) -> list[MetricGroup]:
    """``metrics_at_a_glance`` of the same cases (by identity) computed once: a preview's
    rebuild would compute it for every tag again."""
    return _glance(tuple(map(_Same, cases)), units, rows)


@lru_cache(maxsize=1024)
def _glance(cases: tuple["_Same", ...], units: int, rows: int) -> list[MetricGroup]:
    return metrics_at_a_glance([case.value for case in cases], units, rows)


def metrics_at_a_glance(cases: list[Case], units: int, rows: int) -> list[MetricGroup]:
    """Figures that measure the same thing in at least two cases, largest first: the ``rows``
    largest of each of the ``units`` units most cases have.

    Two figures measure the same thing when they are of the same kind (both results, or both
    what a practice set up), are counted in the same unit family, their labels end in the
    same two characters: a Chinese noun phrase puts what is counted last (组建网格妇女小组,
    建立楼栋党小组: 小组). 50余名妇女群众 and 1名候选人 share a unit but not what they count, and stay apart;
    and they are counted on the same basis, as the case declares it (schema: metrics[].basis),
    since no label tells a per-grid staffing rule (1名网格员 per grid) from a total (238名网格员).
    """
    by_key: dict[tuple[str, str, str, str], list[tuple[Case, Metric]]] = defaultdict(list)
    for case in cases:
        for metric in case.metrics:
            if metric.kind in GLANCE_KINDS:
                unit = UNIT_FAMILIES.get(metric.unit, metric.unit)
                by_key[(metric.kind, unit, _counted(metric.label), metric.counted_as)].append((case, metric))
    groups = [(kind, unit, counted, basis, pairs) for (kind, unit, counted, basis), pairs in by_key.items()
              if len({case.id for case, _ in pairs}) >= 2]
    groups.sort(key=lambda group: (GLANCE_KINDS.index(group[0]), -len({c.id for c, _ in group[4]}), group[1]))
    result = []
    for kind, unit, counted, basis, pairs in groups[:units]:
        pairs = sorted(pairs, key=lambda pair: (-pair[1].value, pair[0].title, pair[1].label))[:rows]
        largest = max(metric.value_max or metric.value for _, metric in pairs) or 1
        result.append(MetricGroup(kind, unit, basis, counted, tuple(
            GlanceRow(case, metric, max(1, round(100 * metric.value / largest)),
                      max(1, round(100 * (metric.value_max or metric.value) / largest)))
            for case, metric in pairs)))
    return result


def _counted(label: str) -> str:
    """What a figure counts: the last two characters of its label, closing quotes left out
    (组建网格妇女小组 -> 小组). Characters, not jieba words, so that the result never depends on
    which dictionary the process happened to load."""
    return label.rstrip(COUNTED_PUNCTUATION)[-2:]


def newest_first(cases) -> list[Case]:
    """Cases by the date they were last reported (newest first); undated cases last, by title."""
    dated = sorted((c for c in cases if c.reported_date), key=lambda c: c.title)
    dated.sort(key=lambda c: c.reported_date, reverse=True)
    return dated + sorted((c for c in cases if not c.reported_date), key=lambda c: c.title)


def edit_path(uri: str, cases_folder: str) -> str | None:
    """The file a generated page is edited in, relative to the docs folder (``edit_uri`` in
    mkdocs.yml points into docs/): a case page's is its YAML file in ``cases_folder`` (the
    project's configured ``paths.cases``, relative to the docs folder), the submission form's the
    schema it is generated from; other pages have none."""
    case = match("case", uri)
    if case:
        return f"{cases_folder}/{case['id']}.yaml"
    if uri == SUBMIT_PAGE:
        return "../scripts/casebook/case_schema.yaml"
    return None


def site_path(links: Links, uri: str) -> str:
    """A page's address below the site's root: ``cases/x/`` (``cases/x.html`` offline)."""
    return links(route("home"), uri).removeprefix("./")


def route_address(links: Links) -> Address:
    """A route's address below the site's root as the site generator places it, its keys left in
    braces (``cases/{id}.md`` -> ``cases/{id}/``, offline ``cases/{id}.html``), for routes.js."""
    return lambda pattern: site_path(links, pattern).replace("%7B", "{").replace("%7D", "}")


def case_page_url(site_url: str, links: Links, case_id: str) -> str:
    """A case page's absolute address, or "" when the site's address is not configured."""
    return absolute_url(site_url, site_path(links, route("case", case_id)))


def region_anchor(*names: str) -> str:
    """The id of a city (or city and county) heading on its province page."""
    return "-".join(name or "_" for name in names)


# --- Jinja ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # case text is data: escaped on every page, never turn this off
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = lambda text: [p for p in text.split("\n\n") if p.strip()]
    env.filters["front_matter"] = _record_meta
    env.filters["simplified"] = analysis.to_simplified
    env.filters["external_link"] = external_link
    env.globals.update(route=route, region_anchor=region_anchor, citation_formats=CITATION_FORMATS, no_date=NO_DATE,
                       unquoted=UNQUOTED, evidence_sources=evidence_sources, default_basis=DEFAULT_METRIC_BASIS,
                       digest_figures=DIGEST_FIGURES,
                       contents_entry=_contents_entry, case_sections=sections(),
                       finder_params=FINDER_PARAMS)
    return env


def external_link(address: str) -> str:
    """An address of another site as a page may link to it: http or https by the schema's own
    rule for addresses, else nothing. Validation refuses any other address already; a template
    printing an address through this never prints a javascript: or data: link, whatever reached it."""
    return address if isinstance(address, str) and _EXTERNAL_ADDRESS.fullmatch(address) else ""


_EXTERNAL_ADDRESS = re.compile(node_at(base_schema(), ("sources", 0, "url"))["pattern"])


@dataclass(frozen=True)
class PageRenderer:
    """Renders pages of one site: its vocabulary, and how its pages link to each other."""

    vocabulary: Vocabulary
    links: Links
    site_url: str
    memo: dict         # pages of the previous run, by what they were rendered from
    used: dict | None  # pages of this run, likewise; None: nobody keeps them

    def __call__(self, template: str, uri: str, **context) -> RenderedPage:
        if self.used is None:
            return self._render(template, uri, context)
        key = (template, uri, _frozen(context))
        page = self.memo.get(key) or self._render(template, uri, context)
        self.used[key] = page
        return page

    def _render(self, template: str, uri: str, context: dict) -> RenderedPage:
        """Render one page; ``link`` (to a page or file, a ``route`` of casebook.routes, with an
        optional anchor and query) and ``province_link`` make addresses relative to it,
        ``page_url`` gives a page's full address (for print)."""
        def link(to_uri: str, anchor: str = "", query: Mapping[str, str] | None = None) -> str:
            given = {name: value for name, value in (query or {}).items() if value}
            return (self.links(uri, to_uri) + (f"?{urlencode(given, quote_via=quote, safe=',')}" if given else "")
                    + (f"#{anchor}" if anchor else ""))

        def page_url(to_uri: str) -> str:
            return absolute_url(self.site_url, site_path(self.links, to_uri)) or site_path(self.links, to_uri)

        def province_link(name: str, anchor: str = "") -> str:
            return link(route("province", self.vocabulary.province(name).slug), anchor)

        page = _PageRecord()
        html = _environment().get_template(template).render(
            link=link, page_url=page_url, province_link=province_link,
            vocabulary=self.vocabulary, rendering=page, **context)
        # The front matter line prints nothing but leaves its line break.
        return RenderedPage(html.lstrip("\n"), page.meta, tuple(page.toc))


def _frozen(value):
    """A hashable equivalent of a template's context, cheap to compare: lists and dicts become
    tuples (so do the settings), and a case stands for itself by identity (a long-running caller gets the same object
    for a case whose file did not change; a changed case is a new object), so that a key is not
    compared through all the text of every case it lists. A case's figures, the archived sources
    and a case's comparables stand for themselves the same way: they are immutable, a figure's
    context holds a whole article's text, and the caller keeps the comparables of an unchanged
    index and catalog."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, (Case, Metric, ArchivedSource, Comparables)):
        return _Same(value)
    if isinstance(value, (list, tuple)):
        if set(map(type, value)) == {Case}:  # the lists of cases of the index pages: the bulk of all keys
            return tuple(map(_Same, value))
        return tuple(map(_frozen, value))
    if isinstance(value, Mapping):  # a dict, or the settings (casebook.config)
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_frozen(getattr(value, item.name)) for item in dataclasses.fields(value)))
    return value


_PLAIN = {str, int, float, bool, type(None)}  # hashable as they are; most of a context


class _Same:
    """Equal only to the same object."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Same) and other.value is self.value


@dataclass
class _PageRecord:
    """What a template says about the page it renders, besides its HTML."""

    meta: dict = field(default_factory=dict)
    toc: list[tuple[str, str]] = field(default_factory=list)


@jinja2.pass_context
def _record_meta(context, values: dict) -> str:
    """The page's front matter: its metadata, kept on the page, not printed.

    MkDocs' theme templates do not autoescape, and they print ``page.title`` into ``<title>``,
    the header and the search index, so the strings are escaped here.
    """
    context["rendering"].meta.update(
        {key: str(escape(value)) if isinstance(value, str) else value for key, value in values.items()})
    return ""


@jinja2.pass_context
def _contents_entry(context, anchor: str, name: str) -> str:
    """Record a section heading in the page's table of contents; prints nothing."""
    context["rendering"].toc.append((anchor, name))
    return ""
