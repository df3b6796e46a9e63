"""The build without MkDocs (casebook.pipeline): it makes what the MkDocs build writes, asks for
the comparable cases only once the other files are made, and a preview's memo hands back what
an unchanged catalog made before."""

from __future__ import annotations

from contextlib import contextmanager

from casebook.comparables import comparables_for_all, read_key_terms
from casebook.finder import hand_written_pages
from casebook.pipeline import CITATIONS, COMPARABLES, DIGESTS, DOWNLOADS, FINDER, PAGES, BuildMemo, site_outputs
from casebook.routes import content_named
from casebook_mkdocs.pages import file_links
from helpers import SITE_URL, built_page, read_page

LINKS = file_links(use_directory_urls=True)


def test_the_mkdocs_build_writes_every_page_and_file_of_the_pipeline(project, catalog, index_dir, built_site):
    comparables = comparables_for_all(catalog, read_key_terms(index_dir))  # as the build finds them
    outputs = site_outputs(catalog, LINKS, lambda: comparables, site_url=SITE_URL,
                           hand_written=hand_written_pages(project.root / "docs", project.contributing_path))
    for uri, page in outputs.pages.items():
        assert page.html.strip() in read_page(built_site, uri), uri
    for path, text in outputs.files.items():
        # The build names its generated scripts by their content (casebook_mkdocs.plugin).
        written = next((built_site / name for name in (path, content_named(path, text))
                        if (built_site / name).is_file()), None)
        assert written is not None, path
        assert written.read_text(encoding="utf-8") == text, path
    assert all((built_site / built_page(uri)).is_file() for uri in outputs.pages)


def test_the_comparable_cases_are_asked_for_once_the_files_are_made(catalog):
    """A build gets them from the search index its worker process is writing meanwhile."""
    happened = []

    @contextmanager
    def stage(name: str):
        happened.append(name)
        yield

    site_outputs(catalog, LINKS, lambda: happened.append("comparables") or {}, stage=stage)
    asked = happened.index("comparables")
    assert happened[asked - 1] == COMPARABLES and happened[asked + 1:] == [PAGES]
    assert {DOWNLOADS, FINDER, CITATIONS, DIGESTS} <= set(happened[:asked])


def test_a_preview_memo_hands_back_what_an_unchanged_catalog_made(catalog):
    memo = BuildMemo()
    first = site_outputs(catalog, LINKS, memo=memo, content_named=False)
    second = site_outputs(catalog, LINKS, memo=memo, content_named=False)
    assert second.pages.keys() == first.pages.keys()
    assert all(second.pages[uri] is page for uri, page in first.pages.items())
    assert second.files == first.files and second.dataset == first.dataset
    assert site_outputs(catalog, LINKS, content_named=False).pages == first.pages
