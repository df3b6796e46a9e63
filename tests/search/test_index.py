"""The index on disk: rebuilt exactly when what it is built from changes, weighted by field."""

from __future__ import annotations

import dataclasses
from unittest import mock

import pytest

from casebook import index
from casebook.catalog import read_catalog
from casebook.comparables import read_key_terms
from casebook.config import casebook_config
from casebook.index import CaseIndex, catalog_hash, ensure_index, index_is_current
from helpers import copy_project


def with_search(catalog, **settings):
    """The catalog with other search settings (casebook.config.SearchSettings)."""
    return dataclasses.replace(catalog, config=casebook_config({"search": settings}))


def test_index_is_rebuilt_only_when_its_inputs_change(catalog, tmp_path):
    """Built once, the index is current until a case, the taxonomy, the dictionary or a search
    setting changes; then it is built again (the other changes are checked as ensure_index
    checks them, against the index on disk, without building each)."""
    project = copy_project(tmp_path / "repo")
    index_dir = tmp_path / "index"
    assert ensure_index(read_catalog(project), index_dir, project.dictionary_path)
    assert not ensure_index(read_catalog(project), index_dir, project.dictionary_path)

    def current(changed_catalog=None) -> bool:
        return index_is_current(changed_catalog or read_catalog(project), index_dir, project.dictionary_path)

    original = read_catalog(project)
    assert not current(with_search(original, field_weights={"title": 1.0}))
    assert not current(with_search(original, k1=1.2))
    assert not current(with_search(original, tag_mention_bonus=0))
    assert current(dataclasses.replace(original, config=casebook_config({"parallel": {"analyse_from": 1}})))
    with project.taxonomy_path.open("a", encoding="utf-8") as taxonomy:
        taxonomy.write("\n# a comment changes the file's bytes\n")
    assert not current()
    with project.dictionary_path.open("a", encoding="utf-8") as dictionary:
        dictionary.write("格姐 10 n\n")
    assert not current()
    case_file = sorted(project.cases_dir.glob("*.yaml"))[0]
    case_file.write_text(case_file.read_text(encoding="utf-8").replace("title: ", "title: 修订", 1), encoding="utf-8")
    assert not current()
    assert ensure_index(read_catalog(project), index_dir, project.dictionary_path)
    assert current()


def test_texts_analysed_in_a_pool_give_the_same_index(project, catalog, index_dir, tmp_path):
    """A large library's texts are segmented in a pool of processes: the same key terms and the
    same ranking as one process gives (here the pool is used from one case on)."""
    pooled = tmp_path / "pooled"
    in_pool = dataclasses.replace(catalog, config=casebook_config({"parallel": {"analyse_from": 1}}))
    assert ensure_index(in_pool, pooled, project.dictionary_path)
    assert read_key_terms(pooled) == read_key_terms(index_dir)
    for query in ("网格", "积分制", "调解"):
        assert ranking(pooled, query) == ranking(index_dir, query)


def ranking(index_dir, query: str) -> list[tuple[str, float]]:
    case_index = CaseIndex(index_dir)
    try:
        return [(hit.id, round(hit.score, 6)) for hit in case_index.search(query, limit=10)]
    finally:
        case_index.close()


def test_the_same_cases_hash_the_same_from_any_folder_or_working_directory(project, tmp_path, monkeypatch):
    """The hash covers the files' bytes and their paths within the project, not where the
    project lives or where the command runs."""
    copy = copy_project(tmp_path / "elsewhere")
    monkeypatch.chdir(tmp_path)
    assert catalog_hash(read_catalog(copy), copy.dictionary_path) == \
        catalog_hash(read_catalog(project), project.dictionary_path)
    (copy.cases_dir / "_notes.txt").write_text("ignored", encoding="utf-8")  # not a case: no change
    assert catalog_hash(read_catalog(copy), copy.dictionary_path) == \
        catalog_hash(read_catalog(project), project.dictionary_path)


def test_field_weights_decide_which_mentions_count(project, catalog, tmp_path):
    """Weighting one field far above the others ranks the cases that mention the word there
    first: the weights reach the ranking, and are not lost in the single weighted field."""
    def top(boosts: dict[str, float], word: str, count: int) -> set[str]:
        index_dir = tmp_path / "-".join(f"{weight:g}" for weight in boosts.values())
        ensure_index(with_search(catalog, field_weights=boosts), index_dir, project.dictionary_path)
        case_index = CaseIndex(index_dir)
        try:
            return {hit.id for hit in case_index.search(word, limit=count)}
        finally:
            case_index.close()

    word = "网格"
    in_titles = {case.id for case in catalog.cases if word in case.title}
    in_backgrounds = {case.id for case in catalog.cases if word in index.field_texts(case, {})["background"]}
    assert len(in_titles) >= 3 and in_backgrounds - in_titles
    faint = dict.fromkeys(catalog.config.search.field_weights, 0.01)
    assert top({**faint, "title": 10.0}, word, len(in_titles)) == in_titles
    assert top({**faint, "background": 10.0}, word, len(in_titles)) != in_titles


def crash_midway(catalog, directory, dictionary):
    """Stands in for index._write_index in the worker process: fails after writing a little."""
    (directory / "MAIN_WRITELOCK").write_text("half-written")
    raise OSError("No space left on device")


def test_a_failed_build_keeps_the_previous_index_usable(project, catalog, tmp_path):
    index_dir = tmp_path / "index"
    ensure_index(catalog, index_dir, project.dictionary_path)
    first, *others = catalog.cases
    edited = dataclasses.replace(catalog, cases=tuple(others), fingerprint="another")
    with mock.patch.object(index, "_write_index", crash_midway), \
            pytest.raises(index.IndexBuildFailed, match="OSError: No space left on device") as failed:
        ensure_index(edited, index_dir, project.dictionary_path)
    # The worker's own exception, with the worker's traceback, is chained to the one raised here.
    assert isinstance(failed.value.__cause__, OSError)
    assert "crash_midway" in str(failed.value.__cause__.__cause__)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index"]
    case_index = CaseIndex(index_dir)
    try:
        assert first.id in [hit.id for hit in case_index.search(first.title, limit=1)]
    finally:
        case_index.close()


def test_key_terms_reach_the_caller_before_the_index_is_in_place(project, catalog, tmp_path):
    """A site build renders its pages with the key terms while the Whoosh index is still being
    written: they arrive before the index folder exists, and equal the ones it then holds."""
    index_dir = tmp_path / "index"
    received = []

    def on_key_terms(key_terms):
        received.append((key_terms, (index_dir / "catalog.sha256").exists()))

    assert ensure_index(catalog, index_dir, project.dictionary_path, on_key_terms=on_key_terms)
    [(key_terms, index_was_there)] = received
    assert not index_was_there
    assert key_terms == read_key_terms(index_dir)
    assert set(key_terms) == {case.id for case in catalog.cases} and all(key_terms.values())
