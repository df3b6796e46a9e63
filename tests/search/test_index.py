"""The index on disk: rebuilt exactly when what it is built from changes, weighted by field."""

from __future__ import annotations

import dataclasses
from unittest import mock

import pytest

from casebook import index
from casebook.index import CaseIndex, ensure_index


def test_index_is_rebuilt_only_when_its_inputs_change(project, catalog, tmp_path):
    index_dir = tmp_path / "index"
    assert ensure_index(catalog, index_dir, project.dictionary_path)
    assert not ensure_index(catalog, index_dir, project.dictionary_path)
    first, *others = catalog.cases
    edited = dataclasses.replace(catalog, cases=(dataclasses.replace(first, title=first.title + "（修订）"), *others))
    assert ensure_index(edited, index_dir, project.dictionary_path)
    with mock.patch.dict(index.FIELD_BOOSTS, {"title": 1.0}):
        assert ensure_index(edited, index_dir, project.dictionary_path)
    with mock.patch.object(index, "BM25_K1", 1.2):
        assert ensure_index(edited, index_dir, project.dictionary_path)


def test_field_weights_decide_which_mentions_count(project, catalog, tmp_path):
    """Weighting one field far above the others ranks the cases that mention the word there
    first: the weights reach the ranking, and are not lost in the single weighted field."""
    def top(boosts: dict[str, float], word: str, count: int) -> set[str]:
        index_dir = tmp_path / "-".join(f"{weight:g}" for weight in boosts.values())
        with mock.patch.dict(index.FIELD_BOOSTS, boosts):
            ensure_index(catalog, index_dir, project.dictionary_path)
        case_index = CaseIndex(index_dir)
        try:
            return {hit.id for hit in case_index.search(word, limit=count)}
        finally:
            case_index.close()

    word = "网格"
    in_titles = {case.id for case in catalog.cases if word in case.title}
    in_bodies = {case.id for case in catalog.cases if word in index.field_texts(case, {})["body"]}
    assert len(in_titles) >= 3 and in_bodies - in_titles
    faint = dict.fromkeys(index.FIELD_BOOSTS, 0.01)
    assert top({**faint, "title": 10.0}, word, len(in_titles)) == in_titles
    assert top({**faint, "body": 10.0}, word, len(in_titles)) != in_titles


def test_a_failed_build_keeps_the_previous_index_usable(project, catalog, tmp_path, capfd):
    index_dir = tmp_path / "index"
    ensure_index(catalog, index_dir, project.dictionary_path)

    def crash_midway(catalog, directory):  # runs in the child process that builds the index
        (directory / "MAIN_WRITELOCK").write_text("half-written")
        raise OSError("No space left on device")

    first, *others = catalog.cases
    edited = dataclasses.replace(catalog, cases=tuple(others))
    with mock.patch.object(index, "_write_index", crash_midway), pytest.raises(index.IndexBuildFailed):
        ensure_index(edited, index_dir, project.dictionary_path)
    assert "No space left on device" in capfd.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index"]
    case_index = CaseIndex(index_dir)
    try:
        assert first.id in [hit.id for hit in case_index.search(first.title, limit=1)]
    finally:
        case_index.close()
