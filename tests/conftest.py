"""Shared fixtures: the real project, a real case to mutate, and the real site built once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casebook.project import Project
from casebook.vocabulary import load_vocabulary
from helpers import EXAMPLE_CASE, ROOT, run_mkdocs_build


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def vocabulary(project):
    return load_vocabulary(project.taxonomy_path, project.provinces_path)


@pytest.fixture
def example_data() -> dict:
    """A real case (Jinjiang) as plain data, to mutate one field at a time."""
    return yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(project, tmp_path_factory) -> Path:
    """The real cases built once, with the real MkDocs, Material and Pagefind, for all tests."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site
