"""Fixtures of the search tests: the fixture library's catalog and index (behaviour), and the
repository's (quality over the judged sets), each built once per session."""

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


@pytest.fixture(scope="session")
def real_catalog(real_project):
    return read_catalog(real_project)


@pytest.fixture(scope="session")
def real_index_dir(real_project, real_catalog, tmp_path_factory):
    built = tmp_path_factory.mktemp("real-index") / "index"
    ensure_index(real_catalog, built, real_project.dictionary_path)
    return built
