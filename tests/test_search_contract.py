"""The search contract: written once in Python, handed to the browser as search.js, and the only
place the index's names and the finder's names are written."""

from __future__ import annotations

import json
import re
from pathlib import Path

from casebook.catalog import read_catalog
from casebook.finder import finder_files
from casebook.routes import content_named, match
from casebook.search_contract import (
    FACETS,
    INDEX_FILES,
    QUERY_PARAMS,
    SEARCH_SCRIPT,
    contract,
    contract_script,
    index_file,
)

SCRIPTS = Path(__file__).parents[1] / "docs" / "assets" / "javascripts"


def test_every_index_file_is_named_by_a_pattern_of_the_contract(project):
    patterns = [re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(pattern))) for pattern in INDEX_FILES.values()]
    names = [keys["path"] for path in finder_files(read_catalog(project)) if (keys := match("finder_index", path))]
    assert names and all(any(p.fullmatch(name) for p in patterns) for name in names)
    assert {index_file("meta"), index_file("facets"), index_file("overview"), index_file("pages")} <= set(names)


def test_facets_are_the_index_columns_and_the_finder_s_parameters(project):
    facets = json.loads(re.search(r",(\{.*\})\);", next(
        text for path, text in finder_files(read_catalog(project)).items()
        if (match("finder_index", path) or {}).get("path") == index_file("facets")), re.S).group(1))
    assert facets["facets"] == [facet.key for facet in FACETS]
    params = [facet.param for facet in FACETS] + list(QUERY_PARAMS.values())
    assert len(set(params)) == len(params)  # a parameter is a filter or the query's, never both


def test_the_built_site_loads_the_contract_by_its_content_name(built_site):
    (script,) = built_site.glob(SEARCH_SCRIPT.replace(".js", ".*.js"))
    text = script.read_text(encoding="utf-8")
    assert text == contract_script() and script.name == Path(content_named(SEARCH_SCRIPT, text)).name
    provided = json.loads(re.search(r'casebook\.provide\("search-contract", (.*)\);', text, re.S).group(1))
    assert provided == json.loads(json.dumps(contract()))
    for page in ("finder/index.html", "index.html", "about/index.html"):
        assert f"assets/javascripts/{script.name}" in (built_site / page).read_text(encoding="utf-8"), page


def test_no_script_writes_a_name_or_constant_of_the_contract():
    """The browser's scripts read these from search-contract: a literal here would be a second copy."""
    literals = [f'"{pattern.partition("{")[0]}' for pattern in INDEX_FILES.values() if "/" in pattern]
    literals += [f'"{name}"' for name in QUERY_PARAMS.values()] + [f'"{facet.label}"' for facet in FACETS]
    literals += ["\\u3400", "0.15", "PHRASE_CHARS", "KEEP_SHARE", "tag_bonus", "row[0]", '"#"']
    finder_page = (SCRIPTS.parents[1] / "finder.md").read_text(encoding="utf-8")
    scripts = {name: (SCRIPTS / name).read_text(encoding="utf-8")
               for name in ("search-engine.js", "finder.js", "results.js", "search-box.js")}
    scripts["finder.md"] = "\n".join(re.findall(r"<script>(.*?)</script>", finder_page, re.S))
    for script, text in scripts.items():
        code = "\n".join(line.split("//")[0] for line in text.splitlines())  # comments may name them
        assert not [literal for literal in literals if literal in code], script
