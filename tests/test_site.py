"""Whole-site builds with the real MkDocs and Material: pages, links, escaping, determinism."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys

import yaml

from casebook.catalog import read_catalog
from casebook.export import DATASET_FILES, dataset
from casebook.routes import route
from casebook_mkdocs.pages import file_links
from helpers import (
    EXAMPLE_CASE,
    ROOT,
    built_page,
    copy_project,
    mkdocs_config,
    page_address,
    read_page,
    run_mkdocs_build,
)
from library_checks import broken_links, figures_not_as_written, pages_without_one_title, program_text

# Markup (<script>, <img …>) never passes validation (casebook.untrusted, test_untrusted); what
# does pass must still reach every page as text: Markdown, Jinja and attribute-list syntax,
# javascript: links, entities.
HOSTILE = ('[点我](javascript:alert(1)) ![](x) {{ 7*7 }} {% raw %} {: onclick="alert(1)" } **粗** '
           '&lt;script&gt;alert(1) a>b&c')
SHORT_HOSTILE = '{{ 7*7 }}[x](javascript:alert(1))'


def test_every_case_tag_and_region_page_is_built(project, built_site):
    catalog = read_catalog(project)
    for case in catalog.cases:
        html = read_page(built_site, route("case", case.id))
        assert case.practice.name in html and case.region.province in html
    for tag in catalog.vocabulary.tags:
        assert (built_site / built_page(route("tag", tag.slug))).exists()
    for province in {c.region.province for c in catalog.cases}:
        assert (built_site / built_page(route("province", catalog.vocabulary.province(province).slug))).exists()
    assert (built_site / built_page(route("contributing"))).exists()


def test_every_case_page_lists_comparable_cases_with_reasons_or_says_there_are_none(project, built_site):
    """A case page lists up to five comparable cases, each with its reasons, and a link that opens
    the case and its first comparables on the compare page; a case with none (the Chaoyang lake
    works) says so, and lists related cases apart, under their own label."""
    pattern = r'<li><a href="[^"]+">[^<]+</a>.*?<span class="cb-card__summary">([^<]+)</span></li>'
    links = file_links(use_directory_urls=True)
    cases = read_catalog(project).cases
    for case in cases:
        here = route("case", case.id)
        page = read_page(built_site, here)
        case_of = {links(here, route("case", other.id)): other.id for other in cases}
        section = page[page.index('<h2 id="可比案例"'):page.index('<h2 id="出处"')]
        listed = re.search(r'<ol class="cb-comparables">(.*?)</ol>', section, re.S)
        if listed:
            reasons = re.findall(pattern, listed.group(1), re.S)
            assert 1 <= len(reasons) <= 5 and all(reason.startswith("同样") for reason in reasons), case.id
            ids = [case_of[href] for href in re.findall(r'<li><a href="([^"]+)">', listed.group(1))]
            compare = re.search(rf'<a class="md-button" href="{re.escape(links(here, route("compare")))}\?ids=([^"]+)">',
                                section)
            assert compare and compare.group(1) == ",".join([case.id, *ids[:3]]), case.id
        else:
            assert "库中暂无做法相近的案例" in section and 'class="cb-comparables"' not in section, case.id
            related = re.search(r'<p class="cb-related-label">[^<]+</p>\s*<ul class="cb-related">(.*?)</ul>', section, re.S)
            assert related and all(re.findall(pattern, related.group(1), re.S)), case.id
    chaoyang = read_page(built_site, route("case", "chaoyang-nongzhanguan-lake-water-supply"))
    assert "库中暂无做法相近的案例" in chaoyang


def test_case_pages_have_a_table_of_contents_of_their_sections(project, built_site):
    """Case pages skip Markdown (they are HTML already); their table of contents must not go too."""
    for case in read_catalog(project).cases:
        page = read_page(built_site, route("case", case.id))
        toc = page[page.index('md-nav--secondary'):]
        toc = toc[:toc.index("</nav>")]
        sections = re.findall(r'<h2 id="([^"]+)"', page)
        assert {"背景", "做法", "成效", "经验启示", "可比案例", "出处"} <= set(sections), case.id
        assert re.findall(r'<a href="#([^"]+)" class="md-nav__link">', toc) == sections, case.id


def test_case_pages_are_not_in_the_sidebar(project, built_site):
    addresses = [page_address(route("case", case.id)) for case in read_catalog(project).cases]
    home = read_page(built_site, route("home"))
    assert any(f'href="{address}"' in home for address in addresses)  # linked from the home page body ...
    about = read_page(built_site, route("page", "about"))
    nav = about[about.index("md-nav--primary"):]
    nav = nav[: nav.index("</nav>")]
    assert [address for address in addresses if address in nav] == []  # ... but never listed in the navigation


def test_no_broken_links(built_site):
    assert broken_links(built_site) == []


def test_no_page_shows_program_text(built_site):
    assert program_text(built_site) == []


def test_every_figure_shown_reads_as_its_source_writes_it(project, built_site):
    assert figures_not_as_written(read_catalog(project), built_site) == []


def test_every_page_has_one_title(built_site):
    assert pages_without_one_title(built_site) == []


def test_every_page_stays_under_100_kb(built_site):
    sizes = {p.relative_to(built_site): p.stat().st_size for p in built_site.rglob("*.html")}
    assert max(sizes.values()) < 100_000, max(sizes, key=sizes.get)


# What each page-specific script acts on (the element its code looks for), and the scripts it needs.
SCRIPT_ROOTS = {"finder.js": "data-finder", "compare.js": "data-compare", "submit.js": "data-cb-submit",
                "pack.js": "data-custom-pack", "cite.js": "data-copy-citation"}
NEEDED_WITH = {"fields.js": "compare.js", "submission-rules.js": "submit.js", "submission-library.js": "submit.js",
               "claims-check.js": "submit.js", "submission-check.js": "submit.js"}


def test_pages_load_their_scripts_deferred_and_only_those_that_act_on_them(built_site):
    """No script of the site holds up a page: each is deferred (Material's own bundle, at the end
    of the body, is the theme's). A script that acts on one kind of page is loaded by the pages
    that have what it acts on, and by no other; the scripts of every page (the header's search
    box) are on every page."""
    every_page = None
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        tags = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", html)
        ours = {re.sub(r"\.[0-9a-f]{8}\.js$", ".js", src.rsplit("/", 1)[-1]): options for src, options in tags
                if "/bundle." not in src}
        assert all(options.strip() == "defer" for options in ours.values()), path
        for script, root in SCRIPT_ROOTS.items():
            assert (script in ours) == bool(re.search(root + r"[\s>=]", html)), (path, script)
        for script, user in NEEDED_WITH.items():
            assert (script in ours) == (user in ours), (path, script)
        shared = set(ours) - set(SCRIPT_ROOTS) - set(NEEDED_WITH)
        every_page = shared if every_page is None else every_page
        assert shared == every_page, path
    assert {"casebook.js", "search-engine.js", "search-box.js"} <= every_page


def test_hostile_text_is_inert(tmp_path):
    project = copy_project(tmp_path / "repo", with_cases=False)
    data = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    data["title"] = "晋江" + SHORT_HOSTILE
    for key in ("summary", "background"):
        data[key] = f"{data[key]} {HOSTILE}"
    data["practice"]["name"] = "img src=x onerror=alert(1){% raw %}"
    data["practice"]["measures"][0]["detail"] += HOSTILE
    data["region"]["community"] = "&lt;b&gt;社区"
    data["metrics"][0]["label"] = HOSTILE[:38]
    data["outcomes"].append(HOSTILE)
    data["lessons"].append(HOSTILE)
    data["sources"][0]["title"] += HOSTILE
    (project.cases_dir / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = tmp_path / "site"
    result = run_mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "&lt;script&gt;alert" not in html, page  # an entity stays text
        assert 'href="javascript:' not in html and "<b>社区" not in html and "&lt;b&gt;社区" not in html, page
        assert 'onclick="alert' not in html and "<strong>粗" not in html and ">49<" not in html, page
    case_html = read_page(site, route("case", data["id"]))
    assert "&amp;lt;script&amp;gt;alert" in case_html  # the entity shown as the contributor typed it ...
    assert "{{ 7*7 }}" in case_html and "{% raw %}" in case_html  # ... and Jinja is not evaluated
    title = re.search(r"<title>(.*?)</title>", case_html).group(1)
    assert title.startswith("晋江{{ 7*7 }}[x](javascript:alert(1))")


def test_two_builds_are_byte_identical(project, built_site, tmp_path):
    again = tmp_path / "again"
    assert run_mkdocs_build(project, again).returncode == 0

    def digest(site):
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    assert digest(built_site) == digest(again)


def test_failed_build_leaves_previous_site_intact(built_site, tmp_path):
    project = copy_project(tmp_path / "repo")
    shutil.copytree(built_site, project.root / "site")  # what the last good build of these files wrote
    casebook = [sys.executable, "-m", "casebook.cli", "build"]
    home = project.root / "site" / built_page(route("home"))
    before = home.read_bytes()
    (project.cases_dir / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    result = subprocess.run(casebook, cwd=project.root, capture_output=True, text=True)
    assert result.returncode == 1
    assert "cases/broken.yaml:" in result.stderr and "保持原样" in result.stderr
    assert home.read_bytes() == before
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []


def test_mkdocs_build_stops_with_the_validator_messages(tmp_path):
    project = copy_project(tmp_path / "repo")
    broken = project.cases_dir / "jinjiang-grid-womens-groups.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("level: 县", "level: 县级"), encoding="utf-8")
    validate = subprocess.run([sys.executable, "-m", "casebook.cli", "validate"], cwd=project.root,
                              capture_output=True, text=True)
    (line,) = [text for text in validate.stderr.splitlines() if text.startswith("cases/") and "提醒：" not in text]
    build = run_mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0 and line in build.stderr


def test_downloads_hold_every_case_and_metric(project, built_site):
    import csv
    import io
    import json

    catalog = read_catalog(project)
    cases = json.loads((built_site / route("cases_json")).read_text(encoding="utf-8"))
    assert [c["id"] for c in cases] == [c.id for c in catalog.cases]
    rows = list(csv.DictReader(io.StringIO((built_site / route("cases_csv")).read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(catalog.cases) and rows[0]["region.province"] and rows[0]["metrics"].isdigit()
    metrics = list(csv.DictReader(io.StringIO((built_site / route("metrics_csv")).read_text(encoding="utf-8-sig"))))
    assert len(metrics) == sum(len(c.metrics) for c in catalog.cases)
    one = json.loads((built_site / route("case_json", "jinjiang-grid-womens-groups")).read_text(encoding="utf-8"))
    assert one["metrics"][0] == {"label": "组建网格妇女小组", "value": 305, "unit": "个", "period": "截至2024年12月",
                                 "quote": "晋江市已组建了305个网格妇女小组", "kind": "做法", "amount_text": "305个",
                                 "figure_text": "组建网格妇女小组：305个（截至2024年12月）"}
    json.loads((built_site / route("schema_json")).read_text(encoding="utf-8"))


def test_contributing_page_numbers_its_steps_once_and_links_into_the_repository(built_site):
    html = read_page(built_site, route("contributing"))
    steps = html[html.index('id="从-fork-到合并"'):]
    steps = steps[:steps.index("<h2")]
    # A code block inside a step does not end the list (which would number the next steps from 1 again).
    assert steps.count("<ol>") == 1 and "<pre" in steps and "```" not in html
    repository = mkdocs_config()["repo_url"].rstrip("/") + "/"
    links = set(re.findall(r'href="([^"]+)"', html[html.index("<article"):html.index("</article>")]))
    assert {repository, f"{repository}issues/new?template=submit-case.yml",
            f"{repository}blob/main/CONTRIBUTING.md",
            f"{repository}blob/main/cases/{EXAMPLE_CASE.name}"} <= links
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "submit-case.yml").is_file()
    shown_files = [link[len(f"{repository}blob/main/"):] for link in links if link.startswith(f"{repository}blob/main/")]
    assert [path for path in shown_files if not (ROOT / path).is_file()] == []


def test_downloads_page_cites_the_dataset_by_the_version_of_its_files_and_lists_the_codebook(project, built_site):
    """数据下载 states the licence, names the dataset by the version of the files beside it (so a
    citation names the very data it used) with a "引用数据集" citation, and shows the codebook as
    codebook.csv has it."""
    import csv
    import html as html_text

    files = {path: (built_site / path).read_text(encoding="utf-8") for path in DATASET_FILES}
    version = dataset(read_catalog(project), files)
    page = (built_site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert f"当前版本：<strong>{version.version}</strong>" in page
    citation = re.search(r"<strong>引用数据集</strong>（GB/T 7714）：<span data-citation>(.*?)</span></p>", page, re.S)
    assert citation and f"数据集: {version.version} 版[DS/OL]. ({version.date})" in citation.group(1)
    assert "https://casebook.test/downloads/" in citation.group(1)  # the published address (CASEBOOK_SITE_URL)
    codebook = list(csv.reader(io.StringIO(files["downloads/codebook.csv"].lstrip("\ufeff"))))
    table = page[page.index('<table class="cb-codebook">'):]
    shown = [[html_text.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<t[hd]>(.*?)</t[hd]>", row)]
             for row in re.findall(r"<tr>(.*?)</tr>", table[:table.index("</table>")])]
    assert shown == codebook and len(shown) > 40
    about = (built_site / "about" / "index.html").read_text(encoding="utf-8")
    for text in (page, about):
        assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0/" in text and "版权仍归原作者和发布单位" in text
