"""Rendering: table of contents, relative links, and escaping of hostile text (the whole rendered site
is compared with its golden folder in test_golden_site.py)."""

import dataclasses
import json
import re
from collections import Counter

import pytest
import yaml
from markupsafe import escape

from casebook.catalog import read_catalog
from casebook.config import casebook_config
from casebook.export import export_files
from casebook.model import Metric
from casebook.numerals import AmountAsWritten
from casebook.page_kinds import render_site
from casebook.render import DrawnCase, SourceListing, drawn_from_sources, edit_path, render_digests
from casebook.routes import match, route
from casebook_mkdocs.pages import file_links
from evaluation.synthetic import write_synthetic_cases
from helpers import EXAMPLE_CASE, LIBRARY, ROOT, copy_project, page_address

LINKS = file_links(use_directory_urls=True)


@pytest.fixture(scope="module")
def pages(project):
    return render_site(read_catalog(project), None, LINKS)


def test_a_case_page_carries_its_sections_as_its_table_of_contents(pages):
    page = pages[route("case", "jinjiang-grid-womens-groups")]
    assert [anchor for anchor, _ in page.toc] == ["背景", "做法", "数据", "成效", "经验启示", "出处"]  # no comparables given
    assert all(f'<h2 id="{anchor}"' in page.html for anchor, _ in page.toc)
    assert page.meta["title"] == "晋江市推行“网格+妇联”，让“格姐”参与网格治理"


def test_every_case_tag_and_province_has_a_page(project, pages):
    catalog = read_catalog(project)
    expected = {route("case", c.id) for c in catalog.cases}
    expected |= {route("tag", t.slug) for t in catalog.vocabulary.tags}
    expected |= {route("province", catalog.vocabulary.province(c.region.province).slug) for c in catalog.cases}
    expected |= {route(kind) for kind in ("home", "tags", "regions", "practices")}
    assert expected <= set(pages)


@pytest.mark.parametrize("from_uri, to_uri, expected", [
    ("cases/a.md", "tags/b.md", "../../tags/b/"),
    ("index.md", "tags/b.md", "tags/b/"),
    ("tags/index.md", "tags/b.md", "b/"),
    ("tags/b.md", "tags/index.md", "../"),
    ("regions/fujian.md", "regions/fujian.md", "./"),
])
def test_links_follow_directory_urls(from_uri, to_uri, expected):
    assert file_links(use_directory_urls=True)(from_uri, to_uri) == expected


@pytest.mark.parametrize("from_uri, to_uri, expected", [
    ("cases/a.md", "tags/b.md", "../tags/b.html"),
    ("index.md", "tags/index.md", "tags/index.html"),
    ("tags/index.md", "index.md", "../index.html"),
])
def test_links_for_the_offline_build(from_uri, to_uri, expected):
    assert file_links(use_directory_urls=False)(from_uri, to_uri) == expected


def test_rendering_is_deterministic(project):
    assert render_site(read_catalog(project), None, LINKS) == render_site(read_catalog(project), None, LINKS)


def with_pages(catalog, **limits):
    """The catalog built with other page limits (casebook.config.PageLimits)."""
    return dataclasses.replace(catalog, config=casebook_config({"pages": limits}))


@pytest.fixture(scope="module")
def grown(tmp_path_factory, vocabulary):
    """A library three times the fixture library's size (synthetic variants of its cases): what
    the page limits are for. The limits are lowered to match, rather than the library grown to
    the defaults' scale."""
    project = copy_project(tmp_path_factory.mktemp("grown") / "repo", with_cases=False)
    write_synthetic_cases(sorted((LIBRARY / "cases").glob("*.yaml")), vocabulary, 36, project.cases_dir)
    return read_catalog(project)


def test_a_tag_with_many_cases_is_listed_over_several_pages(grown):
    catalog = with_pages(grown, cases_per_tag_page=4)
    pages = render_site(catalog, None, LINKS)
    tag = max(catalog.vocabulary.tags, key=lambda t: sum(t.name in c.tags for c in catalog.cases))
    total = sum(tag.name in c.tags for c in catalog.cases)
    first = route("tag", tag.slug)
    listing = [uri for uri in pages if uri == first or (match("tag_page", uri) or {}).get("slug") == tag.slug]
    assert len(listing) == -(-total // 4) > 2
    listed = sum(pages[uri].html.count('<li class="cb-card">') for uri in listing)
    assert listed == total
    assert f'href="{LINKS(first, route("tag_page", tag.slug, 2))}"' in pages[first].html


def test_printed_pack_and_case_page_carry_full_addresses(project):
    pages = render_site(read_catalog(project), None, LINKS, "https://example.org/casebook/")
    case = route("case", "jinjiang-grid-womens-groups")
    address = "https://example.org/casebook/" + page_address(case)
    assert f">{address}</a>" in pages[route("pack", "grid-governance", 1)].html
    assert address in pages[case].html


def test_a_large_tag_prints_its_newest_cases_and_says_so(project):
    """A pack prints at most ``pack_max_cases`` cases, the newest; the tag page and the pack's cover
    say how many of how many. A tag within the limit prints all its cases."""
    from casebook import render
    catalog = read_catalog(project)
    tag = next(tag for tag in catalog.vocabulary.tags if tag.name == "积分制")
    tagged = [case for case in catalog.cases if tag.name in case.tags]
    pages = render_site(with_pages(catalog, pack_max_cases=2), None, LINKS)
    printed = "".join(pages[uri].html for uri in sorted(pages) if (match("pack", uri) or {}).get("slug") == tag.slug)
    assert re.findall(r'<section class="cb-pack-case">\n<h2 id="([^"]+)"', printed) == \
        [case.id for case in render.newest_first(tagged)[:2]]
    assert f"本标签共 {len(tagged)} 个案例，讲义收录最新的 2 个" in printed
    assert "收录最新的 2 个案例；其他案例可在案例页单独打印" in pages[route("tag", tag.slug)].html
    whole = render_site(with_pages(catalog, pack_max_cases=len(tagged)), None, LINKS)
    assert f"全部 {len(tagged)} 个案例" in whole[route("tag", tag.slug)].html


def test_a_large_province_lists_counts_and_opens_the_finder_by_city(project):
    """Above ``province_page_cases`` a province page lists no cases (it would pass 100 KB at 10,000
    cases): each city, with its count, opens the finder filtered to that province and city."""
    from urllib.parse import parse_qs, urlsplit
    catalog = read_catalog(project)
    counts = Counter(case.region.province for case in catalog.cases)
    province, count = counts.most_common(1)[0]
    assert count > 1  # the fixture library has a province with several cases
    cases = [case for case in catalog.cases if case.region.province == province]
    uri = route("province", catalog.vocabulary.province(province).slug)
    html = render_site(with_pages(catalog, province_page_cases=count - 1), None, LINKS)[uri].html
    assert 'class="cb-cards"' not in html
    links = [parse_qs(urlsplit(href.replace("&amp;", "&")).query)
             for href in re.findall(r'<dt><a href="([^"]+)"', html)]
    assert links and all(link["province"] == [province] for link in links)
    assert sorted(link["city"][0] for link in links) == sorted({case.region.city for case in cases})
    assert 'class="cb-cards"' in render_site(with_pages(catalog, province_page_cases=count), None, LINKS)[uri].html


def test_glance_sets_side_by_side_only_figures_that_count_the_same_thing(project):
    from casebook.render import _counted, metrics_at_a_glance
    catalog = read_catalog(project)
    groups = [group for tag in catalog.vocabulary.tags
              for group in metrics_at_a_glance([c for c in catalog.cases if tag.name in c.tags],
                                               catalog.config.pages.glance_units, catalog.config.pages.glance_rows)]
    assert groups
    for group in groups:
        assert group.kind in ("成效", "做法") and len({row.case.id for row in group.rows}) >= 2
        assert len({(row.metric.kind, _counted(row.metric.label)) for row in group.rows}) == 1
    shown = {row.metric.label for group in groups for row in group.rows}
    assert "金桥湾小区嵩合妇女群众" not in shown  # 50余名 background figure, never set against 1名 候选人


def test_glance_never_sets_a_per_unit_rule_beside_a_total(project):
    """“1+2+N”模式配网格员 1名 (per grid) and 女网格员 238名 (a total) count the same people in
    the same unit: only the basis the case declares (metrics[].basis) keeps them apart."""
    from casebook.render import metrics_at_a_glance
    catalog = read_catalog(project)
    cases = [case for case in catalog.cases if any(m.counted_as == "每单位" for m in case.metrics)]
    totals = [case for case in catalog.cases if any("网格员" in m.label and m.counted_as == "总数" for m in case.metrics)]
    assert cases and totals
    groups = metrics_at_a_glance(cases + totals, 20, 20)
    assert groups
    for group in groups:
        assert {row.metric.counted_as for row in group.rows} == {group.basis}, group
    per_unit = [m for case in cases for m in case.metrics if m.counted_as == "每单位"]
    assert all(m.basis == "每单位" for m in per_unit)  # declared in the case file, not guessed


def test_practices_index_lists_mechanisms_and_actors_get_their_own(project, pages):
    """按做法找 means how a practice works (机制); who runs it (法院, 妇联, 工会: 主体) is 按主体."""
    catalog = read_catalog(project)
    groups = {tag.slug: tag.group for tag in catalog.vocabulary.tags}
    for uri, group in (("practices/index.md", "机制"), ("actors/index.md", "主体")):
        listed = re.findall(r'<h2 id="([a-z0-9-]+)">', pages[uri].html)
        assert listed and {groups[slug] for slug in listed} == {group}, uri
    home = pages["index.md"].html
    practice_chips = re.search(r'aria-label="按做法找">(.*?)</nav>', home, re.S).group(1)
    actor_chips = re.search(r'aria-label="按主体找">(.*?)</nav>', home, re.S).group(1)
    assert {groups[slug] for slug in re.findall(r'tags/([a-z0-9-]+)/', practice_chips)} == {"机制"}
    assert {groups[slug] for slug in re.findall(r'tags/([a-z0-9-]+)/', actor_chips)} == {"主体"}


def test_each_case_has_a_digest_for_the_course_pack(project, pages):
    from casebook.render import render_digests
    catalog = read_catalog(project)
    digests = render_digests(catalog)
    assert set(digests) == {route("case_digest", case.id) for case in catalog.cases}
    case = next(case for case in catalog.cases if case.lessons_origin == "编者归纳" and case.metrics)
    digest = digests[route("case_digest", case.id)]
    assert f"<dd>{case.level}" in digest
    assert all(str(escape(lesson.text)) in digest for lesson in case.lessons)  # the default questions
    shown = re.findall(r'<strong class="cb-amount">([^<]*)</strong>', digest)
    assert shown and all(any(amount == str(escape(m.amount_text)) for m in case.metrics) for amount in shown)
    other = next(case for case in catalog.cases if case.lessons_origin == "原文")
    assert "data-digest-prompts" not in digests[route("case_digest", other.id)]
    assert "cb-digest" not in pages[route("case", case.id)].html  # not carried by every case page


def test_each_figure_carries_its_evidence_to_copy(project, pages):
    """复制证据 beside each figure carries the figure in one line as the build words it, names the
    report whose archive holds its sentence, and the quote it shares with another item; the rest
    (the sentence, the case's citation) is on the page, where cite.js takes it from."""
    from casebook.citation import evidence_sources
    catalog = read_catalog(project)
    for case in catalog.cases:
        html = pages[route("case", case.id)].html
        buttons = re.findall(r'<li class="cb-metric-row" id="[^"]+" data-evidence="([0-9 ]+)" data-evidence-figure="([^"]+)"'
                             r'(?: data-evidence-quote="([^"]+)")?>', html)
        assert len(buttons) == len(case.metrics), case.id
        in_page_order = sorted(case.metrics, key=lambda m: html.index(f'id="{case.quote_anchor(m)}"'))
        for metric, (reports, figure, shared) in zip(in_page_order, buttons, strict=True):
            assert figure == escape(metric.figure_text)
            assert [int(index) for index in reports.split()] == evidence_sources(case, metric)
            assert all(f'id="cb-report-{index}"' in html for index in reports.split())
            if metric.context:
                assert [case.sources[int(index)].archived.id for index in reports.split()] == [metric.context.source.id]
            if shared:
                assert f'id="{shared}"' in html


def test_home_lists_newest_reports_first_and_undated_cases_last_marked(project):
    from casebook.render import newest_first
    catalog = read_catalog(project)
    ordered = newest_first(catalog.cases)
    dates = [c.reported_date for c in ordered]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates == dated + [""] * (len(dates) - len(dated))
    home = render_site(catalog, None, LINKS)[route("home")].html
    assert ("未注明日期" in home) == any(not c.reported_date for c in ordered[:8])


def test_tags_without_cases_are_left_out_of_the_indexes(project, pages):
    catalog = read_catalog(project)
    unused = [t for t in catalog.vocabulary.tags if not any(t.name in c.tags for c in catalog.cases)]
    assert unused  # the taxonomy holds tags no case uses yet (网格员)
    for tag in unused:
        for index in (route("tags"), route("practices"), route("home")):
            assert f'href="{LINKS(index, route("tag", tag.slug))}"' not in pages[index].html, (tag.name, index)


def test_home_page_has_a_search_box_for_the_finder_engine(pages):
    home = pages[route("home")].html
    assert '<form class="cb-search" data-cb-search role="search" aria-label="检索案例"' in home
    assert '<input type="search" name="q"' in home and 'aria-label="检索词"' in home
    assert 'href="finder/"' in home and 'href="compare/"' in home


def test_a_source_page_stays_small_however_many_cases_cite_it(grown):
    """The first cases citing a source are shown with their figures, up to a number of figures;
    a bounded number more by title; the rest only counted."""
    source = "ahwomen-ningguo-songhe-grid-baobao"  # 30 figures in each of its cases
    citing = drawn_from_sources(grown)[source]
    # Room for the first case's figures only, and for one title.
    catalog = with_pages(grown, source_page_figures=len(citing[0].metrics), source_page_links=1)
    html = render_site(catalog, None, LINKS)[route("source", source)].html
    assert len(citing) > 2 and f"引用本文的案例（{len(citing)} 个）" in html
    assert html.count('<section class="cb-drawn">') == 1
    assert html.count("个数字）</li>") == 1
    assert f"另有 {len(citing) - 2} 个案例引用本文" in html
    # A source whose cases quote no figure from it lists a bounded number of them too.
    limits = catalog.config.pages
    bare = SourceListing.of([DrawnCase(case, ()) for case in catalog.cases], limits)
    assert len(bare.detailed) == limits.source_page_figures and len(bare.titles) == limits.source_page_links


def test_every_problem_has_a_page_listing_the_practices_that_address_it(project, pages):
    catalog = read_catalog(project)
    index = pages[route("problems")].html
    for problem in catalog.vocabulary.problems:
        uri = route("problem", problem.slug)
        assert f'href="{LINKS(route("problems"), uri)}"' in index
        page = pages[uri].html
        for case in catalog.cases:
            linked = f'href="{LINKS(uri, route("case", case.id))}">{case.practice.name}</a>' in page
            assert linked == (problem.name in case.problems), (problem.name, case.id)


def test_a_case_page_links_each_of_its_problems_and_home_links_all_cases(project, pages):
    catalog = read_catalog(project)
    for case in catalog.cases:
        page = pages[route("case", case.id)].html
        for name in case.problems:
            target = LINKS(route("case", case.id), route("problem", catalog.vocabulary.problem(name).slug))
            assert f'href="{target}">{name}</a>' in page
    assert f"查看全部 {len(catalog.cases)} 个案例" in pages[route("home")].html


def test_a_repost_date_never_dates_the_case(tmp_path):
    """Only the original article's ``date`` makes a case's 资料截至 and year; a repost's date is
    shown with its source as the repost's."""
    project = copy_project(tmp_path / "repo", with_cases=False)
    data = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    data.pop("period", None)
    data["editor_added"] = [path for path in data.get("editor_added", []) if not path.startswith("period")]
    for source in data["sources"]:
        source.pop("date", None)
    data["sources"][0]["reposted"] = "2025-06-01"
    (project.cases_dir / EXAMPLE_CASE.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    catalog = read_catalog(project)
    (case,) = catalog.cases
    assert case.year is None and case.newest_source_date == "" and case.reported_date == ""
    page = render_site(catalog, None, LINKS)[route("case", case.id)].html
    assert "资料截至" not in page and "（转载于 2025-06-01）" in page


def test_quotes_on_a_source_page_do_not_link_back_to_it(pages):
    """On a case page a quote says where its article is; on the article's own page it would
    be a link to the page the reader is on."""
    source_pages = {uri: page for uri, page in pages.items() if match("source", uri) and uri != route("sources")}
    assert source_pages
    for uri, page in source_pages.items():
        assert "原文见" not in page.html, uri
    assert any("原文见" in page.html for uri, page in pages.items() if match("case", uri))


def _statement_paths(node, path: str = ""):
    """Every field and first list item of a case's data, as `editor_added` names them."""
    items = node.items() if isinstance(node, dict) else [(0, node[0])] if isinstance(node, list) and node else []
    for key, value in items:
        child = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}" if path else key
        yield child
        yield from _statement_paths(value, child)


# Not statements taken from a source: the case's name and classification, whose lessons they are,
# the marks themselves, and quotes, which are the source's words by definition.
NOT_STATEMENTS = ("id", "title", "tags", "lessons_origin", "editor_added")


def test_every_statement_marked_as_the_editors_shows_the_mark(project):
    """The schema promises “网页上这些内容旁显示‘编者补充’” for any field path a contributor marks:
    a part of an item (``practice.measures[0].detail``) marks its item."""
    catalog = read_catalog(project)
    data = yaml.safe_load(EXAMPLE_CASE.read_text(encoding="utf-8"))
    case = next(case for case in catalog.cases if case.id == data["id"])
    paths = [path for path in _statement_paths(data)
             if re.split(r"[.\[]", path)[0] not in NOT_STATEMENTS and not path.endswith(".quote")]

    pack = route("pack", catalog.vocabulary.tag(case.tags[0]).slug, 1)

    def marks(*marked: str) -> tuple[int, int]:
        """The marks on the case page and on its printed pack."""
        only = dataclasses.replace(catalog, cases=(dataclasses.replace(case, editor_added=marked),))
        pages = render_site(only, None, LINKS)
        return tuple(pages[uri].html.count('class="cb-editor-mark"') for uri in (route("case", case.id), pack))

    unmarked = marks()
    assert len(paths) > 40  # every kind of field: region, period, practice, metrics, outcomes, lessons, sources …
    on_page = {path: marks(path) for path in paths}
    assert [path for path, (page, _) in on_page.items() if page <= unmarked[0]] == []
    # The pack prints every section but the problems, which are the library's index, not the case's story.
    assert [path for path, (_, printed) in on_page.items() if printed <= unmarked[1]
            and not path.startswith("problems")] == []


def test_a_case_page_is_edited_where_the_project_keeps_its_cases():
    assert edit_path(route("case", "x"), "../library") == "../library/x.yaml"
    assert edit_path(route("tag", "x"), "../cases") is None


ADDRESSES = {"https://example.org/a?b=1": True, "http://example.org/": True, "javascript:alert(document.domain)": False,
             " javascript:alert(1)": False, "JaVaScRiPt:alert(1)": False, "data:text/html,<script>x</script>": False,
             "vbscript:msgbox(1)": False, "//evil.example/": False, 'https://x" onmouseover="alert(1)': False}


def test_pages_link_only_to_http_addresses_whatever_reached_them(catalog):
    """Validation refuses any other address; the templates' link filter holds even without it.
    Each address is given to another case and its archived source, all rendered at once."""
    cases = [case for case in catalog.cases if case.sources[0].archived]
    cases = list({case.sources[0].archived.id: case for case in cases}.values())  # one case per archive
    assert len(cases) >= len(ADDRESSES)
    hostile, records = [], {}
    for case, address in zip(cases, ADDRESSES, strict=False):
        record = dataclasses.replace(case.sources[0].archived, url=address)
        source = dataclasses.replace(case.sources[0], url=address, archived=record)
        hostile.append(dataclasses.replace(case, sources=(source, *case.sources[1:])))
        records[record.id] = record
    archive = dataclasses.replace(catalog.archive, sources={**catalog.archive.sources, **records})
    pages = render_site(dataclasses.replace(catalog, cases=tuple(hostile), archive=archive), None, LINKS)
    for case, (address, linked) in zip(hostile, ADDRESSES.items(), strict=False):
        for uri in (route("case", case.id), route("source", case.sources[0].archived.id)):
            hrefs = re.findall(r'href="([^"]*)"', pages[uri].html)
            assert (address in hrefs) is linked, (uri, address)
            assert not any(href.strip().lower().startswith(("javascript:", "data:", "vbscript:")) for href in hrefs), uri


_written = Metric.written.fget


def test_a_figure_is_worded_in_one_place_for_the_case_page_compare_and_the_pack(catalog, monkeypatch):
    """How a figure reads is decided once, in Python (Metric.written): change it there and the case
    page, the data compare shows (the case's JSON) and the course pack's digest all change, and
    none of them keeps the old words."""
    case = next(case for case in catalog.cases if case.metrics)
    metric = case.metrics[0]
    before = metric.amount_text
    reworded = AmountAsWritten("〔" + before + "〕", 1)
    monkeypatch.setattr(Metric, "written", property(lambda self: reworded if self is metric else _written(self)))
    page = render_site(catalog, None, LINKS)[route("case", case.id)].html
    record = json.loads(export_files(catalog, "{}")[route("case_json", case.id)])
    digest = render_digests(catalog)[route("case_digest", case.id)]
    assert reworded.text in page and reworded.text in digest
    assert record["metrics"][0]["amount_text"] == reworded.text
    # The figure in one line (compare's cell, the first line 复制证据 copies) says the new words too.
    line = record["metrics"][0]["figure_text"]
    assert line == metric.figure_text and reworded.text in line
    assert f'data-evidence-figure="{escape(line)}"' in page
    # Shown, never rebuilt: no script reads the parts a figure's words are made of.
    scripts = {name: (ROOT / "docs" / "assets" / "javascripts" / name).read_text(encoding="utf-8")
               for name in ("compare.js", "cite.js")}
    assert "figure_text" in scripts["compare.js"] and "data-evidence-figure" in scripts["cite.js"]
    parts = ("amount_text", "qualifier", "cb-metric-row__label", "cb-metric-row__amount", "cb-metric-row__period")
    assert not [(name, part) for name, text in scripts.items() for part in parts if part in text]

