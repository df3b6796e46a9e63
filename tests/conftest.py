"""Shared fixtures: the fixture library (the software's tests), the repository's own library (its
invariants), a real case to mutate, and each library built once with the real MkDocs and Material."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casebook.project import Project
from casebook.vocabulary import load_vocabulary
from helpers import EXAMPLE_CASE, ROOT, copy_project, run_mkdocs_build


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


@pytest.fixture
def example_data() -> dict:
    """A real case (Jinjiang) as plain data, to mutate one field at a time."""
    return yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))


def _build(project: Project, site: Path) -> Path:
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def built_site(project, tmp_path_factory) -> Path:
    """The fixture library built once, for the tests of the software."""
    return _build(project, tmp_path_factory.mktemp("site"))


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
    return _build(real_project, tmp_path_factory.mktemp("real-site"))
