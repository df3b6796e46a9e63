"""A contributor's case lands green: the repository's library grown by a new case, a new source and
a new tag (tests/fixtures/growth) still passes every library invariant and the strict build, and
the new case is on its pages, in the downloads and in the finder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casebook.catalog import read_catalog
from casebook.routes import route
from helpers import ROOT, built_page, copy_project, read_page, run_mkdocs_build
from library_checks import broken_links, case_problems, missing_from_site, oversized_pages

GROWTH = Path(__file__).with_name("fixtures") / "growth"


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy of the repository's library with the growth case, source and tag added."""
    project = copy_project(tmp_path_factory.mktemp("grown") / "repo", library=ROOT)
    for folder in ("cases", "sources"):
        for path in (GROWTH / folder).iterdir():
            shutil.copy2(path, project.root / folder / path.name)
    taxonomy = yaml.safe_load(project.taxonomy_path.read_text(encoding="utf-8"))
    taxonomy["tags"].append(yaml.safe_load((GROWTH / "tag.yaml").read_text(encoding="utf-8")))
    project.taxonomy_path.write_text(yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def test_the_grown_library_validates(grown):
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "validate", "--strict"], cwd=grown.root,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    catalog = read_catalog(grown, strict=True)
    case_files = [path for path in grown.cases_dir.glob("*.yaml") if not path.name.startswith("_")]
    assert case_problems(catalog, case_files) == []
    assert len(catalog.cases) == len(list((ROOT / "cases").glob("[!_]*.yaml"))) + 1


def test_the_grown_library_builds_with_the_new_case_everywhere(grown, tmp_path):
    site = tmp_path / "site"
    result = run_mkdocs_build(grown, site)
    assert result.returncode == 0, result.stderr
    catalog = read_catalog(grown)
    assert missing_from_site(catalog, site) == []
    assert broken_links(site) == [] and oversized_pages(site) == []
    assert (site / built_page(route("tag", "growth-test-yuanba"))).exists()
    assert "growth-test-yuanba-deliberation" in read_page(site, route("province", "sichuan"))
