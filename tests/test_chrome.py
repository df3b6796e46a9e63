"""The site's chrome in the built pages: share cards, footer, edit links, published addresses."""

from __future__ import annotations

import html
import re

from casebook.catalog import read_catalog
from casebook.routes import route
from helpers import SITE_URL, built_page, mkdocs_config, page_address, read_page

CASE = "jinjiang-grid-womens-groups"
CASE_PAGE = route("case", CASE)


def _meta(page: str, prop: str) -> str:
    match = re.search(rf'<meta property="{prop}" content="([^"]*)"', page)
    assert match, prop
    return html.unescape(match.group(1))


def test_case_tag_and_region_pages_carry_share_cards(project, built_site):
    case = next(c for c in read_catalog(project).cases if c.id == CASE)
    page = read_page(built_site, CASE_PAGE)
    assert _meta(page, "og:title") == case.title and _meta(page, "og:description") == case.summary
    assert _meta(page, "og:url") == SITE_URL + page_address(CASE_PAGE)
    tag = read_page(built_site, route("tag", "points-system"))
    assert _meta(tag, "og:title") == "标签：积分制" and "积分" in _meta(tag, "og:description")
    region = read_page(built_site, route("province", "fujian"))
    assert _meta(region, "og:title") == "福建省的案例"


def test_footer_is_chinese_with_the_copyright_line(built_site):
    page = read_page(built_site, route("home"))
    assert "Made with" not in page
    assert html.escape(mkdocs_config()["copyright"], quote=False) in page and "网站由" in page


def test_edit_link_on_a_case_page_opens_its_case_file(built_site):
    config = mkdocs_config()
    page = read_page(built_site, CASE_PAGE)
    edit = re.search(r'<a href="([^"]+)" title="编辑此页"', page)
    assert edit and edit.group(1) == config["repo_url"] + f"/edit/main/cases/{CASE}.yaml"
    tag = read_page(built_site, route("tag", "points-system"))
    assert 'title="编辑此页"' not in tag  # generated from the taxonomy: nothing to edit there


def test_edit_and_repository_links_only_on_the_pages_for_contributors(built_site):
    """A cadre reading the site does not need them; a contributor finds them on case pages and 投稿."""
    config = mkdocs_config()
    repository_link = f'<a href="{config["repo_url"]}" title='
    contributing = read_page(built_site, route("contributing"))
    assert config["repo_url"] + "/edit/main/CONTRIBUTING.md" in contributing and repository_link in contributing
    assert repository_link in read_page(built_site, CASE_PAGE)
    pages = [built_page(route(*kind)) for kind in (("home",), ("finder",), ("compare",), ("page", "about"))]
    for path in [*pages, "404.html"]:
        page = (built_site / path).read_text(encoding="utf-8")
        assert 'title="编辑此页"' not in page and repository_link not in page, path


def test_sitemap_and_canonical_links_use_the_published_address(built_site):
    site_url = SITE_URL
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{site_url}{page_address(CASE_PAGE)}</loc>" in sitemap
    page = read_page(built_site, CASE_PAGE)
    assert f'<link rel="canonical" href="{site_url}{page_address(CASE_PAGE)}">' in page
