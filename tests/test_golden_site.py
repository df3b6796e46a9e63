"""The fixture library's whole site against tests/golden/site/: what every page says (the article
that MkDocs and Material wrap in their navigation), the downloads, the per-case API and citation
files and the scripts the build generates. A change to a template, a rule or the fixture library
shows here as a diff of the files it changes.

After an intended change: `make golden`, then read `git diff tests/golden/site` before committing.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from pathlib import Path

GOLDEN = Path(__file__).with_name("golden") / "site"
# Besides the pages: what the build writes from the cases. The theme's own assets and the finder's
# index shards (numbers, checked by the search tests) are left out, and so is the benchmark report,
# which `make bench` writes into docs/benchmarks.md from its measurements.
MEASURED = ("benchmarks/",)
GENERATED = ("api/", "cite/", "downloads/", "assets/javascripts/fields.js", "assets/javascripts/folding.js",
             "assets/javascripts/routes.js", "assets/javascripts/search.js")
# A build names generated scripts by their content (routes.1a2b3c4d.js): kept under the plain name,
# so that a change shows as a diff of the file, not as one file gone and another new.
CONTENT_HASH = re.compile(r"\.[0-9a-f]{8}(?=\.js$)")
# The finder index's folder is named by the hash of the whole index, hand-written pages included.
INDEX_VERSION = re.compile(r"(?<=finder-index/)[0-9a-f]{8}(?=/)")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
# One block per line, so that a diff names the paragraph, item or row that changed.
BLOCK_START = re.compile(r"(?<!\n)(<(?:h[1-6]|p|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|section|div|details|"
                         r"summary|blockquote|figure|nav|form|fieldset|pre)\b)")
SHOWN_DIFFS = 5


def snapshot(site: Path) -> dict[str, str]:
    """The site's files as the golden folder keeps them: pages reduced to their article, one
    block per line; generated data files as they are."""
    files = {}
    for path in sorted(site.rglob("*")):
        name = CONTENT_HASH.sub("", path.relative_to(site).as_posix())
        if name.startswith(MEASURED):
            continue
        if path.suffix == ".html":
            article = ARTICLE.search(path.read_text(encoding="utf-8"))
            if article:
                files[name] = BLOCK_START.sub(r"\n\1", article.group(1).strip()) + "\n"
        elif path.is_file() and name.startswith(GENERATED):
            files[name] = INDEX_VERSION.sub("{version}", path.read_text(encoding="utf-8"))
    return files


def golden_files() -> dict[str, str]:
    return {path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(GOLDEN.rglob("*")) if path.is_file()}


def write_golden(files: dict[str, str]) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, text in files.items():
        path = GOLDEN / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_built_site_matches_the_golden_folder(built_site):
    built = snapshot(built_site)
    if os.environ.get("UPDATE_GOLDEN"):
        write_golden(built)
    expected = golden_files()
    report = []
    if missing := sorted(expected.keys() - built.keys()):
        report.append("no longer built: " + ", ".join(missing))
    if added := sorted(built.keys() - expected.keys()):
        report.append("newly built: " + ", ".join(added))
    changed = [name for name in sorted(expected.keys() & built.keys()) if expected[name] != built[name]]
    for name in changed[:SHOWN_DIFFS]:
        report.append("".join(difflib.unified_diff(expected[name].splitlines(keepends=True),
                                                   built[name].splitlines(keepends=True),
                                                   f"golden/{name}", f"built/{name}", n=1)))
    if len(changed) > SHOWN_DIFFS:
        report.append(f"{len(changed) - SHOWN_DIFFS} more files differ: " + ", ".join(changed[SHOWN_DIFFS:]))
    assert not report, ("The site differs from tests/golden/site (if the change is intended: make golden, "
                        "then review git diff tests/golden/site):\n" + "\n".join(report))
