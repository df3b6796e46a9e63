"""Fixtures of the search tests: the repository's catalog and index (quality over the judged
sets), built once per session; the fixture library's are in tests/conftest.py."""

from __future__ import annotations

import pytest

from casebook.catalog import read_catalog
from casebook.index import ensure_index


@pytest.fixture(scope="session")
def real_catalog(real_project):
    return read_catalog(real_project)


@pytest.fixture(scope="session")
def real_index_dir(real_project, real_catalog, tmp_path_factory):
    built = tmp_path_factory.mktemp("real-index") / "index"
    ensure_index(real_catalog, built, real_project.dictionary_path)
    return built
