"""A folder is replaced whole or not at all."""

import pytest

from casebook.staging import staged_directory


def test_success_replaces_the_folder(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    with staged_directory(target) as staging:
        (staging / "new.html").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_failure_leaves_the_old_folder_and_no_debris(tmp_path):
    target = tmp_path / "index"
    target.mkdir()
    (target / "segment").write_text("usable")
    with pytest.raises(RuntimeError), staged_directory(target) as staging:
        (staging / "segment").write_text("half")
        raise RuntimeError("crash mid-build")
    assert (target / "segment").read_text() == "usable"
    assert [p.name for p in tmp_path.iterdir()] == ["index"]
