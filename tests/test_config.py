"""The casebook's settings (casebook.config): read from mkdocs.yml by the build and the command
alike, reaching every stage from one object, and undone with the plugin's lifetime."""

from __future__ import annotations

import gc
import json
import logging
import re
import subprocess
import sys
import time

from mkdocs.config import load_config

from casebook.catalog import read_catalog
from casebook.finder import finder_files
from casebook.index import CaseIndex, ensure_index
from casebook.page_kinds import render_site
from casebook.project import Project
from casebook.routes import match, route
from helpers import copy_project

SETTINGS = """\
  - casebook:
      pages: {cases_per_tag_page: 1}
      search: {k1: 3, tag_mention_bonus: 2.5, field_weights: {title: 9}}
      comparables: {shown: 1}
"""


def write_settings(project: Project, settings: str) -> None:
    """The casebook plugin's entry in the project's mkdocs.yml replaced by ``settings``."""
    mkdocs_yml = project.root / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    mkdocs_yml.write_text(re.sub(r"^  - casebook\b.*\n(?:    .*\n)*", settings, text, count=1, flags=re.M), encoding="utf-8")


def test_settings_in_mkdocs_yml_reach_every_stage(tmp_path):
    write_settings(copy_project(tmp_path / "repo"), SETTINGS)
    project = Project.find(tmp_path / "repo")
    catalog = read_catalog(project)
    assert catalog.config.search.k1 == 3 and catalog.config.search.field_weights["title"] == 9
    assert catalog.config.search.b == 0.75  # what is not set keeps its default
    # A tag with two cases is listed over two pages.
    tag = next(tag for tag in catalog.vocabulary.tags if sum(tag.name in case.tags for case in catalog.cases) >= 2)
    assert route("tag_page", tag.slug, 2) in render_site(catalog, None, lambda source, target: target)
    # The browser's engine and Whoosh rank with the same values.
    meta_script = next(text for path, text in finder_files(catalog).items()
                       if (match("finder_index", path) or {}).get("path") == "meta")
    meta = json.loads(re.search(r'receiveIndex\("meta",(.*)\);', meta_script, re.S).group(1))
    ensure_index(catalog, tmp_path / "index", project.dictionary_path)
    case_index = CaseIndex(tmp_path / "index")
    try:
        assert case_index.settings == dict(catalog.config.search)
    finally:
        case_index.close()
    assert meta["tag_mention_bonus"] == case_index.settings["tag_mention_bonus"] == 2.5
    assert meta["coverage_weight"] == case_index.settings["coverage_weight"]


def test_the_command_reads_the_same_settings_and_names_a_wrong_one(tmp_path):
    project = copy_project(tmp_path / "repo")
    write_settings(project, "  - casebook:\n      search: {k1: 很大}\n")
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "validate"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "casebook 插件的设置有误" in result.stderr and "'k1': 应是不小于 0 的数，写的是 '很大'" in result.stderr
    write_settings(project, "  - casebook:\n      search: {kl: 3}\n")
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "validate"], cwd=project.root,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "没有名为 search.kl 的设置" in result.stderr


def test_a_preview_leaves_no_log_filter_or_frozen_objects_behind(tmp_path, monkeypatch):
    """What `mkdocs serve --dirty` sets process-wide (a log filter, the garbage collector's freeze
    after the first build) is undone when the server stops."""
    project = copy_project(tmp_path / "repo")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("CASEBOOK_OFFLINE", "false")
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build_log = logging.getLogger("mkdocs.commands.build")
    filters_before = list(build_log.filters)
    from mkdocs.commands.build import build

    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        assert len(build_log.filters) == len(filters_before) + 1
        deadline = time.monotonic() + 30
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.2)  # the first build's survivors are set aside a moment after it
        assert gc.get_freeze_count() > 0
    finally:
        config.plugins.on_shutdown()
    assert build_log.filters == filters_before and gc.get_freeze_count() == 0
