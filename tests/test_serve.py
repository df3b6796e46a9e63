"""Incremental preview: the plugin's dirty rebuilds (what `make serve` runs) stay exactly equal
to a full build, while rewriting only the pages that changed.

The rebuilds run in this process with one plugin instance, as `mkdocs serve --dirty` runs them
(same config loading, same `build(..., dirty=True)`); after each change the preview's folder is
compared file by file with a clean `mkdocs build` of the same project in a subprocess.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from casebook.catalog import read_catalog
from casebook.project import Project
from helpers import EXAMPLE_CASE, SITE_URL, copy_project, run_mkdocs_build

# The header search index holds only the pages a dirty build rendered (h13 retires it).
DIFFERS_IN_A_DIRTY_BUILD = {"search/search_index.json"}


class Preview:
    """`mkdocs serve --dirty` without its web server: one plugin instance, many builds."""

    def __init__(self, root: Path, site_dir: Path):
        self.root, self.site_dir = root, site_dir
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)

    def _config(self):
        # The same published address as the full builds it is compared with (CASEBOOK_SITE_URL).
        return load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), site_url=SITE_URL)

    def rebuild(self, wait_for_index: bool = True) -> dict[str, int]:
        """Build again; the output files that were written, with their modification times.

        A preview does not wait for the search index: it builds at once with the previous one,
        and the server builds again when the new index is ready (``wait_for_index``)."""
        before = _times(self.site_dir)
        config = self._config()
        build(config, dirty=True)
        job = config.plugins["casebook"].index_job
        if wait_for_index and job is not None:
            job.result()
            build(self._config(), dirty=True)
        after = _times(self.site_dir)
        return {path: time for path, time in after.items() if before.get(path) != time}


def _times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def _digests(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() not in DIFFERS_IN_A_DIRTY_BUILD}


def assert_same_as_full_build(preview: Preview, tmp_path: Path, name: str) -> None:
    reference = tmp_path / f"full-{name}"
    result = run_mkdocs_build(Project(preview.root), reference)
    assert result.returncode == 0, result.stderr
    preview_files, full_files = _digests(preview.site_dir), _digests(reference)
    assert sorted(set(preview_files) - set(full_files)) == []  # nothing stale left behind
    assert sorted(set(full_files) - set(preview_files)) == []  # nothing missing
    assert sorted(path for path in full_files if preview_files[path] != full_files[path]) == []


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "repo")
    return Preview(project.root, tmp_path / "preview")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_is_rewritten_when_nothing_changed(preview):
    written = preview.rebuild()
    assert not [path for path in written if path.startswith(("cases/", "tags/", "regions/", "packs/"))]


def test_editing_a_case_rewrites_its_pages_and_matches_a_full_build(preview, tmp_path):
    case_file = preview.root / "cases" / EXAMPLE_CASE.name
    case_id = case_file.stem
    _edit(case_file, "title: ", "title: 预览修改")
    page = preview.site_dir / "cases" / case_id / "index.html"
    written = preview.rebuild(wait_for_index=False)
    assert "预览修改" in page.read_text(encoding="utf-8")  # shown before the index is rebuilt
    written.update(preview.rebuild())
    case = next(c for c in read_catalog(Project(preview.root)).cases if c.id == case_id)
    vocabulary = read_catalog(Project(preview.root)).vocabulary
    expected = {f"cases/{case_id}/index.html", "regions/fujian/index.html",
                *(f"tags/{vocabulary.tag(tag).slug}/index.html" for tag in case.tags)}
    assert expected <= set(written)
    # An unrelated page was not rendered again: the preview is incremental.
    untouched = [p for p in _times(preview.site_dir) if p.startswith("cases/") and p not in written]
    assert untouched
    assert_same_as_full_build(preview, tmp_path, "edited")


def test_adding_and_deleting_cases_leaves_no_stale_page(preview, tmp_path):
    data = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    data["id"] = "jinjiang-preview-copy"
    data["title"] = "预览新增的案例"
    (preview.root / "cases" / "jinjiang-preview-copy.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    preview.rebuild()
    added = preview.site_dir / "cases" / "jinjiang-preview-copy" / "index.html"
    assert "预览新增的案例" in added.read_text(encoding="utf-8")
    assert "预览新增的案例" in (preview.site_dir / "regions" / "fujian" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(preview, tmp_path, "added")

    (preview.root / "cases" / "jinjiang-preview-copy.yaml").unlink()
    removed = sorted((preview.root / "cases").glob("*.yaml"))[0]
    removed.unlink()
    preview.rebuild()
    assert not added.exists() and not added.parent.exists()
    assert not (preview.site_dir / "cases" / removed.stem).exists()
    assert not (preview.site_dir / "api" / "cases" / f"{removed.stem}.json").exists()
    assert_same_as_full_build(preview, tmp_path, "deleted")


def test_a_taxonomy_change_reaches_the_tag_pages(preview, tmp_path):
    taxonomy = preview.root / "data" / "taxonomy.yaml"
    _edit(taxonomy, "description: 用积分记录和激励参与", "description: 预览修改：用积分记录和激励参与")
    written = preview.rebuild()
    assert "tags/points-system/index.html" in written
    assert "预览修改" in (preview.site_dir / "tags" / "points-system" / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(preview, tmp_path, "taxonomy")


def test_a_broken_case_stops_the_rebuild_and_the_next_good_one_recovers(preview, tmp_path, caplog):
    case_file = preview.root / "cases" / EXAMPLE_CASE.name
    good = case_file.read_text(encoding="utf-8")
    case_file.write_text(good.replace("level: 县", "level: 县级"), encoding="utf-8")
    with pytest.raises(Abort):
        build(preview._config(), dirty=True)
    assert "案例检查未通过" in caplog.text and "level" in caplog.text
    case_file.write_text(good.replace("title: ", "title: 修好了", 1), encoding="utf-8")
    preview.rebuild()
    assert "修好了" in (preview.site_dir / "cases" / case_file.stem / "index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(preview, tmp_path, "recovered")
