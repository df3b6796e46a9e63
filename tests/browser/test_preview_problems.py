"""`make serve` with a broken case file, in Chromium at phone and desktop size: the problems
banner above the page is readable, folds away with one tap, and passes axe-core.

The preview runs as a contributor runs it (`mkdocs serve` in a subprocess, tests/helpers.py);
screenshots go to build/screenshots/preview-problems-<width>.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from browsing import SIZES, serious_violations
from casebook.routes import route
from helpers import ServedPreview, copy_project, page_address


def test_preview_banner_reads_on_a_phone_and_folds_away(browser, tmp_path, screenshots):
    project = copy_project(tmp_path / "repo")
    first, second, shown = sorted(project.cases_dir.glob("*.yaml"))[:3]
    for broken in (first, second):
        text = broken.read_text(encoding="utf-8")
        broken.write_text(re.sub(r"(?m)^level: .*$", "level: 县级", text, count=1), encoding="utf-8")
    with ServedPreview(project) as preview:
        for size, options in SIZES.items():
            context = browser.new_context(locale="zh-CN", **options)
            page = context.new_page()
            page.goto(preview.url + ("" if size == "phone" else page_address(route("case", shown.stem))))
            banner = page.locator(".cb-preview-problems")
            expect(banner).to_be_visible()
            for broken in (first, second):
                expect(banner).to_contain_text(f"cases/{broken.name}:")
            width = options["viewport"]["width"]
            page.screenshot(path=str(screenshots / f"preview-problems-{width}.png"))
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert serious_violations(page) == [], size
            # One tap folds the list: the page below is what the contributor is checking.
            page.locator(".cb-preview-problems > summary").click()
            expect(banner.locator("li").first).to_be_hidden()
            context.close()
