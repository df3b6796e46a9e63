"""The build without MkDocs: a catalog -> every page and file the casebook generates.

The MkDocs plugin (casebook_mkdocs) runs this once per build and hands the outputs to MkDocs;
tests and benchmarks run the same function, without MkDocs. It knows nothing of how a build
reads its cases (the plugin's preview keeps the last good catalog) or how the search index is
built (comparable cases need its key terms, which a build gets from a worker process: they are
asked for only once the other files are made, so that the two overlap).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from .catalog import Catalog
from .citation import citation_files
from .comparables import Comparables
from .export import Dataset, dataset, export_files
from .fields import FIELDS_SCRIPT, fields_script
from .finder import FinderState, HandWrittenPage, finder_files, index_version
from .memo import CaseMemo
from .page_kinds import render_site
from .reference import editor_schema
from .render import Links, RenderedPage, case_page_url, render_digests, route_address
from .routes import ROUTES_SCRIPT, routes_script
from .search_contract import SEARCH_SCRIPT, contract_script
from .submission import LIBRARY_SCRIPT, library_script
from .submission_rules import RULES_SCRIPT, rules_script

# Names one stage of the build while it runs (the plugin's clock: build/build-stages.json).
Stage = Callable[[str], AbstractContextManager]
# The stages, by the names the build's clock records and make bench reports.
DOWNLOADS, FINDER, CITATIONS, DIGESTS = "下载文件", "案例检索分片", "引用文件", "讲义摘要"
COMPARABLES, PAGES = "等待关键词并计算可比案例", "生成页面（Jinja）"


@dataclass
class BuildMemo:
    """What a long-running process (``mkdocs serve``) keeps from one build for the next, so
    that what an edit did not change is not made again: the rendered pages by everything they
    were rendered from, values computed from one case (downloads, citations, digests, search
    terms) and the search index's shards."""

    pages: dict = field(default_factory=dict)
    cases: CaseMemo = field(default_factory=CaseMemo)
    finder: FinderState = field(default_factory=FinderState)


@dataclass
class SiteOutputs:
    """What one build makes: its pages (``{route: RenderedPage}``), every other file
    (``{route: text}``: downloads, search index, citations, digests, generated scripts), and the
    version of its downloads."""

    pages: dict[str, RenderedPage]
    files: dict[str, str]
    dataset: Dataset


def site_outputs(catalog: Catalog, links: Links,
                 comparables: Callable[[], Mapping[str, Comparables]] = dict, *, site_url: str = "",
                 hand_written: list[HandWrittenPage] = (), memo: BuildMemo | None = None,
                 content_named: bool = True, stage: Stage = lambda name: nullcontext()) -> SiteOutputs:
    """Every generated page and file of the site.

    ``links`` gives the address of one page from another (casebook.render.Links); ``comparables``
    gives the comparable cases of every case, asked for once the files are made; ``site_url``
    (may be empty) makes absolute addresses; ``hand_written``, the site's own pages, are found by
    the search boxes too. ``memo`` (a preview's) keeps what the next build may reuse;
    ``content_named``: the search index's folder is named by its content (a preview's is not,
    so that its pages need not change with every edit). ``stage`` times each stage."""
    cases = memo.cases if memo is not None else None
    if cases is not None:
        cases.new_build()
    with stage(DOWNLOADS):
        downloads = export_files(catalog, editor_schema(catalog.vocabulary), cases)
        version = dataset(catalog, downloads)
    with stage(FINDER):
        search_files = finder_files(catalog, list(hand_written), cases, memo.finder if memo is not None else None,
                                    content_named=content_named)
    with stage(CITATIONS):
        citations = citation_files(catalog.cases, lambda case_id: case_page_url(site_url, links, case_id), cases)
    with stage(DIGESTS):
        digests = render_digests(catalog, cases)
    files = {**downloads, **search_files, **citations, **digests,
             FIELDS_SCRIPT: fields_script(catalog.vocabulary), SEARCH_SCRIPT: contract_script(),
             RULES_SCRIPT: rules_script(catalog.vocabulary), LIBRARY_SCRIPT: library_script(catalog.cases),
             ROUTES_SCRIPT: routes_script(route_address(links), {"version": index_version(search_files)})}
    with stage(COMPARABLES):
        found = comparables()
    with stage(PAGES):
        pages = render_site(catalog, found, links, site_url, memo.pages if memo is not None else None)
    return SiteOutputs(pages, files, version)
