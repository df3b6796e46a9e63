"""Fixtures of the search tests: the real catalog and a real index built from it, once per session."""

from __future__ import annotations

import pytest

from casebook.catalog import read_catalog
from casebook.index import ensure_index


@pytest.fixture(scope="session")
def catalog(project):
    return read_catalog(project)


@pytest.fixture(scope="session")
def index_dir(project, catalog, tmp_path_factory):
    built = tmp_path_factory.mktemp("index") / "index"
    ensure_index(catalog, built, project.dictionary_path)
    return built
