"""Incremental preview: the plugin's dirty rebuilds (what `make serve` runs) stay exactly equal
to a full build, while rewriting only the pages that changed.

The rebuilds run in this process with one plugin instance, as `mkdocs serve --dirty` runs them
(same config loading, same `build(..., dirty=True)`); after each change the preview's folder is
compared file by file with a clean `mkdocs build` of the same project in a subprocess.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from mkdocs.commands.build import build
from mkdocs.config import load_config

from casebook.catalog import read_catalog
from casebook.finder import PREVIEW_VERSION
from casebook.project import Project
from casebook.render import PREVIEW_PROBLEMS
from casebook.routes import CONTENT_HASH_LENGTH, route
from casebook.schema import SCHEMA_PATH
from casebook_mkdocs import plugin as casebook_plugin
from helpers import (
    EXAMPLE_CASE,
    SITE_URL,
    ServedPreview,
    built_folder,
    built_page,
    copy_project,
    page_address,
    run_mkdocs_build,
)

# The header search index holds only the pages a dirty build rendered (h13 retires it).
DIFFERS_IN_A_DIRTY_BUILD = {"search/search_index.json"}
# What only a preview has: the problems banner, and its place in every page.
PREVIEW_SLOT = re.compile(rb'<div class="cb-preview-problems-slot"[^>]*></div>')
# A build names the generated scripts and the search index's folder by their content (cache
# busting, see casebook_mkdocs.plugin); a preview keeps plain names. Compared under the plain names.
_GENERATED_STEMS = b"|".join(re.escape(b"/" + path.rpartition("/")[2].removesuffix(".js").encode())
                             for path in casebook_plugin.GENERATED_SCRIPTS)
CONTENT_NAMED = re.compile(rb"(%s)\.[0-9a-f]{%d}\.js|(finder-index/)[0-9a-f]{%d}/"
                           % (_GENERATED_STEMS, CONTENT_HASH_LENGTH, CONTENT_HASH_LENGTH))


def _plain_names(data: bytes) -> bytes:
    return CONTENT_NAMED.sub(lambda found: found[1] + b".js" if found[1] else found[2] + PREVIEW_VERSION.encode() + b"/",
                             data)


class Preview:
    """`mkdocs serve --dirty` without its web server: one plugin instance, many builds."""

    def __init__(self, root: Path, site_dir: Path):
        self.root, self.site_dir = root, site_dir
        self.plugins = self._config().plugins  # the server keeps these instances across its builds
        self.plugins.on_startup(command="serve", dirty=True)
        build(self._config(), dirty=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        # As the server does when it stops: the plugin undoes what it set process-wide.
        self.plugins.on_shutdown()

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
        job = config.plugins["casebook"].state.index_job
        if wait_for_index and job is not None:
            job.result()
            build(self._config(), dirty=True)
        after = _times(self.site_dir)
        return {path: time for path, time in after.items() if before.get(path) != time}


def _times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def _digests(site: Path, preview: bool = False) -> dict[str, str]:
    digests = {}
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or name in DIFFERS_IN_A_DIRTY_BUILD or (preview and name == PREVIEW_PROBLEMS):
            continue
        data = path.read_bytes()
        if preview:
            data = PREVIEW_SLOT.sub(b"", data) if path.suffix == ".html" else data
        else:
            name, data = _plain_names(b"/" + name.encode()).decode()[1:], _plain_names(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def assert_same_as_full_build(preview: Preview, tmp_path: Path, name: str) -> None:
    reference = tmp_path / f"full-{name}"
    result = run_mkdocs_build(Project(preview.root), reference)
    assert result.returncode == 0, result.stderr
    preview_files, full_files = _digests(preview.site_dir, preview=True), _digests(reference)
    assert sorted(set(preview_files) - set(full_files)) == []  # nothing stale left behind
    assert sorted(set(full_files) - set(preview_files)) == []  # nothing missing
    assert sorted(path for path in full_files if preview_files[path] != full_files[path]) == []


@pytest.fixture
def preview(tmp_path, index_dir):
    project = copy_project(tmp_path / "repo")
    # As a contributor's checkout after `make build`: the preview starts with a current index.
    shutil.copytree(index_dir, project.index_dir)
    with Preview(project.root, tmp_path / "preview") as preview:
        yield preview


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_is_rewritten_when_nothing_changed(preview):
    written = preview.rebuild()
    pages = tuple(built_folder(kind) for kind in ("case", "tag", "province", "pack"))
    assert not [path for path in written if path.startswith(pages)]


def test_editing_a_case_rewrites_its_pages_and_matches_a_full_build(preview, tmp_path):
    case_file = preview.root / "cases" / EXAMPLE_CASE.name
    case_id = case_file.stem
    _edit(case_file, "title: ", "title: 预览修改")
    page = preview.site_dir / built_page(route("case", case_id))
    written = preview.rebuild(wait_for_index=False)
    assert "预览修改" in page.read_text(encoding="utf-8")  # shown before the index is rebuilt
    written.update(preview.rebuild())
    case = next(c for c in read_catalog(Project(preview.root)).cases if c.id == case_id)
    vocabulary = read_catalog(Project(preview.root)).vocabulary
    expected = {built_page(route("case", case_id)), built_page(route("province", "fujian")),
                *(built_page(route("tag", vocabulary.tag(tag).slug)) for tag in case.tags)}
    assert expected <= set(written)
    # An unrelated page was not rendered again: the preview is incremental.
    untouched = [p for p in _times(preview.site_dir) if p.startswith(built_folder("case")) and p not in written]
    assert untouched
    assert_same_as_full_build(preview, tmp_path, "edited")


def test_adding_and_deleting_cases_leaves_no_stale_page(preview, tmp_path):
    data = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    data["id"] = "jinjiang-preview-copy"
    data["title"] = "预览新增的案例"
    (preview.root / "cases" / "jinjiang-preview-copy.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    preview.rebuild()
    added = preview.site_dir / built_page(route("case", "jinjiang-preview-copy"))
    assert "预览新增的案例" in added.read_text(encoding="utf-8")
    assert "预览新增的案例" in (preview.site_dir / built_page(route("province", "fujian"))).read_text(encoding="utf-8")
    assert_same_as_full_build(preview, tmp_path, "added")

    (preview.root / "cases" / "jinjiang-preview-copy.yaml").unlink()
    removed = sorted((preview.root / "cases").glob("*.yaml"))[0]
    removed.unlink()
    preview.rebuild()
    assert not added.exists() and not added.parent.exists()
    assert not (preview.site_dir / built_page(route("case", removed.stem))).parent.exists()
    assert not (preview.site_dir / route("case_json", removed.stem)).exists()
    assert_same_as_full_build(preview, tmp_path, "deleted")


def test_a_taxonomy_change_reaches_the_tag_pages(preview, tmp_path):
    taxonomy = preview.root / "data" / "taxonomy.yaml"
    _edit(taxonomy, "description: 用积分记录和激励参与", "description: 预览修改：用积分记录和激励参与")
    written = preview.rebuild()
    assert built_page(route("tag", "points-system")) in written
    assert "预览修改" in (preview.site_dir / built_page(route("tag", "points-system"))).read_text(encoding="utf-8")
    assert_same_as_full_build(preview, tmp_path, "taxonomy")


def test_a_broken_case_keeps_the_last_good_pages_and_the_next_good_one_recovers(preview, tmp_path, caplog):
    case_file = preview.root / "cases" / EXAMPLE_CASE.name
    good = case_file.read_text(encoding="utf-8")
    page = preview.site_dir / built_page(route("case", case_file.stem))
    shown = page.read_text(encoding="utf-8")
    banner = preview.site_dir / PREVIEW_PROBLEMS
    assert banner.read_text(encoding="utf-8") == ""
    case_file.write_text(re.sub(r"(?m)^level: .*$", "level: 县级", good, count=1), encoding="utf-8")
    caplog.set_level(logging.INFO, "mkdocs.plugins.casebook")
    written = preview.rebuild()
    assert "案例检查未通过" in caplog.text and "level" in caplog.text
    assert f"cases/{case_file.name}:" in banner.read_text(encoding="utf-8")
    assert page.read_text(encoding="utf-8") == shown
    pages = tuple(built_folder(kind) for kind in ("case", "tag", "province", "case_json"))
    assert not [path for path in written if path.startswith(pages)]
    case_file.write_text(good.replace("title: ", "title: 修好了", 1), encoding="utf-8")
    preview.rebuild()
    assert "修好了" in page.read_text(encoding="utf-8")
    assert banner.read_text(encoding="utf-8") == ""
    assert_same_as_full_build(preview, tmp_path, "recovered")


def _validator_lines(project: Project) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "validate"], cwd=project.root,
                            capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() if line.startswith("cases/")]


def _without_reload_call(html: str) -> str:
    """A served page without the build and request numbers the server's reload script carries."""
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", html)


def test_a_served_preview_lists_the_problems_on_every_page_and_never_stops(tmp_path):
    """`make serve` started with a broken case shows the cases that pass, with the validator's
    lines above every page; a fix removes them; a later mistake keeps the last good pages."""
    project = copy_project(tmp_path / "repo")
    broken, other = sorted(project.cases_dir.glob("*.yaml"))[:2]
    good = broken.read_text(encoding="utf-8")
    broken.write_text(re.sub(r"(?m)^level: .*$", "level: 县级", good, count=1), encoding="utf-8")
    # The broken file's lines (the library's other cases may have warnings of their own).
    lines = [line for line in _validator_lines(project) if line.startswith(f"cases/{broken.name}:")]
    assert lines
    # A build (CI, `casebook build`) still stops, with every problem.
    build = run_mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0 and all(line in build.stderr for line in lines)

    with ServedPreview(project) as preview:
        banner = preview.get(PREVIEW_PROBLEMS)
        assert all(str(escape(line)) in banner for line in lines)
        assert "预览只显示通过检查的案例" in banner
        for page in (page_address(route("home")), page_address(route("page", "about")),
                     page_address(route("case", other.stem))):
            to_root = "../" * page.count("/")
            assert f'data-cb-preview-problems="{to_root}{PREVIEW_PROBLEMS}"' in preview.get(page)
        broken_page = page_address(route("case", broken.stem))
        assert preview.get(broken_page) is None

        broken.write_text(good, encoding="utf-8")
        preview.wait_for(lambda: preview.get(PREVIEW_PROBLEMS) == "", "the fixed file to clear the banner")
        page = _without_reload_call(preview.get(broken_page))

        # A field name written as HTML is shown as text, and the last good pages stay.
        broken.write_text(good.rstrip("\n") + '\n"<img src=x onerror=alert(1)>": 1\n', encoding="utf-8")
        preview.wait_for(lambda: preview.get(PREVIEW_PROBLEMS), "the banner of the new problem")
        banner = preview.get(PREVIEW_PROBLEMS)
        assert "<img" not in banner and "&lt;img src=x onerror=alert(1)&gt;" in banner
        assert all(str(escape(line)) in banner for line in _validator_lines(project)
                   if line.startswith(f"cases/{broken.name}:"))
        assert "预览仍显示最近一次通过检查的版本" in banner
        assert _without_reload_call(preview.get(broken_page)) == page
        assert preview.process.poll() is None


def test_a_preview_started_with_a_broken_taxonomy_serves_and_recovers(tmp_path, index_dir):
    """No case can be checked without the taxonomy: the preview starts with no case and the
    banner, and shows every case once the taxonomy is fixed."""
    project = copy_project(tmp_path / "repo")
    shutil.copytree(index_dir, project.index_dir)  # the index of the fixed taxonomy
    taxonomy = project.root / "data" / "taxonomy.yaml"
    good = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(good.replace("\n    slug: ", "\n    slug: Not A Slug ", 1), encoding="utf-8")
    with Preview(project.root, tmp_path / "preview") as preview:
        banner = (preview.site_dir / PREVIEW_PROBLEMS).read_text(encoding="utf-8")
        assert "data/taxonomy.yaml" in banner and "Not A Slug" in banner
        assert not (preview.site_dir / built_folder("case")).exists()
        taxonomy.write_text(good, encoding="utf-8")
        preview.rebuild()
        assert (preview.site_dir / PREVIEW_PROBLEMS).read_text(encoding="utf-8") == ""
        assert_same_as_full_build(preview, tmp_path, "taxonomy-fixed")


def test_an_edited_schema_or_program_asks_for_a_restart(tmp_path, index_dir, monkeypatch):
    """The schema and the program are read once, when the preview starts: a rebuild cannot take an
    edit of them in, so the banner names the file and says to restart, instead of showing the
    old fields as if they were the new ones."""
    program = tmp_path / "program"
    program.mkdir()
    schema = program / SCHEMA_PATH.name
    shutil.copy2(SCHEMA_PATH, schema)
    monkeypatch.setattr(casebook_plugin, "READ_AT_START", (program,))
    project = copy_project(tmp_path / "repo")
    shutil.copytree(index_dir, project.index_dir)
    with Preview(project.root, tmp_path / "preview") as preview:
        banner = preview.site_dir / PREVIEW_PROBLEMS
        preview.rebuild()
        assert banner.read_text(encoding="utf-8") == ""
        schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        os.utime(schema, ns=(schema.stat().st_atime_ns, schema.stat().st_mtime_ns + 1_000_000))
        preview.rebuild()
        text = banner.read_text(encoding="utf-8")
        assert SCHEMA_PATH.name in text and "make serve" in text and "Ctrl+C" in text


def _make_serve(port, bin_dir: Path | None = None) -> subprocess.CompletedProcess:
    """`make serve PORT=…` in the repository, its install step taken as done (``-o``)."""
    command = ["make", "-s", "-o", ".venv/.installed", "serve", f"PORT={port}"]
    if bin_dir:
        command.append(f"BIN={bin_dir}")
    return subprocess.run(command, cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True,
                          timeout=120)


def test_make_serve_takes_another_port(tmp_path):
    # mkdocs stood in by a script printing its arguments: the port reaches it, the check passes.
    (tmp_path / "python").symlink_to(sys.executable)
    fake = tmp_path / "mkdocs"
    fake.write_text('#!/bin/sh\necho "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _make_serve(port, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"serve --livereload --dirty --dev-addr 127.0.0.1:{port}"


def test_make_serve_on_a_busy_port_says_so_in_one_line_and_suggests_another(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _make_serve(port)
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert ours == [f"端口 {port} 已被占用（也许另一个预览还开着）：换一个端口，如 make serve PORT={port + 1}"]
