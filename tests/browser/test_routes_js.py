"""routes.js, the route table in the build's form, run in Chromium: for every kind of page and
file and every one the fixture library's build made, the address the scripts compute leads to
a file of the build, with directory URLs (served) and in the offline build (opened from disk)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from casebook.catalog import read_catalog
from casebook.finder import hand_written_pages
from casebook.pipeline import site_outputs
from casebook.routes import ROUTES, keys_of, match, route
from casebook_mkdocs.pages import file_links

# A tag's further listing pages exist only for a tag with more cases than one page lists, which
# the fixture library has not: tests/test_growth.py builds such a library.
ONLY_IN_LARGE_LIBRARIES = {"tag_page"}


@pytest.fixture(scope="module")
def made(project) -> list[tuple[str, dict]]:
    """(kind, keys) of every page and file the build makes, hand-written pages included."""
    hand_written = hand_written_pages(project.root / "docs", project.contributing_path)
    outputs = site_outputs(read_catalog(project), file_links(True), hand_written=hand_written)
    paths = [*outputs.pages, *outputs.files, *(route("page", page.path) for page in hand_written),
             *(path.relative_to(project.root / "docs").as_posix() for path in (project.root / "docs").rglob("*.md"))]
    # A fixed address (tags/index.md) is no instance of a pattern it happens to fit (tags/{slug}.md).
    fixed = {pattern for kind, pattern in ROUTES.items() if not keys_of(kind)}
    return sorted({(kind, tuple(sorted(keys.items()))) for path in paths for kind in ROUTES
                   if (keys := match(kind, path)) is not None and (path not in fixed or not keys)})


def test_the_fixture_library_makes_every_kind(made):
    assert {kind for kind, _ in made} == set(ROUTES) - ONLY_IN_LARGE_LIBRARIES


@pytest.mark.parametrize("build", ["directory", "offline"])
def test_routes_js_leads_to_a_file_of_the_build(page, request, made, build):
    site: Path = request.getfixturevalue("built_site" if build == "directory" else "offline_site")
    root = request.getfixturevalue("site_url") if build == "directory" else site.as_uri() + "/"
    page.goto(root + ("" if build == "directory" else "index.html"))
    urls = page.evaluate("""made => new Promise(resolve => casebook.define("probe", ["routes"], routes =>
        resolve(made.map(([kind, keys]) => routes.url(kind, Object.fromEntries(keys))))))""",
                         [[kind, [list(pair) for pair in keys]] for kind, keys in made])
    missing = []
    for (kind, keys), url in zip(made, urls, strict=True):
        assert url.startswith(root), url
        target = site / unquote(url.removeprefix(root).split("?")[0])
        if target.is_dir():
            assert build == "directory", url  # the offline build addresses files, never folders
            target = target / "index.html"
        if not target.is_file():
            missing.append(f"{kind} {dict(keys)} -> {url}")
    assert missing == []
    assert page.console_errors == []
