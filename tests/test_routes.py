"""The route table (casebook.routes): the address of every kind of page and file is declared once,
and a build with directory URLs and the offline build (`make offline`) both link only to files
they wrote. What the browser's scripts make of the table is checked in tests/browser/test_routes_js.py."""

from __future__ import annotations

import dataclasses

import pytest

from casebook.catalog import read_catalog
from casebook.finder import finder_files, index_version
from casebook.routes import RESERVED_NAMES, ROUTES, ROUTES_SCRIPT, content_named, keys_of, match, route, tag_route
from helpers import read_page
from library_checks import broken_links


@pytest.mark.parametrize("build", ["built_site", "offline_site"])
def test_every_link_of_either_build_leads_to_a_file_it_wrote(request, build):
    assert broken_links(request.getfixturevalue(build)) == []


def test_a_route_is_filled_by_its_keys_in_order_and_read_back():
    for kind in ROUTES:
        keys = [f"k{number}" for number in range(len(keys_of(kind)))]
        assert match(kind, route(kind, *keys)) == dict(zip(keys_of(kind), keys, strict=True))
    assert route("citation", "a-case", "bib") == "cite/a-case.bib"


def test_a_route_with_missing_keys_is_refused():
    with pytest.raises(TypeError, match="case"):
        route("case")


def test_a_tag_lists_its_first_cases_on_its_own_page_and_the_rest_below_it():
    assert tag_route("grid", 1) == route("tag", "grid")
    assert tag_route("grid", 2) == route("tag_page", "grid", 2)
    assert match("tag", tag_route("grid", 2)) is None


def test_the_search_index_folder_is_named_by_its_content(project):
    catalog = read_catalog(project)
    version = index_version(finder_files(catalog))
    assert index_version(finder_files(catalog)) == version
    assert index_version(finder_files(dataclasses.replace(catalog, cases=catalog.cases[1:]))) != version


def test_pages_load_the_generated_scripts_by_their_content_names(built_site):
    scripts = built_site / "assets" / "javascripts"
    # fields.js is a script of the compare page only, submission-*.js of the submit page; the others
    # are on every page.
    for plain, page in (("routes.js", "finder"), ("folding.js", "finder"), ("fields.js", "compare"),
                        ("submission-rules.js", "submit"), ("submission-library.js", "submit")):
        assert not (scripts / plain).exists()
        (named,) = scripts.glob(plain.replace(".js", ".*.js"))
        assert named.name == content_named(plain, named.read_text(encoding="utf-8"))
        assert f'src="../assets/javascripts/{named.name}"' in read_page(built_site, route(page))


def test_no_case_id_can_name_a_page_the_site_already_has():
    """A case or archive id fills a route ({id}); whichever page of another route the same path
    would be (sources/index.md, the archive's listing, for the id index) its id is reserved, and so
    is every name at the top of the site."""
    taken = {kind: route(kind) for kind in ROUTES if not keys_of(kind)}
    for kind in ROUTES:
        if keys_of(kind) == ("id",):
            clashes = {match(kind, path)["id"] for path in taken.values() if match(kind, path)}
            assert clashes <= RESERVED_NAMES, kind
    assert {"index", "sources", "cases", "assets", "downloads"} <= RESERVED_NAMES
    assert ROUTES_SCRIPT.split("/")[0] in RESERVED_NAMES
