"""The casebook as a MkDocs plugin: validates the cases and adds the generated pages and files.

The plugin is an orchestrator: the pipeline (load, validate, render, index, export, finder) is
the ``casebook`` package, which knows nothing of MkDocs; ``casebook.pipeline.site_outputs``
makes every generated page and file from a catalog. Its options (page limits, search and
comparables settings, paths) are ``casebook.config.CasebookConfig``, handed to the pipeline as
the project's config. State lives in two objects: ``PluginState``, made in ``on_startup`` (once
per process), and ``Build``, made in ``on_config`` (once per build), so the rebuilds of
``mkdocs serve`` start clean but reuse what has not changed:

- case files are parsed again only when their bytes change (``ParseCache``);
- every generated page and file carries a content hash, and under ``mkdocs serve --dirty`` only
  those whose hash differs from the previous build are written again (``GeneratedFile``);
- what the previous build wrote and this one no longer makes (a deleted case's page) is removed;
- the search index is rebuilt in a worker process (casebook.workers), which a thread of the
  plugin waits for, while the other files are made; a build waits for its key terms (the
  comparable cases need them), renders the pages while the index is written, and waits for the
  index at the end. A preview shows an edit at once with the
  comparable cases of the previous index, and builds again when the new index is ready;
- a build stops on problems in the case files, sources or vocabularies; a preview never does
  (see ``_read_catalog``).

Nothing process-wide outlives the plugin: the log filter and the garbage collector's freeze of a
preview are undone in ``on_shutdown``.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

import casebook
from casebook.catalog import Catalog, CatalogError, ParseCache, read_catalog, read_valid_cases
from casebook.citation import absolute_url
from casebook.comparables import comparables_for_all, read_key_terms
from casebook.config import CasebookConfig
from casebook.export import Dataset, codebook
from casebook.fields import FIELDS_SCRIPT
from casebook.finder import hand_written_pages
from casebook.index import IndexBuildFailed, built_hash, catalog_hash, ensure_index, index_is_current
from casebook.page_kinds import NAV_PAGES
from casebook.pipeline import BuildMemo, site_outputs
from casebook.problems import Problem, format_problems
from casebook.project import Project
from casebook.render import (
    DATASET_MARKER,
    FOLDING_SCRIPT,
    PREVIEW_PROBLEMS,
    Links,
    edit_path,
    render_dataset_section,
    render_preview_problems,
    site_path,
)
from casebook.routes import ROUTES_SCRIPT, content_named, match, route
from casebook.search_contract import FINDER_PARAMS, QUERY_PARAMS, SEARCH_SCRIPT
from casebook.submission import LIBRARY_SCRIPT
from casebook.submission_rules import RULES_SCRIPT
from casebook.vocabulary import VocabularyError

from .pages import (
    GeneratedFile,
    GeneratedPage,
    file_links,
    generated_file,
    nav_titles,
    repository_folder,
    with_repository_links,
)

log = logging.getLogger("mkdocs.plugins.casebook")
STAGES_FILE = "build-stages.json"  # in the project's build/ folder, see StageClock
CONTRIBUTING_PAGE = "contributing.md"  # CONTRIBUTING.md on the site
# What a preview reads once, when it starts: the case schema (casebook.schema keeps it) and the
# program. mkdocs.yml watches them, but a rebuild cannot take them in; the banner asks for a restart.
READ_AT_START = (Path(casebook.__file__).parent, Path(__file__).parent)


@dataclass
class PluginState:
    """What the plugin keeps for as long as its process runs (``on_startup`` to ``on_shutdown``):
    the rebuilds of a preview reuse what has not changed."""

    serving: bool  # `mkdocs serve`: a preview, built again after every edit
    dirty: bool  # `--dirty`: only changed files are written
    # A preview parses again only the case files that changed; a build reads them all, in two
    # processes (catalog.read_catalog).
    parse_cache: ParseCache | None
    # What one build computes per case and per page, kept for the next build: only a preview has
    # one (at 10,000 cases the search pairs alone take half a gigabyte).
    memo: BuildMemo | None
    program: dict[str, int]  # the schema and program files as a preview read them when it started
    # What the previous successful build wrote into site_dir, and this build writes:
    # {src_uri: (content hash, absolute output path)}.
    written: dict[str, tuple[str, str]] = field(default_factory=dict)
    generated: dict[str, tuple[str, str]] = field(default_factory=dict)
    site_dir: str = ""
    # What the previous build made, see _page_file and _extra_file.
    page_files: dict[str, tuple[object, str, GeneratedFile]] = field(default_factory=dict)
    extra_files: dict[str, tuple[str, str, GeneratedFile]] = field(default_factory=dict)
    theme_bytecode: "_MemoryBytecodeCache" = field(default_factory=lambda: _MemoryBytecodeCache())
    comparables: tuple = (None, {})  # (what they were computed from, the comparable cases), see _comparables_from
    dataset: Dataset | None = None  # the downloads' version, made by each build from its data
    index_worker: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="casebook-index"))
    index_job: Future | None = None
    # (hash of the index being built, its key terms)
    key_terms: tuple[str, Future] = field(default_factory=lambda: ("", Future()))
    frozen: threading.Timer | None = None  # see on_post_build
    last_good: Catalog | None = None  # what a preview shows while the files have problems
    index_ready: Path | None = None  # written when a background index build finishes

    @classmethod
    def start(cls, serving: bool, dirty: bool) -> "PluginState":
        return cls(serving, dirty, ParseCache() if serving else None, BuildMemo() if serving else None,
                   _program_stamps() if serving else {})


@dataclass
class Build:
    """One build (``on_config`` to ``on_post_build``): its project, how its pages link to each
    other, and the catalog it builds."""

    project: Project
    links: Links
    cases_folder: str  # the case files' folder from the docs folder, for "编辑此页" on a case page
    page_scripts: dict[str, list[ExtraScriptValue]]  # PAGE_SCRIPTS, deferred
    clock: "StageClock" = field(default_factory=lambda: StageClock())
    catalog: Catalog | None = None


class CasebookPlugin(BasePlugin[CasebookConfig]):
    """Named ``casebook`` in mkdocs.yml's ``plugins``; registered by entry point in pyproject.toml."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across the rebuilds of `mkdocs serve`.
        self.state = PluginState.start(serving=command == "serve", dirty=dirty)
        if dirty:
            # MkDocs warns that a dirty build may leave stale pages and navigation (fatal in strict
            # mode); this plugin removes stale pages and rewrites every page when the frame changes.
            logging.getLogger("mkdocs.commands.build").addFilter(_dirty_build_warning)

    @event_priority(-100)  # after the offline plugin's, which turns directory URLs off
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        project = Project(Path(config.config_file_path).parent, self.config)
        if config.site_dir != self.state.site_dir:
            self.state.written, self.state.site_dir = {}, config.site_dir
        self.state.generated = {}
        if self.state.serving:
            # main.html gives every page of a preview a place for the problems banner.
            config.extra["casebook_preview_problems"] = PREVIEW_PROBLEMS
        # Every script the site adds is deferred: none holds up the page's first paint, and they
        # still run in the order they are listed, casebook.js first, before DOMContentLoaded.
        config.extra_javascript = [_deferred(script) for script in config.extra_javascript]
        config.extra["polyfills"] = [_deferred(script) for script in config.extra.get("polyfills", [])]
        self.build = Build(
            project, file_links(config.use_directory_urls),
            # Where "编辑此页" finds case files from the docs folder, wherever paths.cases puts them.
            cases_folder=Path(os.path.relpath(project.cases_dir, config.docs_dir)).as_posix(),
            page_scripts={kind: [_deferred(script) for script in scripts] for kind, scripts in PAGE_SCRIPTS.items()})
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Validate every case and add the generated pages and files, in memory."""
        project = self.build.project
        clock = self.build.clock
        with clock.stage("载入并检查案例"):
            catalog, problems = self._read_catalog()
        self.build.catalog = catalog
        _show_warnings(catalog.warnings)
        if not self._previewing():
            self._start_index(catalog)
        site_url = config.site_url or ""
        # While the index is built in its worker process, the downloads and the search boxes'
        # files; then the comparable cases, which wait for the index's key terms, and the pages.
        outputs = site_outputs(
            catalog, self.build.links, lambda: self._comparables(catalog), site_url=site_url,
            hand_written=hand_written_pages(Path(config.docs_dir), project.contributing_path), memo=self.state.memo,
            content_named=not self.state.serving, stage=clock.stage)
        previous, self.state.dataset = self.state.dataset, outputs.dataset
        self._show_dataset_on(files, config, changed=self.state.dataset != previous)
        extra = outputs.files
        if not self.state.serving:
            _name_scripts_by_content([config.extra_javascript, *self.build.page_scripts.values()], extra)
        else:
            extra[PREVIEW_PROBLEMS] = render_preview_problems(problems, kept_last_good=catalog is self.state.last_good,
                                                              changed_code=self._program_changed())
        # Anything that changes every page's frame (configuration, theme overrides, the
        # hand-written pages in the nav) makes every generated page count as changed.
        frame = _frame_hash(config, files)
        titles = nav_titles(config.nav)
        rendered_pages = outputs.pages
        page_files = {}
        for src_uri, rendered in sorted(rendered_pages.items()):
            made = page_files[src_uri] = self._page_file(config, src_uri, rendered, frame, titles.get(src_uri))
            self._add(files, made[2], frame + rendered.digest, written_before=made is self.state.page_files.get(src_uri))
        self.state.page_files = page_files
        extra_files = {}
        for src_uri, text in sorted(extra.items()):
            made = extra_files[src_uri] = self._extra_file(config, src_uri, text)
            _, digest, file = made
            self._add(files, file, digest, written_before=made is self.state.extra_files.get(src_uri))
        self.state.extra_files = extra_files
        # "编辑此页" and the repository link are for contributors, not for the cadres who read the
        # site: a case page opens its YAML file, 投稿 its CONTRIBUTING.md; other pages have none.
        for file in files.documentation_pages():
            if not isinstance(file, GeneratedFile):
                file.edit_uri = None
        # CONTRIBUTING.md lives at the repository root, where GitHub shows it; the site shows it too.
        contributing = File.generated(config, CONTRIBUTING_PAGE, abs_src_path=str(project.contributing_path))
        contributing.edit_uri = "../" + project.contributing_path.name  # edit_uri points into docs/
        files.append(contributing)
        log.info("casebook: %d 个案例", len(catalog.cases))
        clock.mark()
        return files

    def _show_dataset_on(self, files: Files, config: MkDocsConfig, changed: bool) -> None:
        """The 数据下载 page shows the dataset's version (see on_page_markdown): when the data
        change, a dirty build must write it again as if its own file had been edited."""
        page = files.get_file_from_path(route("downloads"))
        if page is None:
            return
        shown = GeneratedFile.generated(config, page.src_uri, abs_src_path=page.abs_src_path)
        shown.changed = changed or page.is_modified()
        shown.edit_uri = None
        files.remove(page)
        files.append(shown)

    def _program_changed(self) -> list[str]:
        """The schema and program files changed since the preview started, as the project names them."""
        changed = [path for path, stamp in _program_stamps().items() if self.state.program.get(path) != stamp]
        if changed:
            log.info("预览启动后修改了字段定义或程序，重新运行 make serve 才生效：%s", "、".join(changed))
        return [os.path.relpath(path, self.build.project.root) for path in changed]

    def _read_catalog(self) -> tuple[Catalog, list[Problem]]:
        """The catalog to build, and the problems of the files. A build stops on any problem, with
        all of them, as `casebook validate` prints them. A preview never stops (a typo in a case
        being written must not take the site away): it keeps showing the last catalog that passed
        the checks, or, when it started with broken files, the cases that pass them; every page
        then shows the problems in a banner (``PREVIEW_PROBLEMS``), until the files are fixed."""
        try:
            catalog = read_catalog(self.build.project, cache=self.state.parse_cache)
        except (CatalogError, VocabularyError) as error:
            if not self.state.serving:
                raise PluginError("案例检查未通过：\n" + format_problems(error.problems)) from None
            # Logged below warning level: `strict` would stop the preview on a warning.
            log.info("案例检查未通过，预览页面顶部列出这些问题：\n%s", format_problems(error.problems))
            if self.state.last_good is not None:
                return self.state.last_good, error.problems
            return read_valid_cases(self.build.project, cache=self.state.parse_cache)
        self.state.last_good = catalog
        return catalog, []

    def on_page_markdown(self, markdown: str, page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri == CONTRIBUTING_PAGE:
            # Its links lead to files of the repository, relative to it as GitHub shows it.
            return with_repository_links(markdown, repository_folder(config))
        if page.file.src_uri == route("downloads"):
            # The dataset's version and citation, and the codebook, made from this build's data.
            path = site_path(self.build.links, route("downloads"))
            section = render_dataset_section(self.state.dataset, codebook(), absolute_url(config.site_url or "", path), path)
            return markdown.replace(DATASET_MARKER, section)
        return markdown

    def on_env(self, env, config: MkDocsConfig, files: Files):
        # MkDocs makes a new theme environment for every build, which compiles Material's
        # templates again (half a second); compiled once, they are kept for the rebuilds.
        env.bytecode_cache = self.state.theme_bytecode
        env.globals.update(theme_globals(config, self._scripts_of))
        return env

    def _scripts_of(self, page) -> list[ExtraScriptValue]:
        """The scripts that act only on this page's kind of page (main.html adds them after
        mkdocs.yml's scripts of every page); none for a page of no such kind, or no page (404)."""
        uri = page.file.src_uri if page and page.file else ""
        return [script for kind, scripts in self.build.page_scripts.items() if match(kind, uri) is not None
                for script in scripts]

    def on_serve(self, server, config: MkDocsConfig, builder):
        # A background index build that finishes writes into this folder: the server then builds
        # again, and the case pages get the comparable cases of the new index.
        ready = self.build.project.build_dir / "index-ready"
        ready.mkdir(parents=True, exist_ok=True)
        self.state.index_ready = ready / "catalog.sha256"
        server.watch(str(ready))
        return server

    def on_shutdown(self) -> None:
        self.state.index_worker.shutdown(wait=True)
        if self.state.dirty:
            logging.getLogger("mkdocs.commands.build").removeFilter(_dirty_build_warning)
        if self.state.frozen:
            self.state.frozen.cancel()
            self.state.frozen.join()
            gc.unfreeze()

    # --- the search index ---

    def _previewing(self) -> bool:
        """A preview that already has an index shows an edit first and rebuilds the index after
        (the index build would take both cores from the pages the editor waits for)."""
        return self.state.serving and built_hash(self.build.project.index_dir) is not None

    def _start_index(self, catalog: Catalog) -> None:
        """Rebuild the index in the background if it is out of date and no build is running."""
        project = self.build.project
        if index_is_current(catalog, project.index_dir, project.dictionary_path):
            self.state.index_job = None
            return
        if self.state.index_job is None or self.state.index_job.done():
            self.state.key_terms = (catalog_hash(catalog, project.dictionary_path), Future())
            self.state.index_job = self.state.index_worker.submit(self._build_index, catalog, self.state.key_terms[1])

    def _build_index(self, catalog: Catalog, key_terms: Future) -> None:
        clock, started = self.build.clock, self.build.clock.now()
        analysed = [started]

        def on_key_terms(terms: dict) -> None:
            analysed[0] = clock.now()
            clock.record("Whoosh 索引：分词、关键词（工作进程）", started, analysed[0])
            key_terms.set_result(terms)

        try:
            if ensure_index(catalog, self.build.project.index_dir, self.build.project.dictionary_path, on_key_terms=on_key_terms,
                            background=self._previewing()):
                clock.record("Whoosh 索引：写入（工作进程）", analysed[0], clock.now())
        except BaseException as error:
            if not key_terms.done():
                key_terms.set_exception(error)
            raise
        if not key_terms.done():  # another process had just built the same index
            key_terms.set_result(read_key_terms(self.build.project.index_dir))
        if self.state.index_ready:
            self.state.index_ready.write_text(catalog.fingerprint)

    def _comparables(self, catalog: Catalog) -> dict:
        """The comparable cases of every case. A build takes the key terms of the index it is
        building as soon as they are known; a preview that already has an index does not wait
        for the new one and uses the index on disk."""
        if self.state.index_job and not self._previewing():
            index_hash, future = self.state.key_terms
            try:
                return self._comparables_from(catalog, index_hash, future.result)
            except IndexBuildFailed as error:
                raise PluginError(str(error)) from None
        if self.state.index_job and self.state.index_job.done() and self.state.index_job.exception():
            log.error(str(self.state.index_job.exception()))
        index_dir = self.build.project.index_dir
        try:
            return self._comparables_from(catalog, built_hash(index_dir) or "", lambda: read_key_terms(index_dir))
        except OSError:
            # The background build swapped the index folder while it was being read: wait for it.
            if self.state.index_job:
                self.state.index_job.result()
            return self._comparables_from(catalog, built_hash(index_dir) or "", lambda: read_key_terms(index_dir))

    def _comparables_from(self, catalog: Catalog, index_hash: str, key_terms) -> dict:
        # The same index, cases and settings give the same comparables: a preview of an edit that
        # waits for the new index reuses them.
        key = (index_hash, tuple(case.id for case in catalog.cases), dict(catalog.config.comparables))
        if self.state.comparables[0] != key:
            self.state.comparables = (key, comparables_for_all(catalog, key_terms()))
        return self.state.comparables[1]

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        """Give every page in the navigation its title. A dirty build does not read the pages that
        did not change, and a hand-written page has no title until read: the pages it does
        rebuild would list those as "None"."""
        for page in nav.pages:
            if page.markdown is None:
                page.read_source(config)
        return nav

    def _page_file(self, config: MkDocsConfig, src_uri: str, rendered, frame: str,
                   title: str | None) -> tuple[object, str, GeneratedFile]:
        """(rendered page, frame, file) of a generated page. A page the previous build rendered
        (the same object, handed back by the render memo) in the same frame keeps its File and
        Page: a dirty build does not touch them, and at 10,000 cases making 10,000 of each
        again is a second of every preview rebuild. Pages in the navigation are made anew: the
        navigation links them to each other."""
        previous = self.state.page_files.get(src_uri)
        in_nav = src_uri in NAV_PAGES
        if previous and not in_nav and previous[0] is rendered and previous[1] == frame \
                and _same_site(previous[2], config):
            return previous
        file = generated_file(config, src_uri, "", in_nav)
        file.edit_uri = edit_path(src_uri, self.build.cases_folder)  # "编辑此页" on a case page opens its YAML file
        GeneratedPage(title, rendered, file, config)
        return rendered, frame, file

    def _extra_file(self, config: MkDocsConfig, src_uri: str, text: str) -> tuple[str, str, GeneratedFile]:
        """(text, hash, file) of a generated file that is not a page. A text the previous build
        made too (often the same object, which a memo handed back) is neither hashed nor wrapped
        in a new File again: at 10,000 cases there are 40,000 such files (downloads, citations,
        search shards)."""
        previous = self.state.extra_files.get(src_uri)
        if previous and _same_site(previous[2], config) \
                and (previous[0] is text or previous[0] == text):  # comparing is cheaper than hashing
            return previous
        return text, _hash(text), generated_file(config, src_uri, text)

    def _add(self, files: Files, file: GeneratedFile, digest: str, written_before: bool = False) -> GeneratedFile:
        """Add a generated file, marked changed unless the previous build wrote the same content
        (``written_before``: into this same site folder, so it need not be looked for)."""
        previous = self.state.written.get(file.src_uri)
        file.changed = previous is None or previous[0] != digest or \
            not (written_before or os.path.exists(file.abs_dest_path))
        self.state.generated[file.src_uri] = (digest, file.abs_dest_path)
        files.append(file)
        return file

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Remove what the previous build generated and this one did not (a deleted case's page,
        a finder shard no longer needed), then remember what this build wrote."""
        for src_uri, (_, path) in self.state.written.items():
            if src_uri not in self.state.generated and os.path.isfile(path):
                os.remove(path)
                _remove_empty_folders(Path(path).parent, Path(config.site_dir))
        self.state.written = self.state.generated
        if self.state.serving and not self.state.frozen:
            # What the first build leaves (the parsed cases, the memos: tens of millions of
            # objects at 10,000 cases) lives as long as the server; the cyclic garbage collector
            # would walk it all again during the rebuilds. Once the first build's own garbage is
            # collected, while the server waits for the first edit, it is set aside for good.
            self.state.frozen = threading.Timer(1.0, _set_aside_what_lives_on)
            self.state.frozen.start()
        self.build.clock.since_mark("MkDocs 与 Material 套用主题、写文件")
        if self._previewing():
            self._start_index(self.build.catalog)
        elif self.state.index_job:
            # The pages needed only the key terms; the build ends when the index is written.
            try:
                with self.build.clock.stage("等待 Whoosh 索引写完"):
                    self.state.index_job.result()
            except IndexBuildFailed as error:
                raise PluginError(str(error)) from None
        self.build.clock.write(self.build.project.build_dir / STAGES_FILE)


class StageClock:
    """When each stage of one build ran, in seconds from its start: written to
    build/build-stages.json, where `make bench` reads each stage's share of a real build (the
    stages overlap: the index is built in a worker process while pages are made)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.stages: list[tuple[str, float, float]] = []
        self.marked = 0.0

    def now(self) -> float:
        return time.perf_counter() - self.started

    def record(self, name: str, start: float, end: float) -> None:
        self.stages.append((name, round(start, 3), round(end, 3)))

    @contextmanager
    def stage(self, name: str):
        start = self.now()
        try:
            yield
        finally:
            self.record(name, start, self.now())

    def mark(self) -> None:
        """A point the next ``since_mark`` measures from."""
        self.marked = self.now()

    def since_mark(self, name: str) -> None:
        self.record(name, self.marked, self.now())

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        stages = [{"stage": name, "start_s": start, "end_s": end} for name, start, end in sorted(self.stages, key=lambda s: s[1])]
        path.write_text(json.dumps({"total_s": round(self.now(), 3), "stages": stages}, ensure_ascii=False, indent=1),
                        encoding="utf-8")


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template name and source checksum."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# The scripts that act on one kind of page only (a kind of casebook.routes), added by main.html to
# the pages of that kind alone, after mkdocs.yml's extra_javascript (the scripts of every page).
PAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "case": ("assets/javascripts/cite.js",),  # access date and address in the citation, 复制引用
    "downloads": ("assets/javascripts/cite.js",),  # 引用数据集
    "finder": ("assets/javascripts/finder.js",),
    "compare": (FIELDS_SCRIPT, "assets/javascripts/compare.js"),  # fields.js: the compared fields, from the schema
    # 在线投稿; submission-rules.js: the rules' data and the pinyin table, from the Python rules;
    # submission-library.js: the ids taken and the place names, from the library's cases
    "submit": (RULES_SCRIPT, LIBRARY_SCRIPT, "assets/javascripts/claims-check.js",
               "assets/javascripts/submission-check.js", "assets/javascripts/submit.js"),
    "custom_pack": ("assets/javascripts/pack.js",),  # 自选讲义 (packs/custom/)
}
# Made by the plugin, in the lists above.
GENERATED_SCRIPTS = (ROUTES_SCRIPT, FOLDING_SCRIPT, SEARCH_SCRIPT, FIELDS_SCRIPT, RULES_SCRIPT, LIBRARY_SCRIPT)


def theme_globals(config: MkDocsConfig, scripts_of=lambda page: []) -> dict:
    """What the theme overrides (overrides/) read besides Material's own context: addresses from
    the route table (``casebook_url("finder")``, the finder's path below the site's root), the
    search forms' parameter names, and the scripts of one kind of page (``scripts_of(page)``).
    The plugin gives them; a build without it (make bench's plain MkDocs build) takes the same."""
    links = file_links(config.use_directory_urls)
    return {"casebook_url": lambda kind, *keys: site_path(links, route(kind, *keys)),
            "casebook_page_scripts": scripts_of, "casebook_finder_params": FINDER_PARAMS,
            "casebook_query_params": tuple(QUERY_PARAMS.values())}


def _deferred(script: str | ExtraScriptValue) -> ExtraScriptValue:
    """A script of mkdocs.yml (a path, or a path with options) loaded with ``defer``."""
    if isinstance(script, ExtraScriptValue):
        script.defer = True
        return script
    deferred = ExtraScriptValue(script)
    deferred.defer = True
    return deferred


def _name_scripts_by_content(script_lists: list[list[ExtraScriptValue]], extra: dict[str, str]) -> None:
    """A build names the generated scripts by their content (``routes.1a2b3c4d.js``) and its pages
    load them by that name, so a browser never runs a script cached from another build (routes.js
    names the search index's folder). The lists name them by their plain names; a preview keeps
    those: its pages are written once, not on every edit."""
    for scripts in script_lists:
        for script in scripts:
            if script.path in GENERATED_SCRIPTS:
                text = extra.pop(script.path)
                script.path = content_named(script.path, text)
                extra[script.path] = text


def _same_site(file: File, config: MkDocsConfig) -> bool:
    """Whether a file made by the previous build has the addresses this build would give it."""
    return file.dest_dir == config.site_dir and file.use_directory_urls == config.use_directory_urls


def _set_aside_what_lives_on() -> None:
    gc.collect()
    gc.freeze()


def _program_stamps() -> dict[str, int]:
    return {str(path): path.stat().st_mtime_ns for folder in READ_AT_START
            for path in sorted(folder.rglob("*")) if path.suffix in (".py", ".yaml")}


def _dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _hash(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


def _frame_hash(config: MkDocsConfig, files: Files) -> str:
    digest = hashlib.sha256(Path(config.config_file_path).read_bytes())
    for file in sorted(files, key=lambda f: f.src_uri):
        digest.update(file.src_uri.encode() + b"\0")
    overrides = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    for path in sorted(overrides.rglob("*")) if overrides else []:
        if path.is_file():
            digest.update(path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _remove_empty_folders(folder: Path, site_dir: Path) -> None:
    while folder != site_dir and folder.is_relative_to(site_dir) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


WARNINGS_SHOWN = 20  # in a build's log; `casebook validate` lists them all


def _show_warnings(warnings: tuple[Problem, ...]) -> None:
    """What is to be fixed but does not stop the build. Logged as information: the site is built
    with `mkdocs build --strict`, which stops on any logged warning."""
    if not warnings:
        return
    shown = format_problems(list(warnings[:WARNINGS_SHOWN]))
    hidden = len(warnings) - WARNINGS_SHOWN
    more = f"\n……另有 {hidden} 个，运行 casebook validate 查看全部" if hidden > 0 else ""
    log.info("casebook: %d 个提醒（不影响生成网站，casebook validate --strict 会把它们算作错误）：\n%s%s",
             len(warnings), shown, more)
