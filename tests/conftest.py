"""Shared fixtures: the fixture library (the software's tests), the repository's own library (its
invariants), a real case to mutate, each library built once with the real MkDocs and Material, and
the fixture library's search index, built once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casebook.catalog import read_catalog
from casebook.index import ensure_index
from casebook.project import Project
from casebook.vocabulary import load_vocabulary
from helpers import EXAMPLE_CASE, ROOT, copy_project, made_once, run_mkdocs_build


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Project:
    """The fixture library (tests/fixtures/library) inside a copy of the software."""
    return copy_project(tmp_path_factory.mktemp("library") / "repo")


@pytest.fixture(scope="session")
def real_project() -> Project:
    """The repository itself: its cases/ hold however many cases contributors have added."""
    return Project(ROOT)


@pytest.fixture(scope="session")
def vocabulary(project):
    return load_vocabulary(project.taxonomy_path, project.provinces_path)


@pytest.fixture(scope="session")
def catalog(project):
    return read_catalog(project)


@pytest.fixture(scope="session")
def index_dir(project, catalog, tmp_path_factory) -> Path:
    """The fixture library's Whoosh index, built once: tests read it, none changes it."""
    folder = made_once(tmp_path_factory, "index", lambda folder: ensure_index(catalog, folder / "index", project.dictionary_path))
    return folder / "index"


@pytest.fixture
def example_data() -> dict:
    """A real case (Jinjiang) as plain data, to mutate one field at a time."""
    return yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))


def _build(project: Project, site: Path) -> None:
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def built_site(project, tmp_path_factory) -> Path:
    """The fixture library built once, for the tests of the software."""
    return made_once(tmp_path_factory, "site", lambda site: _build(project, site))


@pytest.fixture(scope="session")
def offline_site(project, tmp_path_factory) -> Path:
    """The fixture library built as `make offline` builds it: opened from disk, no directory URLs."""
    site = tmp_path_factory.mktemp("offline")
    result = run_mkdocs_build(project, site, offline=True)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def real_site(real_project, tmp_path_factory) -> Path:
    """The repository's library built once (strict), for its invariants and the judged rankings."""
    return made_once(tmp_path_factory, "real-site", lambda site: _build(real_project, site))


@pytest.fixture(scope="session")
def real_catalog(real_project):
    return read_catalog(real_project)


@pytest.fixture(scope="session")
def real_index_dir(real_project, real_catalog, tmp_path_factory) -> Path:
    """The repository's Whoosh index, for the judged rankings (tests/search, and the browser's)."""
    folder = made_once(tmp_path_factory, "real-index",
                       lambda folder: ensure_index(real_catalog, folder / "index", real_project.dictionary_path))
    return folder / "index"
