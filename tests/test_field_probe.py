"""Issue 23's probe: one optional text field added to the schema alone, with a value in one case,
reaches every place a field goes (the case page under its name, the printed page and the tag's
training pack, the compare page's fields, the JSON and CSV downloads, `casebook search` and the
browser's finder), and a field opts out of each in its schema entry.

The copy's own package (and so the copy's schema) runs every command, as on a fresh clone where
the schema is edited in place."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casebook.finder import FINDER_DIR, tokens
from casebook.routes import route
from helpers import EXAMPLE_CASE, LIBRARY, ROOT, SITE_URL, built_folder, copy_project, read_page

# The probe's entry, written as the issue gives it, after `background`.
FUNDING_ENTRY = """\
  funding:
    type: string
    title: 资金来源
    description: 做法的资金从哪里来。
    x-multiline: true
"""
# Two paragraphs; ONLY_HERE is in no other field of the fixture library nor in the site's own
# pages (checked below), nor are some of its character pairs (what the finder stores).
FUNDING = "市妇联申请彩票公益金作为启动经费。\n\n镇街按年度预算补贴妇女小组的活动开支。"
ONLY_HERE = "彩票公益金"
WORD = "彩票"  # a word of ONLY_HERE as the search segments it (公益 is in other cases)


def _elsewhere() -> str:
    return "".join(path.read_text(encoding="utf-8")
                   for path in [*(LIBRARY / "cases").glob("*.yaml"), *(ROOT / "docs").rglob("*.md")])


UNIQUE_PAIRS = set(tokens(ONLY_HERE)) - set(tokens(_elsewhere()))


def _add_field(root: Path, entry: str = FUNDING_ENTRY) -> None:
    schema_path = root / "scripts" / "casebook" / "case_schema.yaml"
    schema = schema_path.read_text(encoding="utf-8")
    assert schema.count("\n  practice:\n") == 1
    schema_path.write_text(schema.replace("\n  practice:\n", f"\n{entry}  practice:\n"), encoding="utf-8")
    case_path = root / "cases" / EXAMPLE_CASE.name
    block = "\n".join(f"  {line}" if line else "" for line in FUNDING.split("\n"))
    case_path.write_text(case_path.read_text(encoding="utf-8") + f"funding: |-\n{block}\n", encoding="utf-8")


def _run(root: Path, *args) -> subprocess.CompletedProcess:
    """A command run with the copy's package first on the path, as `make` runs it in a clone."""
    env = {**os.environ, "PYTHONPATH": str(root / "scripts"), "NO_MKDOCS_2_WARNING": "1",
           "CASEBOOK_SITE_URL": SITE_URL, "CASEBOOK_OFFLINE": "false"}
    result = subprocess.run([sys.executable, "-m", *args], cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _build(root: Path) -> Path:
    _run(root, "casebook.cli", "schema")
    _run(root, "mkdocs", "build", "--strict", "-d", str(root / "site"))
    return root / "site"


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("probe") / "project"
    copy_project(root)
    _add_field(root)
    _build(root)
    return root


def _section_under(html: str, heading: str) -> str:
    """The HTML from the heading named ``heading`` up to the next heading of its level."""
    match = re.search(rf"<(h[23])[^>]*>{heading}(?:<[^>]*>[^<]*)*?</\1>(.*?)(?=<\1[ >]|$)", html, re.S)
    assert match, f"no heading {heading}"
    return match.group(2)


def test_the_probe_words_are_in_no_other_field():
    assert WORD in ONLY_HERE and WORD not in _elsewhere() and UNIQUE_PAIRS


def test_the_case_page_shows_the_field_under_its_title(probed):
    html = read_page(probed / "site", route("case", EXAMPLE_CASE.stem))
    section = _section_under(html, "资金来源")
    assert all(f"<p>{paragraph}</p>" in section for paragraph in FUNDING.split("\n\n"))
    # after the background, before the practice, as in the schema; printed with the page
    assert html.index('id="背景"') < html.index('id="资金来源"') < html.index('id="做法"')
    assert "cb-screen-only" not in html[html.index('id="资金来源"') - 200:html.index('id="做法"')]


def test_the_tags_training_pack_prints_the_field(probed):
    cases = [case for path in (probed / "site" / built_folder("pack")).glob("*/index.html")
             for case in path.read_text(encoding="utf-8").split('<section class="cb-pack-case">')
             if f'id="{EXAMPLE_CASE.stem}"' in case]
    assert cases
    for case in cases:
        assert FUNDING.split("\n\n")[0] in _section_under(case, "资金来源")


def _fields_script(site: Path) -> str:
    """The built fields.js, named by its content (fields.1a2b3c4d.js)."""
    (script,) = (site / "assets" / "javascripts").glob("fields.*.js")
    return script.read_text(encoding="utf-8")


def test_the_compare_page_has_a_row_for_the_field(probed):
    script = _fields_script(probed / "site")
    fields = json.loads(script[script.index("{"):script.rindex("}") + 1])["fields"]
    assert any(field["path"] == "funding" and field["label"] == "资金来源" for field in fields)


def test_the_downloads_hold_the_value(probed):
    site = probed / "site"
    record = json.loads((site / route("case_json", EXAMPLE_CASE.stem)).read_text(encoding="utf-8"))
    assert record["funding"] == FUNDING
    assert list(record).index("funding") == list(record).index("background") + 1
    rows = csv.DictReader(io.StringIO((site / route("cases_csv")).read_text(encoding="utf-8-sig")))
    assert {row["id"]: row["funding"] for row in rows}[EXAMPLE_CASE.stem] == FUNDING


def test_the_issue_form_asks_for_the_field(probed):
    form = (probed / ".github" / "ISSUE_TEMPLATE" / "submit-case.yml").read_text(encoding="utf-8")
    assert "id: funding" in form and "label: 资金来源" in form


def test_casebook_search_finds_the_case_by_the_fields_words(probed):
    hits = json.loads(_run(probed, "casebook.cli", "search", WORD, "--json").stdout)
    assert [hit["id"] for hit in hits] == [EXAMPLE_CASE.stem]


def test_the_finder_indexes_the_fields_words(probed):
    finder = "".join(path.read_text(encoding="utf-8") for path in (probed / "site" / FINDER_DIR).rglob("*.js"))
    assert all(f'"{pair}"' in finder for pair in UNIQUE_PAIRS)


def test_a_field_opts_out_of_each_place(tmp_path):
    root = tmp_path / "project"
    copy_project(root)
    _add_field(root, FUNDING_ENTRY + "    x-print: false\n    x-search: false\n    x-compare: false\n"
                                     "    x-export: false\n    x-form: false\n")
    site = _build(root)
    html = read_page(site, route("case", EXAMPLE_CASE.stem))
    shown = html[html.index('id="资金来源"') - 200:html.index('id="做法"')]
    assert "cb-screen-only" in shown and FUNDING.split("\n\n")[0] in shown  # on screen, not on paper
    packs = "".join(path.read_text(encoding="utf-8") for path in (site / built_folder("pack")).glob("*/index.html"))
    assert "资金来源" not in packs and ONLY_HERE not in packs
    assert "funding" not in _fields_script(site)
    assert "funding" not in (site / route("case_json", EXAMPLE_CASE.stem)).read_text(encoding="utf-8")
    assert "funding" not in (site / route("cases_csv")).read_text(encoding="utf-8-sig")
    assert "funding" not in (root / ".github" / "ISSUE_TEMPLATE" / "submit-case.yml").read_text(encoding="utf-8")
    assert json.loads(_run(root, "casebook.cli", "search", WORD, "--json").stdout) == []
    finder = "".join(path.read_text(encoding="utf-8") for path in (site / FINDER_DIR).rglob("*.js"))
    assert not any(f'"{pair}"' in finder for pair in UNIQUE_PAIRS)
