"""`casebook intake`: issue-form bodies and saved form files -> a checked case and its archive."""

import re
import subprocess
import sys

import pytest
import yaml

from casebook.catalog import check_paths
from casebook.intake import IntakeFailed, intake, read_answers
from casebook.project import Project
from casebook.routes import route
from casebook.schema import base_schema
from casebook.submission import form_fields
from helpers import ROOT, TODAY, copy_project, read_page, run_mkdocs_build

# An issue made with the GitHub form for a real case and its archived article, as GitHub renders it.
BODY = (ROOT / "tests" / "fixtures" / "intake" / "jinjiang-grid-womens-groups.md").read_text(encoding="utf-8")
CASE_ID = "jinjiang-grid-womens-groups"


def with_answer(body: str, label: str, answer: str) -> str:
    """The body with one field answered differently (as if the contributor typed ``answer``)."""
    pattern = re.compile(rf"(### {re.escape(label)}\n\n).*?(?=\n\n### |\Z)", re.S)
    assert pattern.search(body), label
    return pattern.sub(lambda match: match.group(1) + answer, body, count=1)


def answer_of(body: str, label: str) -> str:
    return re.search(rf"### {re.escape(label)}\n\n(.*?)(?=\n\n### |\Z)", body, re.S).group(1)


@pytest.fixture
def empty_project(tmp_path) -> Project:
    """The repository without its cases and archives: the submission is new to it."""
    project = copy_project(tmp_path / "repo", with_cases=False)
    for path in project.sources_dir.glob("*.md"):
        path.unlink()
    return project


def files_in(project: Project) -> set[str]:
    return {p.relative_to(project.root).as_posix() for folder in (project.cases_dir, project.sources_dir)
            for p in folder.iterdir()}


def casebook(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "casebook.cli", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin)


def test_issue_body_becomes_a_case_and_archive_that_validate_accepts(empty_project, vocabulary):
    written = intake(BODY, empty_project, vocabulary, TODAY)
    assert [p.relative_to(empty_project.root).as_posix() for p in written] == \
        [f"cases/{CASE_ID}.yaml", f"sources/{CASE_ID}.md"]
    _, problems = check_paths(empty_project, [empty_project.cases_dir], vocabulary, TODAY)
    assert problems == []
    case = yaml.safe_load(written[0].read_text(encoding="utf-8"))
    original = yaml.safe_load((ROOT / "cases" / f"{CASE_ID}.yaml").read_text(encoding="utf-8"))
    assert case["metrics"] == original["metrics"] and case["tags"] == original["tags"]
    assert case["sources"][0]["archive"] == CASE_ID
    archive = written[1].read_text(encoding="utf-8")
    assert f"archived: '{TODAY.isoformat()}'" in archive and "publisher: 晋江新闻网" in archive
    assert answer_of(BODY, "出处：报道原文").strip() in archive


@pytest.mark.parametrize("label, answer, field, words", [
    ("案例标题", "_No response_", "案例标题", "缺少必填字段 title"),
    ("标签", "网格化治理, 网格管里", "标签", "“网格管里”不在允许的取值中"),
    ("出处：原报道的发布日期", "2024-13-09", "出处：原报道的发布日期", "不是有效的日期"),
    ("出处：网址", "javascript:alert(document.cookie)", "出处：网址", "格式不对"),
    ("实施时间", "```yaml\nstart: !!python/object/apply:os.system [touch pwned]\n```", "实施时间", "应为文字或整数"),
])
def test_each_problem_is_one_message_naming_the_form_field(empty_project, vocabulary, label, answer, field, words):
    with pytest.raises(IntakeFailed) as failed:
        intake(with_answer(BODY, label, answer), empty_project, vocabulary, TODAY)
    assert [str(p) for p in failed.value.problems] == [str(failed.value.problems[0])]
    problem = failed.value.problems[0]
    assert problem.field.label == field and words in problem.message, str(problem)
    assert files_in(empty_project) == set() and not (empty_project.root / "pwned").exists()


def test_a_quote_changed_by_one_character_is_reported_at_its_metric(empty_project, vocabulary):
    metrics = answer_of(BODY, "数据")
    broken = with_answer(BODY, "数据", metrics.replace("吸纳1397名", "吸收1397名"))
    with pytest.raises(IntakeFailed) as failed:
        intake(broken, empty_project, vocabulary, TODAY)
    [problem] = failed.value.problems
    assert str(problem).startswith("「数据」第 2 条 quote：存档原文（出处：报道原文）中找不到这段引文")
    assert "吸纳1397名" in problem.hint  # the passage of the pasted text nearest to it


def test_script_injection_fails_at_every_field_it_was_tried_in_and_writes_nothing(empty_project, vocabulary, tmp_path):
    body = with_answer(BODY, "案例编号", "../../.github/workflows/evil")
    body = with_answer(body, "出处：网址", "javascript:alert(1)")
    result = casebook("intake", "-", cwd=empty_project.root, stdin=body)
    assert result.returncode == 1, result.stdout
    lines = result.stderr.splitlines()[1:]
    assert [line.split("」")[0] + "」" for line in lines] == ["「案例编号」", "「出处：网址」"], result.stderr
    assert files_in(empty_project) == set() and not (empty_project.root / ".github" / "workflows" / "evil.yaml").exists()


def test_never_overwrites_without_update(empty_project, vocabulary):
    intake(BODY, empty_project, vocabulary, TODAY)
    case_path = empty_project.cases_dir / f"{CASE_ID}.yaml"
    case_path.write_text(case_path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    retitled = with_answer(BODY, "案例标题", "晋江市推行网格加妇联")
    with pytest.raises(IntakeFailed) as failed:
        intake(retitled, empty_project, vocabulary, TODAY)
    assert failed.value.problems[0].field.id == "id" and "已被使用" in failed.value.problems[0].message
    assert case_path.read_text(encoding="utf-8").endswith("# edited\n")
    intake(retitled, empty_project, vocabulary, TODAY, update=True)
    assert "title: 晋江市推行网格加妇联" in case_path.read_text(encoding="utf-8")


def test_an_empty_id_is_made_from_the_province_and_title(empty_project, vocabulary):
    [case_path, _] = intake(with_answer(BODY, "案例编号", "_No response_"), empty_project, vocabulary, TODAY)
    assert re.fullmatch(r"fujian-[0-9a-f]{6}\.yaml", case_path.name)
    assert yaml.safe_load(case_path.read_text(encoding="utf-8"))["id"] == case_path.stem


def test_an_id_of_the_longest_length_allowed_names_the_files(empty_project, vocabulary):
    """The schema's limit is inclusive: an id of exactly maxLength characters is the contributor's id."""
    longest = base_schema()["properties"]["id"]["maxLength"]
    given = ("jinjiang-" + "a" * longest)[:longest]
    [case_path, source_path] = intake(with_answer(BODY, "案例编号", given), empty_project, vocabulary, TODAY)
    assert case_path.stem == given and yaml.safe_load(case_path.read_text(encoding="utf-8"))["id"] == given
    too_long = with_answer(BODY, "案例编号", given + "a")
    with pytest.raises(IntakeFailed) as failed:
        intake(too_long, empty_project, vocabulary, TODAY)
    assert failed.value.problems[0].field.id == "id"


def test_the_file_the_site_form_saves_is_read_like_the_issue(empty_project, vocabulary):
    fields = form_fields(vocabulary)
    answers = read_answers(BODY, fields)
    saved = yaml.safe_dump(answers, allow_unicode=True)
    assert read_answers(saved, fields) == answers
    result = casebook("intake", "-", cwd=empty_project.root, stdin=saved)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"已写入 cases/{CASE_ID}.yaml", f"已写入 sources/{CASE_ID}.md"]


def test_text_that_is_not_a_submission_is_refused(empty_project):
    result = casebook("intake", "-", cwd=empty_project.root, stdin="随便写的一段话")
    assert result.returncode == 1 and "不是投稿表单的内容" in result.stderr
    assert files_in(empty_project) == set()


def test_hostile_text_is_written_safely_and_the_built_page_escapes_it(empty_project, vocabulary, tmp_path):
    hostile = '<script>alert("格姐")</script>晋江市推行网格加妇联'
    [case_path, _] = intake(with_answer(BODY, "案例标题", hostile), empty_project, vocabulary, TODAY)
    assert yaml.safe_load(case_path.read_text(encoding="utf-8"))["title"] == hostile
    result = run_mkdocs_build(empty_project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = read_page(tmp_path / "site", route("case", CASE_ID))
    assert "&lt;script&gt;alert" in page and '<script>alert("格姐")' not in page
