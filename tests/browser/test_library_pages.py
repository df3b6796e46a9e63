"""The repository's library as a reader meets it, in Chromium: a sample of its pages of every type
that shows cases, at phone and desktop size, reads without sideways scrolling, and axe-core finds
no serious or critical violation. The sample is chosen from whatever the library holds: the case
and source with the most text, the most used tag, the province with the most cases."""

from __future__ import annotations

from collections import Counter

import pytest

from browsing import serious_violations
from casebook.catalog import read_catalog


@pytest.fixture(scope="module")
def sample(real_project) -> dict[str, str]:
    catalog = read_catalog(real_project)
    vocabulary = catalog.vocabulary
    longest = max(catalog.cases, key=lambda case: (len(case.background) + len(case.metrics) * 40, case.id))
    source = max(catalog.archive, key=lambda source: (len(source.text), source.id))
    tag = vocabulary.tag(Counter(name for case in catalog.cases for name in case.tags).most_common(1)[0][0])
    province = Counter(case.region.province for case in catalog.cases).most_common(1)[0][0]
    return {"home": "", "case": f"cases/{longest.id}/", "tag": f"tags/{tag.slug}/", "pack": f"packs/{tag.slug}-1/",
            "province": f"regions/{vocabulary.province(province).slug}/", "source": f"sources/{source.id}/"}


@pytest.mark.parametrize("kind", ["home", "case", "tag", "pack", "province", "source"])
def test_sample_page_reads_and_has_no_serious_accessibility_violation(
        sized_page, real_site_url, sample, kind):  # noqa: F811 (the fixture imported above)
    page = sized_page
    page.goto(real_site_url + sample[kind])
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (sample[kind], width)
    serious = serious_violations(page)
    assert serious == [], f"{sample[kind]}:\n" + "\n".join(serious)
