"""The source archive, the quote check against it, editorial marks, and the case pages' provenance."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from casebook.catalog import read_catalog
from casebook.citation import citation_files
from casebook.load import load_case_file
from casebook.page_kinds import render_site
from casebook.provenance import (
    SAME_ARTICLE_DAYS,
    YEARS_BEFORE_PERIOD,
    check_provenance,
    find_quote,
    load_archive,
)
from casebook.render import case_page_url
from casebook.routes import route
from casebook_mkdocs.pages import file_links
from helpers import (
    LIBRARY,
    ROOT,
    TODAY,
    copy_project,
    dump_case,
    page_address,
    problems_in,
    read_page,
    run_mkdocs_build,
    warnings_in,
    write_case,
)

LINKS = file_links(use_directory_urls=True)

CASES_WITH_QUOTES = [p for p in sorted((LIBRARY / "cases").glob("*.yaml")) if "quote:" in p.read_text(encoding="utf-8")]


@pytest.fixture(scope="module")
def archive(project):
    loaded, problems = load_archive(project.sources_dir, project.root)
    assert problems == []
    return loaded


@pytest.fixture(scope="module")
def catalog(project):
    return read_catalog(project, TODAY)


def test_every_archived_source_loads_with_its_text_and_archive_date(archive, project):
    sources = list(archive)
    assert len(sources) == len(list(project.sources_dir.glob("*.md")))
    for source in sources:
        assert source.archived == "2026-11-27"
        assert len(source.text) > 100, source.id
    ningguo = archive.get("ahwomen-ningguo-songhe-grid-baobao")
    assert ningguo.traditional and ningguo.date == "2022-10-02" and ningguo.publisher == "省婦聯"
    # The page furniture at the end of the capture is not part of the archived article.
    assert "亚洲精品" not in ningguo.text and "c_msg" not in ningguo.text


def test_every_case_cites_an_archived_source_and_every_quote_is_found_in_it(catalog):
    for case in catalog.cases:
        assert case.archived, case.id
        for metric in case.metrics:
            assert metric.context is not None, (case.id, metric.quote)


def _quote_lines(path):
    """(line index, quote text) of every metric quote in a case file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines, [(i, line.split("quote:", 1)[1].strip().strip("'\"")) for i, line in enumerate(lines)
                   if line.lstrip().startswith("quote:")]


@pytest.mark.parametrize("path", CASES_WITH_QUOTES, ids=lambda p: p.stem)
def test_altering_one_character_of_any_quote_is_reported_at_its_line_with_the_nearest_passage(
        path, archive, tmp_path):
    lines, quotes = _quote_lines(path)
    for index, quote in quotes:
        position = next(i for i, ch in enumerate(quote) if "\u4e00" <= ch <= "\u9fff")
        altered = quote[:position] + ("乙" if quote[position] != "乙" else "丙") + quote[position + 1:]
        changed = lines.copy()
        changed[index] = lines[index].replace(quote, altered, 1)
        target = tmp_path / "cases" / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_text("".join(changed), encoding="utf-8")
        problems = _errors(check_provenance([load_case_file(target)], archive))
        assert len(problems) == 1, (altered, problems)
        problem = problems[0]
        assert problem.line == index + 1 and problem.field.endswith(".quote")
        assert "找不到这段引文" in problem.message
        # The nearest passage is the real text around the original quote.
        nearest = re.search(r"最接近的一段是“(.*)”；", problem.hint).group(1)
        assert quote[:position] in nearest or quote[position + 1:] in nearest
        target.write_text("".join(lines), encoding="utf-8")
        assert _errors(check_provenance([load_case_file(target)], archive)) == []


def _errors(problems):
    """Leaves out warnings (an outcome written without its quote), which stop no build."""
    return [problem for problem in problems if not problem.is_warning]


def test_quote_check_ignores_white_space_and_full_width_forms(archive):
    source = archive.get("ijjnews-jinjiang-grid-womens-federation")
    assert find_quote(source, "晋江市已组建了 ３０５ 个网格妇女小组") is not None
    assert find_quote(source, "晋江市已组建了306个网格妇女小组") is None


def test_quote_in_traditional_source_must_keep_the_sources_script(archive):
    source = archive.get("ahwomen-ningguo-songhe-grid-baobao")
    assert find_quote(source, "下轄6個居民小組") is not None
    assert find_quote(source, "下辖6个居民小组") is None


def _run_validate(root):
    return subprocess.run([sys.executable, "-m", "casebook.cli", "validate"], cwd=root,
                          capture_output=True, text=True)


def test_validate_and_mkdocs_build_fail_on_an_altered_quote_and_validate_passes_once_restored(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project.cases_dir / "jinjiang-grid-womens-groups.yaml"
    original = path.read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(original.splitlines(), start=1) if "吸纳1397名“格姐”" in text)
    path.write_text(original.replace("吸纳1397名“格姐”", "吸收1397名“格姐”"), encoding="utf-8")
    result = _run_validate(project.root)
    assert result.returncode == 1
    assert f"cases/jinjiang-grid-womens-groups.yaml:{line}:" in result.stdout + result.stderr
    assert "最接近的一段是“吸纳1397名“格姐”" in result.stdout + result.stderr
    build = run_mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0 and f"jinjiang-grid-womens-groups.yaml:{line}:" in build.stderr
    path.write_text(original, encoding="utf-8")  # as the fixture library builds (built_site)
    assert _run_validate(project.root).returncode == 0


def test_a_case_whose_source_is_not_archived_passes_and_shows_as_unarchived(tmp_path, vocabulary):
    text = (LIBRARY / "cases" / "jinjiang-grid-womens-groups.yaml").read_text(encoding="utf-8")
    text = text.replace("    archive: ijjnews-jinjiang-grid-womens-federation\n", "")
    text = text.replace("晋江市已组建了305个网格妇女小组", "晋江市已组建305个网格妇女小组")  # not checkable
    write_case(tmp_path, text)
    assert problems_in(tmp_path, vocabulary) == []
    project_copy = copy_project(tmp_path / "project")
    write_case(project_copy.root, text)
    page = render_site(read_catalog(project_copy, TODAY), None, LINKS)[route("case", "jinjiang-grid-womens-groups")].html
    assert page.count("未存档") >= 2  # in the source list and on each quote
    assert "这段引文未经核对" in page


def test_quotes_are_checked_only_when_every_source_of_the_case_is_archived(tmp_path, vocabulary, example_data):
    """A quote may come from any source of its case: with one source not archived, a quote missing
    from the archived one is not reported; once every source is archived, it is."""
    example_data["metrics"][0]["quote"] = "晋江市已组建305个网格妇女小组"  # not the archive's words
    example_data["sources"].append({"title": "晋江妇联工作报告", "publisher": "晋江市妇联"})
    write_case(tmp_path, dump_case(example_data))
    assert problems_in(tmp_path, vocabulary) == []
    example_data["sources"].pop()
    write_case(tmp_path, dump_case(example_data))
    assert [p.field for p in problems_in(tmp_path, vocabulary)] == ["metrics[0].quote"]


def test_an_unknown_archive_reference_is_reported_with_a_suggestion(tmp_path, vocabulary):
    text = (LIBRARY / "cases" / "jinjiang-grid-womens-groups.yaml").read_text(encoding="utf-8")
    write_case(tmp_path, text.replace("archive: ijjnews-jinjiang-grid-womens-federation",
                                      "archive: ijjnews-jinjiang-grid-womens-federatio"))
    problems = problems_in(tmp_path, vocabulary)
    assert [p.field for p in problems] == ["sources[0].archive"]
    assert "ijjnews-jinjiang-grid-womens-federation" in problems[0].hint


def test_editor_marks_must_name_fields_of_the_case(tmp_path, vocabulary):
    text = (LIBRARY / "cases" / "jinjiang-grid-womens-groups.yaml").read_text(encoding="utf-8")
    write_case(tmp_path, text.replace("editor_added: [region.province,", 'editor_added: [region.province, "outcomes[9]",'))
    problems = problems_in(tmp_path, vocabulary)
    assert [p.field for p in problems] == ["editor_added[1]"]
    assert "outcomes[9]" in problems[0].message


def test_a_broken_archive_file_is_reported_with_its_path(tmp_path, vocabulary):
    write_case(tmp_path, (LIBRARY / "cases" / "jinjiang-grid-womens-groups.yaml").read_bytes())
    (tmp_path / "sources" / "broken.md").write_text("---\ntitel: x\n---\n\n正文", encoding="utf-8")
    problems = problems_in(tmp_path, vocabulary)
    assert any(p.path.endswith("sources/broken.md") and p.field == "titel" for p in problems)
    assert any(p.path.endswith("sources/broken.md") and p.field == "archived" for p in problems)


def test_an_archive_without_its_archive_date_is_reported_as_that_not_as_a_missing_archive(tmp_path, vocabulary):
    write_case(tmp_path, (ROOT / "cases" / "jinjiang-grid-womens-groups.yaml").read_bytes())
    source = tmp_path / "sources" / "ijjnews-jinjiang-grid-womens-federation.md"
    source.write_text(re.sub(r"\narchived: .*", "", source.read_text(encoding="utf-8")), encoding="utf-8")
    problems = problems_in(tmp_path, vocabulary)
    assert [(p.path, p.line, p.field) for p in problems] == [
        ("sources/ijjnews-jinjiang-grid-womens-federation.md", 2, "archived")], problems
    assert "archived: 2026-11-27" in problems[0].hint


def _date_warnings(tmp_path, vocabulary, name, replacements, archive_replacements=()):
    """The warnings on a fixture case's source dates after editing its text (and its archive's)."""
    text = (LIBRARY / "cases" / name).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = write_case(tmp_path, text, name)
    for archive_name, old, new in archive_replacements:
        archived = tmp_path / "sources" / archive_name
        archived.write_text(archived.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert problems_in(tmp_path, vocabulary) == []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(p.field, lines[p.line - 1].strip(), p.message, p.hint) for p in warnings_in(tmp_path, vocabulary)
            if p.field.startswith("sources")]


def test_a_source_date_a_year_from_its_archives_date_is_questioned_at_its_line(tmp_path, vocabulary):
    # The trial's mistake: the year typed one too low; the archive has the article's own date.
    [(field, line, message, hint)] = _date_warnings(tmp_path, vocabulary, "jinjiang-grid-womens-groups.yaml",
                                                    [("    date: 2024-12-09", "    date: 2023-12-09")])
    assert (field, line) == ("sources[0].date", "date: 2023-12-09")
    assert "sources/ijjnews-jinjiang-grid-womens-federation.md 的 date 2024-12-09 相差 366 天" in message
    assert "核对年份和月份" in hint
    # A print and a web edition a day apart, or the month alone, are the same article's date.
    for written in ("2024-12-10", "2024-12"):
        assert _date_warnings(tmp_path, vocabulary, "jinjiang-grid-womens-groups.yaml",
                              [("    date: 2024-12-09", f"    date: {written}")]) == []


def test_a_source_dated_after_it_was_archived_is_questioned(tmp_path, vocabulary):
    found = _date_warnings(tmp_path, vocabulary, "jinjiang-grid-womens-groups.yaml", [],
                           [("ijjnews-jinjiang-grid-womens-federation.md", "archived: '2026-11-27'",
                             "archived: '2024-11-27'")])
    assert [(field, message) for field, _, message, _ in found] == [
        ("sources[0].date", "date 2024-12-09 晚于存档 sources/ijjnews-jinjiang-grid-womens-federation.md 的存档日期 "
                            "2024-11-27")]


def test_a_report_dated_years_before_its_practice_started_is_questioned(tmp_path, vocabulary):
    # Ningguo: the practice started in 2021, the report is of 2022-10-02.
    [(field, line, message, hint)] = _date_warnings(tmp_path, vocabulary, "ningguo-songhe-grid-baobao.yaml",
                                                    [("  start: 2021\n", "  start: 2024\n")])
    assert (field, line) == ("sources[0].date", "date: 2022-10-02")
    assert message == "报道日期 2022-10-02 比实施开始时间 period.start 2024 早 2 年" and "period.start" in hint
    # A report may announce a practice of the next year.
    assert _date_warnings(tmp_path, vocabulary, "ningguo-songhe-grid-baobao.yaml",
                          [("  start: 2021\n", "  start: 2023\n")]) == []


def test_validate_strict_fails_on_a_questioned_source_date(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project.cases_dir / "jinjiang-grid-womens-groups.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    date: 2024-12-09", "    date: 2023-12-09"),
                    encoding="utf-8")
    assert _run_validate(project.root).returncode == 0
    strict = subprocess.run([sys.executable, "-m", "casebook.cli", "validate", "--strict"], cwd=project.root,
                            capture_output=True, text=True)
    assert strict.returncode == 1
    line = path.read_text(encoding="utf-8").splitlines().index("    date: 2023-12-09") + 1
    assert f"cases/jinjiang-grid-womens-groups.yaml:{line}:" in strict.stdout + strict.stderr


GOOD_FRONT_MATTER = ("title: 一篇报道\npublisher: 晋江新闻网\nauthor: 记者\ndate: 2024-10-15\nreposted: '2024-11'\n"
                     "url: https://www.ijjnews.com/a?b=1\narchived: '2026-11-27'\nfull_text: true\nnote: 网页导航已删去\n")


@pytest.mark.parametrize("change, field, words", [
    ("", None, ""),
    ("url: https://www.ijjnews.com/a?b=1", "url", "格式不对"),
    ("date: 2024-10-15", "date", "“2024-02-30”不是有效的日期"),
    ("archived: '2026-11-27'", "archived", "在未来"),
    ("full_text: true", "full_text", "应为true 或 false"),
    ("publisher: 晋江新闻网", "publisher", "不能是空的"),
    ("note: 网页导航已删去", "note", "不能含有网页标记"),
])
def test_an_archives_front_matter_is_checked_by_its_schema(tmp_path, change, field, words):
    """Every field an archive may have is known; those a case's source has too follow the same
    rules (an address is http or https, a date is real and past)."""
    replacement = {"url": "url: javascript:alert(1)", "date": "date: 2024-02-30", "archived": "archived: '2999-01-01'",
                   "full_text": "full_text: 是", "publisher": "publisher: ' '", "note": "note: 见<a href=x>原文</a>"}
    front = GOOD_FRONT_MATTER.replace(change, replacement[field]) if field else GOOD_FRONT_MATTER
    (tmp_path / "a.md").write_text(f"---\n{front}---\n\n正文。\n", encoding="utf-8")
    archive, problems = load_archive(tmp_path)
    if field is None:
        assert problems == [] and archive.get("a").url == "https://www.ijjnews.com/a?b=1"
        return
    line = front.split("\n").index(replacement[field]) + 2
    assert [(p.line, p.field) for p in problems] == [(line, field)] and words in problems[0].message, problems
    kept = archive.get("a")  # its text only, so that the quotes are still checked in the same run
    assert kept.text == "正文。" and (kept.url, kept.title, kept.publisher, kept.archived) == ("", "", "", "")


# --- the built site ---------------------------------------------------------------------------

def test_case_page_shows_each_quote_highlighted_inside_its_source_sentence(built_site):
    html = read_page(built_site, route("case", "ningguo-songhe-grid-baobao"))
    # Traditional source: the quote in its own script, inside its sentence, and the simplified reading.
    assert re.search(r"轄區面積1\.9平方公里,<mark>下轄6個居民小組</mark>\(巫山", html)
    assert re.search(r"辖区面积1\.9平方公里,<mark>下辖6个居民小组</mark>\(巫山", html)
    source = LINKS(route("case", "ningguo-songhe-grid-baobao"), route("source", "ahwomen-ningguo-songhe-grid-baobao"))
    assert f'href="{source}"' in html
    jinjiang = read_page(built_site, route("case", "jinjiang-grid-womens-groups"))
    assert "截至目前,<mark>晋江市已组建了305个网格妇女小组</mark>,吸纳1397名“格姐”。" in jinjiang
    assert 'class="cb-editor-mark"' in jinjiang and "编者补充" in jinjiang


def test_source_page_lists_the_cases_and_figures_drawn_from_it_without_the_full_text(built_site):
    source = route("source", "ijjnews-jinjiang-grid-womens-federation")
    html = read_page(built_site, source)
    assert f'href="{LINKS(source, route("case", "jinjiang-grid-womens-groups"))}"' in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "组建网格妇女小组：305个" in text  # the figure as its quote writes it (amounts are marked up)
    assert "全文" not in text.split("本站只展示被引用的句子")[0].split("引用本文的案例")[1]
    # A sentence no case quotes is not published by default.
    assert "金秋十月" not in html


def test_a_source_can_publish_its_full_text(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project.sources_dir / "ijjnews-jinjiang-grid-womens-federation.md"
    path.write_text(path.read_text(encoding="utf-8").replace("archived: '2026-11-27'\n",
                                                             "archived: '2026-11-27'\nfull_text: true\n"),
                    encoding="utf-8")
    page = render_site(read_catalog(project, TODAY), None, LINKS)[route("source", "ijjnews-jinjiang-grid-womens-federation")].html
    assert '<h2 id="full-text">全文</h2>' in page and "金秋十月" in page


def test_case_page_offers_a_gbt7714_citation_and_three_download_formats(built_site):
    case = route("case", "jinjiang-grid-womens-groups")
    html = read_page(built_site, case)
    assert "基层治理案例库. 晋江市推行“网格+妇联”，让“格姐”参与网格治理[EB/OL]. [<span data-cite-accessed>" in html
    for extension in ("bib", "ris", "json"):
        assert f'href="{LINKS(case, route("citation", "jinjiang-grid-womens-groups", extension))}" download' in html
    bib = (built_site / route("citation", "jinjiang-grid-womens-groups", "bib")).read_text(encoding="utf-8")
    assert bib.startswith("@misc{casebook-jinjiang-grid-womens-groups,") and "title = {晋江市推行" in bib
    ris = (built_site / route("citation", "jinjiang-grid-womens-groups", "ris")).read_text(encoding="utf-8").splitlines()
    assert ris[0] == "TY  - ELEC" and ris[-1] == "ER  -" and "TI  - 晋江市推行“网格+妇联”，让“格姐”参与网格治理" in ris
    csl = json.loads((built_site / route("citation", "jinjiang-grid-womens-groups", "json")).read_text(encoding="utf-8"))
    assert csl[0]["type"] == "webpage" and csl[0]["title"].startswith("晋江市推行")
    assert "晋江新闻网（2024-12-09）" in csl[0]["note"]


def test_a_source_without_a_date_says_so_once(built_site):
    html = read_page(built_site, route("case", "chaoyang-nongzhanguan-lake-water-supply"))
    assert "中国妇女报，耿兴敏/文 王飞/图，原报道未注明日期." in html
    assert "据中国妇女报报道整理" in html and html.count("未注明日期") == 1
    assert "耿兴敏/文 王飞/图. 农展馆后湖 变成鸟类乐园[N]. 中国妇女报." in html  # no date, no address guessed


def test_a_source_with_its_address_links_the_original_and_is_cited_with_it(tmp_path):
    """Where the original report's address is known, the 出处 links it beside the archived copy,
    and the citations of the original report (GB/T 7714, BibTeX, RIS, CSL) carry it and its year."""
    project = copy_project(tmp_path / "project")
    address = "http://news.ijjnews.com/system/2024/12/09/030169832.shtml"
    path = project.cases_dir / "jinjiang-grid-womens-groups.yaml"
    dated = "    date: 2024-12-09\n"
    path.write_text(path.read_text(encoding="utf-8").replace(dated, f"{dated}    url: {address}\n"), encoding="utf-8")
    catalog = read_catalog(project, TODAY)
    page = render_site(catalog, None, LINKS)[route("case", "jinjiang-grid-womens-groups")].html
    assert f'<a class="cb-original" href="{address}" rel="nofollow noopener">阅读原报道</a>' in page
    assert f"杨静雯. 推行“网格+妇联”模式 激活基层社会治理“她”力量[EB/OL]. 晋江新闻网, 2024-12-09. {address}." in page
    files = citation_files(catalog.cases, lambda case_id: "")
    bibtex = files["cite/jinjiang-grid-womens-groups.bib"]
    assert "@article{casebook-jinjiang-grid-womens-groups-report1," in bibtex
    assert "year = {2024}" in bibtex and f"url = {{{address}}}" in bibtex
    assert f"PY  - 2024\nDA  - 2024/12/09\nUR  - {address}\nER  -" in files["cite/jinjiang-grid-womens-groups.ris"]
    report = json.loads(files["cite/jinjiang-grid-womens-groups.json"])[1]
    assert report["issued"] == {"date-parts": [[2024, 12, 9]]} and report["URL"] == address


def test_citation_uses_the_configured_site_url(catalog):
    case = route("case", "jinjiang-grid-womens-groups")
    address = "https://cases.example.org/" + page_address(case)
    page = render_site(catalog, None, LINKS, "https://cases.example.org/")[case].html
    assert f"<span>{address}</span>" in page
    files = citation_files(catalog.cases, lambda case_id: case_page_url("https://cases.example.org/", LINKS, case_id))
    assert f"url = {{{address}}}" in files[route("citation", "jinjiang-grid-womens-groups", "bib")]


# --- casebook draft ---------------------------------------------------------------------------

def test_draft_finds_every_figure_the_real_case_records(archive, catalog):
    from casebook.draft import figures_in
    for case_id, source_id in (("jinjiang-grid-womens-groups", "ijjnews-jinjiang-grid-womens-federation"),
                               ("fengnan-xugezhuang-police-grid-fusion", "cnwomen-fengnan-he-yali"),
                               ("chaoyang-nongzhanguan-lake-water-supply", "cnwomen-chaoyang-lake-water-supply")):
        found = {(float(f.value), f.unit) for f in figures_in(archive.get(source_id).text)}
        case = next(c for c in catalog.cases if c.id == case_id)
        # The editor may write a rate's unit in full (每天3000立方米 -> 立方米/天): the draft's unit opens it.
        missed = [(m.value, m.unit) for m in case.metrics
                  if not any(value == float(m.value) and m.unit.startswith(unit) for value, unit in found)]
        assert missed == [], case_id


def test_draft_command_writes_a_case_whose_quotes_all_pass_the_archive_check(tmp_path, archive):
    output = tmp_path / "cases" / "draft.yaml"
    output.parent.mkdir()
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "draft", "--source",
                             str(LIBRARY / "sources" / "cnwomen-fengnan-he-yali.md"), "--output", str(output)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert data["sources"][0]["archive"] == "cnwomen-fengnan-he-yali"
    values = [(m["value"], m["unit"], m.get("qualifier", "")) for m in data["metrics"]]
    assert (2, "万人", "余") in values and (90, "%", "以上") in values and (100, "期", "余") in values
    assert check_provenance([load_case_file(output)], archive) == []
    again = subprocess.run([sys.executable, "-m", "casebook.cli", "draft", "--source",
                            str(LIBRARY / "sources" / "cnwomen-fengnan-he-yali.md"), "--output", str(output)],
                           cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 2 and "不会覆盖" in again.stderr


def test_draft_reads_ranges_and_skips_dates_and_ordinals():
    from casebook.draft import figures_in
    figures = figures_in("2022年5月19日,第四网格每个村均有2~3个网格妇女小组,一张石桌。")
    assert [(float(f.value), float(f.value_max), f.unit) for f in figures] == [(2.0, 3.0, "个")]


def test_contributing_states_the_date_thresholds_the_check_uses():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"相差超过 {SAME_ARTICLE_DAYS} 天就提醒" in text
    assert f"报道年份 < 开始年份 − {YEARS_BEFORE_PERIOD}" in text
