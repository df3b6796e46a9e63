"""What the browser tests share: the two sizes every page is read at, and axe-core's verdict."""

from __future__ import annotations

import os
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

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
