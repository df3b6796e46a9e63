"""The one reader of untrusted text (casebook.untrusted), through each of its users: case files
(tests/test_broken_fixtures.py holds those), archived sources and intake's submissions. Each
hostile input (tests/fixtures/hostile) is refused with its message at its place, within a time
and memory bound, and nothing is written; random structures and text never raise."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebook.intake import IntakeFailed, intake, read_answers
from casebook.load import load_yaml_text
from casebook.submission import form_fields
from helpers import ROOT, TODAY, copy_project
from test_intake import BODY, files_in, with_answer

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of a checked command: the bombs asked for gigabytes
SECONDS = 30  # far above what each command takes (a second or two); the bombs ran for minutes


def run_bounded(*args, cwd, stdin=None) -> subprocess.CompletedProcess:
    """A `casebook` command limited in memory and time, as a hostile input must leave it."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    return subprocess.run([sys.executable, "-m", "casebook.cli", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=SECONDS, preexec_fn=limit)


@pytest.fixture(scope="module")
def empty_repo(tmp_path_factory):
    """The software with no case and no archive: whatever is there after a test, it wrote."""
    project = copy_project(tmp_path_factory.mktemp("hostile") / "repo", with_cases=False)
    for path in project.sources_dir.glob("*.md"):
        path.unlink()
    return project


# --- archives ---------------------------------------------------------------------------------

# Each hostile archive: (line, field, words of its message).
ARCHIVES = {
    "javascript-url.md": (4, "url", "格式不对：“javascript:alert(document."),
    "alias-bomb.md": (2, "", "不支持 YAML 锚点和别名（& 和 *），共 70 处"),
    "gbk.md": (2, "", "文件不是 UTF-8 编码（看起来是 GBK/GB18030）"),
    "nul-byte.md": (6, "", "含有不可见的控制字符 U+0000"),
    "impossible-date.md": (3, "date", "“2024-13-01”不是有效的日期"),
    "markup-in-title.md": (2, "title", "不能含有网页标记：“<img”"),
    "deep-nesting.md": (2, "title", "嵌套超过 20 层"),
}


@pytest.fixture(scope="module")
def archive_report(empty_repo):
    """`casebook validate` of the hostile archives, which are gone again once it has run."""
    shutil.copytree(HOSTILE / "sources", empty_repo.sources_dir, dirs_exist_ok=True)
    (empty_repo.sources_dir / "deep-nesting.md").write_text(f"---\ntitle: {'[' * 50_000}\n---\n\n正文\n",
                                                            encoding="utf-8")
    started = time.perf_counter()
    try:
        result = run_bounded("validate", cwd=empty_repo.root)
    finally:
        for name in ARCHIVES:
            (empty_repo.sources_dir / name).unlink()
    return result, time.perf_counter() - started


def test_hostile_archives_are_all_reported_by_one_validate_run_quickly(archive_report):
    result, seconds = archive_report
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert seconds < SECONDS
    for name in ARCHIVES:
        assert f"sources/{name}:" in result.stderr, name


@pytest.mark.parametrize("name", sorted(ARCHIVES))
def test_each_hostile_archive_gets_its_message_at_its_line_and_field(archive_report, name):
    result, _ = archive_report
    line, field, words = ARCHIVES[name]
    where = f"sources/{name}:{line}:"
    lines = [text for text in result.stderr.splitlines() if text.startswith(where)]
    assert any(words in text and (not field or f": {field}: " in text) for text in lines), result.stderr


# --- intake -------------------------------------------------------------------------------------

def test_an_alias_bomb_for_a_body_is_refused_at_once(empty_repo):
    # 410 bytes and no ### headings, read as a saved form file: its title is 9**10 items once expanded.
    body = (HOSTILE / "intake" / "alias-bomb.txt").read_text(encoding="utf-8")
    result = run_bounded("intake", "-", cwd=empty_repo.root, stdin=body)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "第 1 行：不支持 YAML 锚点和别名（& 和 *），共 90 处" in result.stderr
    assert files_in(empty_repo) == set()


def test_a_body_of_fifty_thousand_brackets_is_refused_without_a_crash(empty_repo):
    result = run_bounded("intake", "-", cwd=empty_repo.root, stdin="[" * 50_000)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "不是投稿表单的内容" in result.stderr
    assert files_in(empty_repo) == set()


@pytest.mark.parametrize("label, answer, words", [
    ("数据", "```yaml\n" + (HOSTILE / "intake" / "alias-bomb.txt").read_text(encoding="utf-8") + "```",
     "不支持 YAML 锚点和别名（& 和 *），共 90 处"),
    ("数据", "```yaml\n" + "[" * 50_000 + "\n```", "嵌套超过 20 层"),
    ("数据", "- label: 网格妇女小组\n  value: " + "9" * 401 + "\n  unit: 个\n  quote: 305个", "数字太长（401 个字符）"),
    ("摘要", "晋江市妇联推行“网格+妇联”。</p><img src=x onerror=alert(1)>", "不能含有网页标记：“</p”"),
    ("出处：报道原文", "晋江市已组建了305个网格妇女小组\x00，吸纳1397名“格姐”。", "含有不可见的控制字符 U+0000"),
    ("案例编号", "index", "是网站自己的页面或目录用的名字"),
])
def test_a_hostile_field_is_refused_naming_the_field_and_nothing_is_written(empty_repo, vocabulary, label, answer,
                                                                            words):
    started = time.perf_counter()
    with pytest.raises(IntakeFailed) as failed:
        intake(with_answer(BODY, label, answer), empty_repo, vocabulary, TODAY)
    assert time.perf_counter() - started < 10
    assert any(problem.field and problem.field.label == label and words in str(problem)
               for problem in failed.value.problems), [str(p) for p in failed.value.problems]
    assert files_in(empty_repo) == set()


# --- random input -------------------------------------------------------------------------------

SETTINGS = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])

# What a form file or a case may hold: text without control characters, numbers a float holds.
plain_text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
    | plain_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(plain_text.filter(lambda key: key != "<<"), inner,
                                                                 max_size=4),
    max_leaves=20)


@SETTINGS
@given(value=values, flow=st.booleans(), depth=st.integers(0, 3000))
def test_random_structures_come_back_as_written_within_the_nesting_limit(value, flow, depth):
    """Any structure, as the dumper writes it, reads back as it was, placed ``depth`` lists deep
    ("- - - …"); past the limit it is refused with one problem (PyYAML recursed per level)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow, width=float("inf"))
    lines = text.removesuffix("...\n").rstrip("\n").split("\n")  # "...": the end of a lone scalar
    text = "- " * depth + lines[0] + "".join("\n" + "  " * depth + line for line in lines[1:]) + "\n"
    loaded = load_yaml_text(text, "随机.yaml")
    if depth + _depth(value) <= 20:
        wrapped = value
        for _ in range(depth):
            wrapped = [wrapped]
        assert loaded.problems == [] and loaded.data == wrapped, loaded.problems
    else:
        assert loaded.data is None and [p.message for p in loaded.problems] == ["嵌套超过 20 层"]


@SETTINGS
@given(depth=st.integers(1, 60_000), opening=st.sampled_from(["[", "{x: "]))
def test_any_nesting_is_read_to_the_limit_and_refused_past_it(depth, opening):
    """PyYAML recursed once per level: a RecursionError at about 1,000, a crash at 50,000."""
    closing = "]" if opening == "[" else "}"
    started = time.perf_counter()
    loaded = load_yaml_text(opening * depth + "1" + closing * depth, "随机.yaml")
    assert time.perf_counter() - started < 1
    if depth <= 20:
        assert loaded.problems == [] and _depth(loaded.data) == depth
    else:
        assert loaded.data is None and [(p.line, p.message) for p in loaded.problems] == [(1, "嵌套超过 20 层")]


def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@SETTINGS
@given(shared=values.filter(lambda value: isinstance(value, (list, dict))), copies=st.integers(2, 9))
def test_a_shared_structure_is_refused_not_expanded(shared, copies):
    text = yaml.safe_dump({"a": [shared] * copies}, allow_unicode=True)  # the dumper writes & and *
    loaded = load_yaml_text(text, "随机.yaml")
    assert [p.message for p in loaded.problems] == [f"不支持 YAML 锚点和别名（& 和 *），共 {copies} 处"]
    assert loaded.data == {"a": [shared] + [None] * (copies - 1)}


# Text that opens many levels before anything else: PyYAML recursed once per level.
brackets = st.builds(lambda count, mixed: "[" * count + mixed, st.integers(0, 5000), st.text("[{", max_size=50))


@SETTINGS
@given(brackets=brackets, text=st.text(max_size=200))
def test_any_text_gives_problems_never_an_exception(brackets, text):
    loaded = load_yaml_text(brackets + text + "]" * brackets.count("["), "随机.yaml")
    assert all(problem.path == "随机.yaml" and problem.message for problem in loaded.problems)


@SETTINGS
@given(brackets=brackets, text=st.text(max_size=200))
def test_any_submission_is_read_or_refused_never_an_exception(vocabulary, brackets, text):
    try:
        answers = read_answers(brackets + text, form_fields(vocabulary))
    except IntakeFailed as failed:
        assert failed.problems and all(problem.message for problem in failed.problems)
    else:
        assert all(isinstance(answer, str) for answer in answers.values())
