"""One verdict in two runtimes: the browser's `submission-check` (the 在线投稿 page's check) and
`casebook validate --strict` (its Python rules, in-process) agree on a conformance corpus.

The corpus: every case of the repository's library (on its own site, with its taxonomy) and of the
fixture library, each with its archived articles as the article, and each again with one mistake
(a unit, a qualifier, a quote changed by one character, an unknown tag, a future date, a missing
required field); and every file of tests/fixtures/broken whose data a form could produce (each
rule's own fixture), and the case and article of each test of the claims lint (tests/test_claims.py).
For each, the set of (path, level) both report must be the same; the test fails on any
disagreement. The numerals of every archive are read alike too (cn2an in Python).
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import json
import math
from pathlib import Path

import pytest

import test_claims
from casebook import numerals
from casebook.claims import check_claims, rules
from casebook.load import load_case_file
from casebook.numerals import numbers_in
from casebook.provenance import Archive, ArchivedSource, check_provenance, load_archive
from casebook.schema import resolved_schema
from casebook.submission import dump_yaml
from casebook.validate import validate_files
from helpers import ROOT, TODAY

BROKEN = ROOT / "tests" / "fixtures" / "broken"
LIBRARY = ROOT / "tests" / "fixtures" / "library"


def python_verdict(data: dict, vocabulary, archive, tmp: Path) -> set[tuple[str, str]]:
    """What `casebook validate --strict` reports for the case (as a file named by its id)."""
    path = tmp / "cases" / f"{data.get('id') if isinstance(data.get('id'), str) else 'unnamed'}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_yaml(data), encoding="utf-8")
    loaded = load_case_file(path, path.parent)
    problems = validate_files([loaded], vocabulary, TODAY) + check_provenance([loaded], archive) + check_claims([loaded], archive)
    path.unlink()
    return {(problem.field, problem.severity) for problem in problems}


def browser_verdicts(page, site_url: str, items: list[dict]) -> list[set[tuple[str, str]]]:
    return [{(problem["path"], problem["level"]) for problem in problems} for problems in browser_problems(page, site_url, items)]


def browser_problems(page, site_url: str, items: list[dict]) -> list[list[dict]]:
    page.goto(site_url + "submit/")
    return page.evaluate("""([items, today]) => new Promise(resolve => casebook.define("conformance", ["submission-check"],
        checker => resolve(items.map(item => checker.check(item.case, item.articles, {today})))))""",
                         [items, TODAY.isoformat()])


def as_json(data):
    """The data as the browser holds it (a date read by YAML becomes its text)."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def finite(data) -> bool:
    if isinstance(data, float):
        return math.isfinite(data)
    if isinstance(data, dict):
        return all(finite(value) for value in data.values())
    if isinstance(data, list):
        return all(finite(value) for value in data)
    return True


def absent_qualifier(metric: dict, allowed: list[str]) -> str:
    """A qualifier of the schema that the metric's quote does not write anywhere."""
    return next(q for q in allowed if q != metric.get("qualifier") and q not in metric["quote"])


def with_mistakes(name: str, data: dict, qualifiers: list[str]) -> dict[str, dict]:
    """The case and the case with each kind of mistake; its expected path beside each."""
    cases = {f"{name}": data}

    def changed(kind: str, change) -> None:
        mistaken = copy.deepcopy(data)
        change(mistaken)
        cases[f"{name} / {kind}"] = mistaken

    metric = next((i for i, m in enumerate(data.get("metrics", [])) if isinstance(m, dict)), None)
    if metric is not None:
        changed("unit", lambda d: d["metrics"][metric].update(unit="万" + d["metrics"][metric]["unit"]))
        changed("qualifier", lambda d: d["metrics"][metric].update(
            qualifier=absent_qualifier(d["metrics"][metric], qualifiers)))
        changed("quote", lambda d: d["metrics"][metric].update(
            quote=d["metrics"][metric]["quote"][:-1] + ("的" if d["metrics"][metric]["quote"][-1] != "的" else "了")))
    changed("tag", lambda d: d["tags"].__setitem__(0, "不存在的标签"))
    changed("future date", lambda d: d["sources"][0].update(date=(TODAY + dt.timedelta(days=40)).isoformat()))
    changed("missing", lambda d: d.pop("summary"))
    return cases


def corpus(cases_dir: Path, sources_dir: Path, qualifiers: list[str]) -> tuple[dict, dict, object]:
    archive, _ = load_archive(sources_dir)
    items, articles = {}, {}
    for path in sorted(cases_dir.glob("*.yaml")):
        data = as_json(load_case_file(path, cases_dir).data)
        items.update(with_mistakes(path.stem, data, qualifiers))
        for source in data["sources"]:
            record = archive.get(source.get("archive", ""))
            if record:  # what the rules read of an archive: its text and its dates
                articles[source["archive"]] = {name: getattr(record, name) or None
                                               for name in ("text", "date", "reposted", "archived")}
    return items, articles, archive


def assert_agree(items: dict, articles: dict, verdicts: list, vocabulary, archive, tmp: Path) -> None:
    disagreements = []
    for (name, data), browser in zip(items.items(), verdicts, strict=True):
        python = python_verdict(data, vocabulary, archive, tmp)
        if " / " in name:
            assert python, f"{name}: the mistake must be one the validator reports"
        if python != browser:
            disagreements.append(f"{name}: Python {sorted(python)} / browser {sorted(browser)}")
    assert not disagreements, "\n".join(disagreements)


def qualifiers_of(vocabulary) -> list[str]:
    return resolved_schema(vocabulary)["properties"]["metrics"]["items"]["properties"]["qualifier"]["enum"]


def test_the_library_and_its_mistakes_get_one_verdict(page, real_site_url, real_project, real_catalog, tmp_path):
    vocabulary = real_catalog.vocabulary
    items, articles, archive = corpus(real_project.cases_dir, real_project.sources_dir, qualifiers_of(vocabulary))
    assert len(items) >= 6 * len(list(real_project.cases_dir.glob("*.yaml")))
    verdicts = browser_verdicts(page, real_site_url, [{"case": data, "articles": articles} for data in items.values()])
    assert_agree(items, articles, verdicts, vocabulary, archive, tmp_path)
    assert not [name for name, found in zip(items, verdicts, strict=True) if " / " not in name and found]  # valid cases pass


def test_the_fixture_library_and_each_rules_fixture_get_one_verdict(page, site_url, vocabulary, tmp_path):
    items, articles, archive = corpus(LIBRARY / "cases", LIBRARY / "sources", qualifiers_of(vocabulary))
    for path in sorted(BROKEN.glob("*.yaml")):
        if path.is_symlink():
            continue
        loaded = load_case_file(path, BROKEN)
        if isinstance(loaded.data, dict) and finite(loaded.data):  # a form gives no YAML mistakes nor infinity
            items[f"broken/{path.name}"] = as_json(loaded.data)
    assert sum(name.startswith("broken/") for name in items) >= 15
    verdicts = browser_verdicts(page, site_url, [{"case": data, "articles": articles} for data in items.values()])
    assert_agree(items, articles, verdicts, vocabulary, archive, tmp_path)
    by_name = dict(zip(items, verdicts, strict=True))
    # Each rule's fixture is caught where the validator catches it (not merely agreed on).
    assert ("metrics[1].unit", "error") in by_name["broken/wrong-unit.yaml"]
    assert ("sources[0].date", "error") in by_name["broken/future-date.yaml"]
    assert ("tags[0]", "error") in by_name["broken/unknown-tag.yaml"]


def claims_fixtures() -> dict[str, tuple[str, dict]]:
    """The article and the case of each test of the claims lint's rules (tests/test_claims.py), as
    the test builds them: each test taking no fixture is run with its ``hits`` recording what it is
    given (the test still asserts what it asserts)."""
    recorded: dict[str, tuple[str, dict]] = {}
    real = test_claims.hits
    with pytest.MonkeyPatch.context() as patch:
        for name, test in vars(test_claims).items():
            if name.startswith("test_") and inspect.isfunction(test) and not inspect.signature(test).parameters:
                def recording(text, _name=name, **case):
                    recorded[f"claims/{_name}/{sum(key.startswith(f'claims/{_name}/') for key in recorded)}"] = (text, case)
                    return real(text, **case)
                patch.setattr(test_claims, "hits", recording)
                test()
    return recorded


def test_each_claims_rule_s_fixture_gets_one_verdict_and_the_same_words(page, site_url, vocabulary, tmp_path):
    fixtures = claims_fixtures()
    items, articles, sources = {}, {}, {}
    for number, (name, (text, case)) in enumerate(fixtures.items()):
        reference = f"claims-{number}"
        sources[reference] = ArchivedSource(id=reference, path=f"sources/{reference}.md", text=text, archived="2026-11-27")
        articles[reference] = {"text": text, "date": None, "reposted": None, "archived": "2026-11-27"}
        items[name] = as_json({**case, "sources": [{"archive": reference}]})
    archive = Archive(sources)
    # The marks a person leaves: one that silences a hit, one that no longer matches any.
    library, _ = load_archive(LIBRARY / "sources")
    marked = as_json(load_case_file(LIBRARY / "cases" / "jinchuan-tongxin-365.yaml", LIBRARY / "cases").data)
    marked["reviewed"] = [{"path": "outcomes[0]", "rule": "转述", "note": "报道的记者核实过这个数字"},
                          {"path": "summary", "rule": "照抄", "note": "早先的摘要照抄过原文，已改写"}]
    items["claims/reviewed"] = marked
    record = library.get(marked["sources"][0]["archive"])
    articles[record.id] = {"text": record.text, "date": record.date or None, "reposted": record.reposted or None,
                           "archived": record.archived}
    archive = Archive({**archive.sources, record.id: record})
    assert len(fixtures) >= 15
    found = browser_problems(page, site_url, [{"case": data, "articles": articles} for data in items.values()])
    verdicts = [{(problem["path"], problem["level"]) for problem in problems} for problems in found]
    assert_agree(items, articles, verdicts, vocabulary, archive, tmp_path)
    # The warnings' words too: each says what triggered it, as the Python rule says it.
    words = {}
    for (name, data), problems in zip(items.items(), found, strict=True):
        path = tmp_path / "cases" / f"{name.replace('/', '-')}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml(data), encoding="utf-8")
        python = {(p.field, p.message, p.hint) for p in check_claims([load_case_file(path, path.parent)], archive)}
        browser = {(p["path"], p["message"], p["hint"]) for p in problems if p["level"] == "warning"
                   and (p["hint"] in {rule["hint"] for rule in rules().values()} or p["path"].startswith("reviewed"))}
        assert browser == python, name
        words[name] = browser
    # Every rule's fixture is caught in the browser (not merely agreed on), and a mark works.
    caught = {message.split("：")[0] for found in words.values() for _, message, _ in found}
    assert caught >= {rule["title"] for rule in rules().values()}
    assert {path for path, _, _ in words["claims/reviewed"]} == {"outcomes[2]", "reviewed[1]"}


def test_a_traditional_script_quote_is_read_as_the_validator_reads_it(page, site_url, vocabulary, tmp_path):
    archive, _ = load_archive(LIBRARY / "sources")
    traditional = next(record for record in archive if record.traditional)
    case = next(as_json(load_case_file(path, LIBRARY / "cases").data) for path in (LIBRARY / "cases").glob("*.yaml")
                if any(s.get("archive") == traditional.id for s in load_case_file(path, LIBRARY / "cases").data["sources"]))
    metric = next(i for i, m in enumerate(case.get("metrics", [])) if any(ch in m["quote"] for ch in "個萬餘戶"))
    wrong = copy.deepcopy(case)
    wrong["metrics"][metric]["unit"] = "名"
    items = {"traditional": case, "traditional / unit": wrong}
    articles = {traditional.id: {"text": traditional.text, "date": traditional.date or None, "archived": traditional.archived}}
    verdicts = browser_verdicts(page, site_url, [{"case": data, "articles": articles} for data in items.values()])
    # (the case's claims warnings, which the validator gives too, are not the point here)
    assert not [found for found in verdicts[0] if found[1] == "error"] and ("metrics[%d].unit" % metric, "error") in verdicts[1]
    assert_agree(items, articles, verdicts, vocabulary, archive, tmp_path)


@pytest.mark.parametrize("library", ["repository", "fixtures"])
def test_numerals_are_read_as_cn2an_reads_them(page, site_url, library):
    sources = (ROOT if library == "repository" else LIBRARY) / "sources"
    # Every numeral of the archives (numerals' own pattern, on its folded text), with its neighbours.
    runs = sorted({folded[max(0, m.start() - 2):m.end() + 2] for path in sources.glob("*.md")
                   for folded in [numerals._fold(path.read_text(encoding="utf-8"))[0]]
                   for m in numerals._CHINESE.finditer(folded)})
    runs += ["一万二", "三百四", "两千五百", "兩萬", "1亿2000万", "五十六点七", "百余期", "8万3千", "2.3万", "二〇二四",
             "一千零二", "1千20", "3千5", "十万零一千", "二十三百", "三亿五", "伍15", "一百二十五万三", "零点五"]
    page.goto(site_url + "submit/")
    found = page.evaluate("""runs => new Promise(resolve => casebook.define("numerals", ["submission-check"],
        checker => resolve(runs.map(run => checker.numbersIn(run)))))""", runs)
    wrong = [(run, sorted(float(v) for v in numbers_in(run)), sorted(set(js))) for run, js in zip(runs, found, strict=True)
             if {float(v) for v in numbers_in(run)} != set(js)]
    assert len(runs) > 50 and not wrong
