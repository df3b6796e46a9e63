"""MkDocs hook: wires the casebook pipeline into MkDocs events, and nothing else.

The pipeline itself (load, validate, render, index, export) lives in the ``casebook`` package and
knows nothing of MkDocs, so moving to a successor of MkDocs 1.x means rewriting only this file.
MkDocs caches hook modules: restart `mkdocs serve` after editing this file.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from casebook.catalog import CatalogError, read_catalog
from casebook.citation import citation_files
from casebook.comparables import comparables_for_all
from casebook.export import export_files
from casebook.fields import FIELDS_SCRIPT, fields_script
from casebook.finder import finder_files, hand_written_pages
from casebook.index import IndexBuildFailed, ensure_index
from casebook.problems import format_problems
from casebook.project import Project
from casebook.reference import editor_schema
from casebook.render import FOLDING_SCRIPT, edit_path, render_folding_script, render_site
from casebook.vocabulary import VocabularyError

log = logging.getLogger("mkdocs.hooks.casebook")

# Bodies of generated pages that are HTML through and through (front matter casebook_raw_html):
# Markdown would only re-parse them, which is most of the time of a large build.
_raw_html_bodies: dict[str, str] = {}
_SECTION_HEADING = re.compile(r'<h2 id="([^"]+)"[^>]*>([^<]+)</h2>')


def on_files(files: Files, config) -> Files:
    """Validate every case and add the generated pages and downloads, in memory."""
    project = Project(Path(config.config_file_path).parent)
    try:
        catalog = read_catalog(project)
    except (CatalogError, VocabularyError) as error:
        # The same lines `casebook validate` prints; the build stops with all of them.
        raise PluginError("案例检查未通过：\n" + format_problems(error.problems)) from None
    # The search index is rebuilt here (only when the cases changed), so it is never stale,
    # and the comparable cases on every page come from it.
    try:
        ensure_index(catalog, project.index_dir, project.dictionary_path)
    except IndexBuildFailed as error:
        raise PluginError(str(error)) from None
    comparables = comparables_for_all(catalog, project.index_dir)
    site_url = config.site_url or ""
    for src_uri, markdown in sorted(render_site(catalog, comparables, config.use_directory_urls, site_url).items()):
        # Only the index pages are in the sidebar: a nav listing every case would be copied into
        # every page (measured: 283 MB instead of 25 MB for 1,000 cases).
        in_nav = src_uri.endswith("index.md")
        file = File.generated(config, src_uri, content=markdown,
                              inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
        file.edit_uri = edit_path(src_uri)  # "编辑此页" on a case page opens its YAML file
        files.append(file)
    downloads = export_files(catalog, editor_schema(catalog.vocabulary))
    citations = citation_files(catalog.cases, site_url, config.use_directory_urls)
    pages = hand_written_pages(Path(config.docs_dir), project.contributing_path)
    for src_uri, text in sorted({**downloads, **finder_files(catalog, pages), **citations}.items()):
        files.append(File.generated(config, src_uri, content=text))
    files.append(File.generated(config, FOLDING_SCRIPT, content=render_folding_script(catalog)))
    files.append(File.generated(config, FIELDS_SCRIPT, content=fields_script(catalog.vocabulary)))
    # CONTRIBUTING.md lives at the repository root, where GitHub shows it; the site shows it too.
    files.append(File.generated(config, "contributing.md", abs_src_path=str(project.contributing_path)))
    log.info("casebook: %d 个案例", len(catalog.cases))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.meta.get("casebook_raw_html"):
        _raw_html_bodies[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    html = _raw_html_bodies.pop(page.file.src_uri, html)
    if page.meta.get("casebook_toc"):
        # Markdown made no table of contents for a page it did not parse: make it from the
        # page's own section headings, as the toc extension would have.
        page.toc = get_toc([{"level": 2, "id": anchor, "name": name, "children": []}
                            for anchor, name in _SECTION_HEADING.findall(html)])
    return html
