"""What the browser tests share: the two sizes every page is read at, and axe-core's verdict."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from casebook.routes import route
from helpers import read_page

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
SERIOUS = {"serious", "critical"}
AXE = Axe()


def serious_violations(page, within: str | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each; with
    ``within`` (a regular expression), only those on elements whose selector matches it."""
    violations = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations if v["impact"] in SERIOUS
            and (within is None or any(re.search(within, str(n["target"])) for n in v["nodes"]))]


# `make screenshots` sets this: whole pages saved for a person to look at. `make test` (and CI,
# where no one looks) leaves them out; a failing test always saves its page (conftest.py).
FOR_REVIEW = os.environ.get("CASEBOOK_SCREENSHOTS") == "1"


def full_page_screenshot(page, path: Path) -> None:
    """A whole page, one image pixel per CSS pixel: a phone's double density would quadruple the
    pixels to encode (seconds for a long page) and adds nothing to judging the layout."""
    page.screenshot(path=str(path), full_page=True, scale="css")


def screenshot_for_review(page, path: Path) -> None:
    """The whole page into build/screenshots/, when `make screenshots` asks for them."""
    if FOR_REVIEW:
        full_page_screenshot(page, path)



class _ElementKinds(HTMLParser):
    """The project's classes (cb-*) a page uses, alone and inside each of its classed ancestors:
    an editor's mark inside the overview's grey box is another kind than one in a figure's row."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.open: list[list[str]] = []
        self.kinds: set = set()

    def handle_starttag(self, tag, attrs):
        classes = [name for key, value in attrs if key == "class" and value
                   for name in value.split() if name.startswith("cb-")]
        for name in classes:
            self.kinds.add(name)
            self.kinds.update((ancestor, name) for ancestors in self.open for ancestor in ancestors)
        if tag not in self.VOID:
            self.open.append(classes)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()


def cases_showing_every_kind(site: Path) -> list[str]:
    """The fewest case pages (ids, the richest first) that between them show every kind of
    element the library's case pages show. What a case page shows depends on what its file holds
    (an editor's date in the overview, a traditional-script quote), so checking one page misses
    what only another case has; checking every page does not scale."""
    kinds = {}
    for case in json.loads((site / route("cases_json")).read_text(encoding="utf-8")):
        parser = _ElementKinds()
        parser.feed(read_page(site, route("case", case["id"])))
        kinds[case["id"]] = parser.kinds
    missing, chosen = set().union(*kinds.values()), []
    while missing:
        best = max(sorted(kinds), key=lambda case_id: len(kinds[case_id] & missing))
        chosen.append(best)
        missing -= kinds[best]
    return chosen
