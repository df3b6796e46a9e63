"""A folder is replaced whole or not at all."""

import os
import subprocess
import sys

import pytest

from casebook.staging import staged_directory
from helpers import ROOT


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


def test_a_staging_folder_whose_process_died_is_removed_at_the_next_start(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid now names no process
    abandoned = tmp_path / f".site.new-{dead.pid}-abc123"
    in_use = tmp_path / f".site.new-{os.getpid()}-def456"  # a build still running (this one)
    for folder in (abandoned, in_use):
        folder.mkdir()
        (folder / "index.html").write_text("half")
    with staged_directory(tmp_path / "site") as staging:
        assert staging.name.startswith(f".site.new-{os.getpid()}-")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([in_use.name, "site"])


def test_git_ignores_the_staging_folders_meanwhile():
    names = [".site.new-123-abc/index.html", ".site-offline.new-9-x/a.html", ".site.old/index.html"]
    result = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.split() == names, result.stderr
