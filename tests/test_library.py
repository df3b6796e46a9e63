"""The repository's library, whatever it holds: every case valid and traceable to its sources, the
strict build passes, every page reachable, listed where it belongs and under its size limit.

Nothing here counts today's cases or names one: a contributor's valid case must pass.
"""

from __future__ import annotations

import pytest

from casebook.catalog import read_catalog
from casebook.routes import route
from helpers import built_page
from library_checks import (
    broken_links,
    case_problems,
    figures_not_as_written,
    missing_from_site,
    oversized_pages,
    pages_without_one_title,
    program_text,
    unreachable_pages,
)


@pytest.fixture(scope="module")
def real_catalog(real_project):
    # Strict, as the curated library must be: raises with every problem and every warning (an
    # outcome without its quote) if any case has one.
    return read_catalog(real_project, strict=True)


def test_every_case_file_is_a_valid_case_with_traceable_figures(real_project, real_catalog):
    case_files = [path for path in real_project.cases_dir.glob("*.yaml") if not path.name.startswith("_")]
    assert case_problems(real_catalog, case_files) == []


def test_every_case_is_on_its_pages_in_the_downloads_and_the_finder(real_catalog, real_site):
    assert missing_from_site(real_catalog, real_site) == []


def test_no_broken_links(real_site):
    assert broken_links(real_site) == []


def test_every_page_is_reachable_from_the_home_page(real_catalog, real_site):
    # A tag no case uses keeps its page (its address is stable) but no index links to it.
    unused_tags = {built_page(route("tag", tag.slug)) for tag in real_catalog.vocabulary.tags
                   if not any(tag.name in case.tags for case in real_catalog.cases)}
    assert [page for page in unreachable_pages(real_site) if page not in unused_tags] == []


def test_every_page_stays_under_its_size_limit(real_site):
    assert oversized_pages(real_site) == []


# What a reader sees, on every page of the built library (the standard the golden files are
# regenerated against, not the other way round).
def test_no_page_shows_program_text(real_site):
    assert program_text(real_site) == []


def test_every_figure_shown_reads_as_its_source_writes_it(real_catalog, real_site):
    assert figures_not_as_written(real_catalog, real_site) == []


def test_every_page_has_one_title(real_site):
    assert pages_without_one_title(real_site) == []
