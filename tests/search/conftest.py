"""Fixtures of the search tests: the fixture library's catalog and index, built once per run (the
repository's, for quality over the judged sets, are in tests/conftest.py: the browser uses them too)."""

from __future__ import annotations

import pytest

from casebook.catalog import read_catalog
from casebook.index import ensure_index
from helpers import made_once


@pytest.fixture(scope="session")
def catalog(project):
    return read_catalog(project)


@pytest.fixture(scope="session")
def index_dir(project, catalog, tmp_path_factory):
    folder = made_once(tmp_path_factory, "index", lambda folder: ensure_index(catalog, folder / "index", project.dictionary_path))
    return folder / "index"
