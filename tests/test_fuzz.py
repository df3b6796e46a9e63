"""Property-based tests: random and mutated files never crash the validator or the renderer."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from casebook.citation import Citation
from casebook.load import LoadedFile, _parse
from casebook.model import Case
from casebook.render import PageRenderer
from casebook.routes import route
from casebook.validate import validate_files
from casebook_mkdocs.pages import file_links
from helpers import EXAMPLE_CASE

EXAMPLE_TEXT = EXAMPLE_CASE.read_text(encoding="utf-8")
EXAMPLE = yaml.safe_load(EXAMPLE_TEXT)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)


def validate_text(text: str, vocabulary):
    loaded = LoadedFile(path=EXAMPLE_CASE, display_path="cases/fuzz.yaml")
    _parse(loaded, text)
    return loaded, validate_files([loaded], vocabulary, dt.date(2026, 11, 23))


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_gives_problems_not_exceptions(vocabulary, text):
    _, problems = validate_text(text, vocabulary)
    assert all(p.path == "cases/fuzz.yaml" and p.message for p in problems)


@SETTINGS
@given(position=st.integers(0, len(EXAMPLE_TEXT) - 1), length=st.integers(1, 40), insert=st.text(max_size=20))
def test_mutated_real_case_gives_problems_or_renders(vocabulary, position, length, insert):
    text = EXAMPLE_TEXT[:position] + insert + EXAMPLE_TEXT[position + length:]
    loaded, problems = validate_text(text, vocabulary)
    if not problems:  # a valid mutation must render
        case = Case.from_data(loaded.data, "cases/fuzz.yaml")
        assert str(escape(case.title)) in _case_page(vocabulary, case)  # shown, escaped as Jinja does (& " < >)


def _case_page(vocabulary, case) -> str:
    render_page = PageRenderer(vocabulary, file_links(use_directory_urls=True), "", {}, {})
    return render_page("case.html.j2", route("case", "x"), case=case, comparables=None, citation=Citation(case, "")).html


def test_title_with_quotes_and_angle_brackets_is_shown_escaped(vocabulary):
    # Markup (< and a letter) is refused in case text; brackets around other characters are text.
    title = '晋江"网格+妇联" & <格姐> 1<2'
    loaded, problems = validate_text(yaml.safe_dump(dict(EXAMPLE, title=title), allow_unicode=True), vocabulary)
    assert not problems
    page = _case_page(vocabulary, Case.from_data(loaded.data, "cases/fuzz.yaml"))
    assert "晋江&#34;网格+妇联&#34; &amp; &lt;格姐&gt; 1&lt;2" in page and "<格姐>" not in page


@SETTINGS
@given(field=st.sampled_from(sorted(EXAMPLE)), value=yaml_values)
def test_any_value_in_any_field_is_reported_or_accepted(vocabulary, field, value):
    data = dict(EXAMPLE, **{field: value})
    _, problems = validate_text(yaml.safe_dump(data, allow_unicode=True), vocabulary)
    assert all(p.message for p in problems)


# Characters a figure's quote, unit and qualifier are made of: digits, Chinese numerals,
# qualifiers, range marks, full-width and traditional forms, rate units.
figure_text = st.text(st.sampled_from(list("0123456789.,，~-至到约余多以上近超过逾不足不到累计百分之万亿千两三十"
                                           "个名人/年每天%％３戶個 元次起件")),
                      max_size=20)


@SETTINGS
@given(quote=figure_text, unit=figure_text, value=st.integers(0, 100_000) | st.floats(0, 1e12),
       value_max=st.none() | st.integers(0, 100_000),
       qualifier=st.none() | st.sampled_from(["约", "余", "多", "以上", "近", "超", "逾", "不足", "累计"]))
def test_any_figure_gives_problems_not_exceptions(vocabulary, quote, unit, value, value_max, qualifier):
    metric = {"label": "数据", "value": value, "value_max": value_max, "unit": unit, "qualifier": qualifier,
              "quote": quote}
    data = dict(EXAMPLE, metrics=[{key: item for key, item in metric.items() if item is not None}])
    _, problems = validate_text(yaml.safe_dump(data, allow_unicode=True), vocabulary)
    assert all(p.message for p in problems)
