"""The repository's library as a reader meets it, in Chromium: a sample of its pages of every type
that shows cases, at phone and desktop size, reads without sideways scrolling, and axe-core finds
no serious or critical violation. The sample is chosen from whatever the library holds: the fewest
case pages that between them show every kind of element, the source with the most text, the most used tag, the
province with the most cases."""

from __future__ import annotations

from collections import Counter

import pytest

from browsing import cases_showing_every_kind, serious_violations
from casebook.catalog import read_catalog
from casebook.routes import route
from helpers import page_address


@pytest.fixture(scope="module")
def sample(real_project, real_site) -> dict[str, list[str]]:
    catalog = read_catalog(real_project)
    vocabulary = catalog.vocabulary
    source = max(catalog.archive, key=lambda source: (len(source.text), source.id))
    tag = vocabulary.tag(Counter(name for case in catalog.cases for name in case.tags).most_common(1)[0][0])
    province = Counter(case.region.province for case in catalog.cases).most_common(1)[0][0]
    return {"home": [""], "case": [page_address(route("case", case_id)) for case_id in cases_showing_every_kind(real_site)],
            "tag": [f"tags/{tag.slug}/"], "pack": [f"packs/{tag.slug}-1/"],
            "province": [f"regions/{vocabulary.province(province).slug}/"], "source": [f"sources/{source.id}/"]}


@pytest.mark.parametrize("kind", ["home", "case", "tag", "pack", "province", "source"])
def test_sample_page_reads_and_has_no_serious_accessibility_violation(
        sized_page, real_site_url, sample, kind):  # noqa: F811 (the fixture imported above)
    page = sized_page
    width = page.viewport_size["width"]
    for path in sample[kind]:
        page.goto(real_site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
        serious = serious_violations(page)
        assert serious == [], f"{path}:\n" + "\n".join(serious)
