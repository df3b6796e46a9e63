"""Reading the whole catalog: a large library is checked in two processes, with the same result
and the same problems as one process."""

from __future__ import annotations

import resource
from collections.abc import Callable
from pathlib import Path

import pytest

from casebook.catalog import CatalogError, ParseCache, read_catalog, read_valid_cases
from casebook.config import casebook_config
from casebook.project import Project
from evaluation.synthetic import write_synthetic_cases
from helpers import LIBRARY, copy_project

# A library "large" enough to be split: the threshold is lowered rather than the library grown
# (the default, 400 files, is what pays on a real machine; the split is the same either way).
SPLIT_FROM = 20


def split_from(project: Project) -> Project:
    return Project(project.root, casebook_config({"parallel": {"check_from": SPLIT_FROM}}))


@pytest.fixture(scope="module")
def large(tmp_path_factory, vocabulary):
    project = copy_project(tmp_path_factory.mktemp("large") / "repo", with_cases=False)
    write_synthetic_cases(sorted((LIBRARY / "cases").glob("*.yaml")), vocabulary, SPLIT_FROM + 10, project.cases_dir)
    return split_from(project)


@pytest.fixture
def forked() -> Callable[[], bool]:
    """Whether a worker process has run and ended since the test began: its processor time is
    then counted among this process's finished children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    return lambda: resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime > before


def test_two_processes_read_the_same_catalog_as_one(large, forked):
    in_two = read_catalog(large)
    assert forked()  # the large library was split
    in_one = read_catalog(large, cache=ParseCache())  # a preview's cache reads in this process
    assert in_two.cases == in_one.cases and in_two.fingerprint == in_one.fingerprint


def test_problems_found_by_the_second_process_are_all_reported(large, tmp_path, forked):
    """A mistake in a file of each half: both reported, at their lines, as one process reports them."""
    copy = split_from(copy_project(tmp_path / "broken", with_cases=False))
    files = sorted(large.cases_dir.glob("*.yaml"))
    for path in files:
        (copy.cases_dir / path.name).write_bytes(path.read_bytes())
    first, last = copy.cases_dir / files[0].name, copy.cases_dir / files[-1].name
    for path in (first, last):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nlevel: ", "\nlevel: 太空站 # ", 1), encoding="utf-8")
    with pytest.raises(CatalogError) as in_two:
        read_catalog(copy)
    assert forked()
    with pytest.raises(CatalogError) as in_one:
        read_catalog(copy, cache=ParseCache())
    assert in_two.value.problems == in_one.value.problems
    assert {problem.path.rsplit("/", 1)[-1] for problem in in_two.value.problems} == {first.name, last.name}
    assert all(problem.line > 0 and problem.field == "level" for problem in in_two.value.problems)


def test_an_id_claimed_in_both_halves_is_reported_as_in_one_process(large, tmp_path, forked):
    copy = split_from(copy_project(tmp_path / "twice", with_cases=False))
    files = sorted(large.cases_dir.glob("*.yaml"))
    for path in files:
        (copy.cases_dir / path.name).write_bytes(path.read_bytes())
    (copy.cases_dir / "zz-copy.yaml").write_bytes(files[0].read_bytes())  # the last file, the first one's id
    with pytest.raises(CatalogError) as in_two:
        read_catalog(copy)
    with pytest.raises(CatalogError) as in_one:
        read_catalog(copy, cache=ParseCache())
    assert in_two.value.problems == in_one.value.problems
    assert any("已被" in problem.message for problem in in_two.value.problems)


def test_a_preview_shows_a_case_whose_only_problems_are_warnings(tmp_path):
    """A preview leaves out the cases with errors; a warning (an outcome without its quote, a claim
    for a person to check) is listed above the pages but hides no case."""
    project = copy_project(tmp_path / "repo")
    catalog, problems = read_valid_cases(project)
    warned = {Path(p.path).stem for p in problems if p.is_warning}
    assert warned and all(p.is_warning for p in problems)
    assert {case.id for case in catalog.cases} >= warned
    assert len(catalog.cases) == len(list(project.cases_dir.glob("*.yaml")))
