"""Shared fixtures: the real project, and small case files made from a real case."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casebook.project import Project
from casebook.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CASE = ROOT / "cases" / "jinjiang-grid-womens-groups.yaml"


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


def dump_case(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def copy_project(destination: Path, with_cases: bool = True) -> Project:
    """A copy of the repository (without generated output) to build or break freely."""
    ignore = shutil.ignore_patterns(".venv", "site", "build", ".git", "__pycache__", "*.egg-info",
                                    ".pytest_cache", ".hypothesis", "tests")
    shutil.copytree(ROOT, destination, ignore=ignore)
    if not with_cases:
        shutil.rmtree(destination / "cases")
        (destination / "cases").mkdir()
    return Project(destination)


def run_mkdocs_build(project: Project, site_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=project.root, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})


@pytest.fixture(scope="session")
def built_site(project, tmp_path_factory) -> Path:
    """The real cases built once, with the real MkDocs, Material and Pagefind, for all tests."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    return site
