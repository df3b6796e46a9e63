"""The library's own cases: valid, unique, and every figure traceable to its quote."""

from casebook.catalog import check_paths, read_catalog
from casebook.numerals import same_number
from casebook.problems import format_problems
from casebook.vocabulary import load_vocabulary


def test_every_case_validates_and_ids_are_unique(project):
    catalog = read_catalog(project)  # raises with every problem if any case is invalid
    ids = [case.id for case in catalog.cases]
    assert len(ids) == len(set(ids)) == len(list(project.cases_dir.glob("*.yaml")))


def test_every_case_validates_strictly(project):
    """The curated library has no warnings either: every outcome carries its status and a quote
    that the archive holds (what `casebook validate --strict` checks)."""
    _, problems = check_paths(project, [project.cases_dir], load_vocabulary(project.taxonomy_path, project.provinces_path))
    assert problems == [], "\n" + format_problems(problems)


def test_every_metric_quote_contains_its_value(project):
    for case in read_catalog(project).cases:
        for metric in case.metrics:
            assert same_number(metric.value, metric.quote), (case.id, metric.label)
            if metric.value_max is not None:
                assert same_number(metric.value_max, metric.quote), (case.id, metric.label)


def test_every_case_cites_a_source_and_draws_a_lesson(project):
    for case in read_catalog(project).cases:
        assert case.sources and all(s.title and s.publisher for s in case.sources), case.id
        assert case.lessons and case.lessons_origin in ("原文", "编者归纳"), case.id


def test_every_case_names_the_problems_it_addresses(project):
    """Comparable cases lean on them; the schema keeps the field optional for a first draft."""
    catalog = read_catalog(project)
    named = {name for case in catalog.cases for name in case.problems}
    assert all(case.problems for case in catalog.cases)
    assert named <= {problem.name for problem in catalog.vocabulary.problems}
    # A problem no case names cannot bring two cases together.
    assert named == {problem.name for problem in catalog.vocabulary.problems}
