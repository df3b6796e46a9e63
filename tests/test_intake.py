"""`casebook intake`: issue-form bodies and saved form files -> a checked case and its archive."""

import multiprocessing
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from casebook.catalog import check_paths
from casebook.intake import IntakeFailed, intake, read_answers
from casebook.project import Project
from casebook.schema import base_schema
from casebook.submission import form_fields
from helpers import ROOT, TODAY, copy_project

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


def test_a_wrong_date_and_a_wrong_quote_are_both_named_in_one_run(empty_project, vocabulary):
    # The archive repeats the source's date: a wrong one must not hide the quotes from the check.
    broken = with_answer(BODY, "出处：原报道的发布日期", "2024年12月9日")
    broken = with_answer(broken, "数据", answer_of(BODY, "数据").replace("吸纳1397名", "吸收1397名"))
    with pytest.raises(IntakeFailed) as failed:
        intake(broken, empty_project, vocabulary, TODAY)
    messages = [str(problem) for problem in failed.value.problems]
    assert any(m.startswith("「出处：原报道的发布日期」") and "不是有效的日期" in m for m in messages), messages
    assert any(m.startswith("「数据」第 2 条 quote：存档原文（出处：报道原文）中找不到这段引文") for m in messages), messages
    assert files_in(empty_project) == set()


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


def test_an_empty_id_is_made_from_the_place_and_the_practice_in_pinyin(empty_project, vocabulary):
    """晋江市 and 网格+妇联: the page's rule (submit.js makes the same id from the same names)."""
    no_id = with_answer(BODY, "案例编号", "_No response_")
    [case_path, _] = intake(no_id, empty_project, vocabulary, TODAY)
    assert case_path.name == "jinjiang-wangge-fulian.yaml"
    assert yaml.safe_load(case_path.read_text(encoding="utf-8"))["id"] == case_path.stem
    [again, _] = intake(with_answer(no_id, "案例标题", "晋江市网格妇女小组"), empty_project, vocabulary, TODAY)
    assert again.name == "jinjiang-wangge-fulian-2.yaml"  # taken: the next free one


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


def test_markup_typed_into_a_field_is_refused_naming_the_field(empty_project, vocabulary):
    hostile = '<script>alert("格姐")</script>晋江市推行网格加妇联'
    with pytest.raises(IntakeFailed) as failed:
        intake(with_answer(BODY, "案例标题", hostile), empty_project, vocabulary, TODAY)
    assert [str(p) for p in failed.value.problems] == [
        "「案例标题」：不能含有网页标记：“<script”。案例只写文字；要写尖括号时请用全角的“＜”“＞”"]
    assert files_in(empty_project) == set()


# --- hostile input (issue 33): the flow around the reading ------------------------------------------

def test_an_internal_error_exits_2_with_one_line_for_the_comment_and_the_traceback_on_stderr(
        empty_project, tmp_path, monkeypatch, capsys):
    from casebook import cli
    from casebook import intake as intake_module

    def broken(*args, **kwargs):
        raise RuntimeError("/home/runner/work/secret/path")
    monkeypatch.setattr(intake_module, "prepare", broken)
    monkeypatch.chdir(empty_project.root)
    (tmp_path / "issue.md").write_text(BODY, encoding="utf-8")
    status = cli.main(["intake", str(tmp_path / "issue.md"), "--comment", str(tmp_path / "comment.md")])
    stderr = capsys.readouterr().err
    assert status == 2
    assert "Traceback" in stderr and "/home/runner/work/secret/path" in stderr and "内部错误，已通知维护者" in stderr
    assert (tmp_path / "comment.md").read_text(encoding="utf-8") == "内部错误，已通知维护者\n"
    assert files_in(empty_project) == set()


def set_read_only(folder: Path, read_only: bool) -> None:
    """Make a folder refuse new files or take them again, even for root (who ignores permission
    bits: the immutable attribute then)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if read_only else "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555 if read_only else 0o755)


def test_a_folder_that_cannot_be_written_leaves_nothing_behind_and_a_retry_works(empty_project):
    set_read_only(empty_project.sources_dir, True)
    try:
        result = casebook("intake", "-", cwd=empty_project.root, stdin=BODY)
    finally:
        set_read_only(empty_project.sources_dir, False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "无法写入 sources" in result.stderr and "没有写入任何文件" in result.stderr
    # No case without its archive, no temporary file: the id stays free.
    assert {p.name for folder in (empty_project.cases_dir, empty_project.sources_dir) for p in folder.iterdir()} == set()
    retry = casebook("intake", "-", cwd=empty_project.root, stdin=BODY)
    assert retry.returncode == 0, retry.stderr
    assert files_in(empty_project) == {f"cases/{CASE_ID}.yaml", f"sources/{CASE_ID}.md"}
    mask = os.umask(0o022)
    os.umask(mask)
    assert (empty_project.cases_dir / f"{CASE_ID}.yaml").stat().st_mode & 0o777 == 0o666 & ~mask  # as any file made here


def test_a_file_where_a_folder_should_be_is_a_problem_not_a_crash(empty_project):
    empty_project.sources_dir.rmdir()
    empty_project.sources_dir.write_text("not a folder")
    result = casebook("intake", "-", cwd=empty_project.root, stdin=BODY)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "无法写入 sources：" in result.stderr
    assert {p.name for p in empty_project.cases_dir.iterdir()} == set()


def _submit_when_both_are_checked(root: str, body: str, barrier, answers) -> None:
    """One of two racing submissions, in its own process: both are checked (each finds the id
    free) before either writes."""
    from casebook import intake as intake_module
    from casebook.vocabulary import load_vocabulary

    checked = intake_module.prepare

    def prepare_then_wait(*args, **kwargs):
        submission = checked(*args, **kwargs)
        barrier.wait(timeout=60)
        return submission
    intake_module.prepare = prepare_then_wait
    project = Project(Path(root))
    try:
        intake_module.intake(body, project, load_vocabulary(project.taxonomy_path, project.provinces_path), TODAY)
        answers.put("written")
    except IntakeFailed as failed:
        answers.put(str(failed.problems[0]))


def test_two_submissions_of_one_new_id_at_once_one_is_written_the_other_refused(empty_project):
    spawn = multiprocessing.get_context("spawn")
    barrier, answers = spawn.Barrier(2), spawn.Queue()
    bodies = [BODY, with_answer(BODY, "案例标题", "晋江市推行网格加妇联")]
    racers = [spawn.Process(target=_submit_when_both_are_checked, args=(str(empty_project.root), body, barrier, answers))
              for body in bodies]
    for racer in racers:
        racer.start()
    outcomes = [answers.get(timeout=120) for _ in racers]
    for racer in racers:
        racer.join(60)
    assert outcomes.count("written") == 1, outcomes
    [refused] = [outcome for outcome in outcomes if outcome != "written"]
    assert refused.startswith(f"「案例编号」：编号 {CASE_ID} 已被使用（cases/{CASE_ID}.yaml 已经存在）"), refused
    assert files_in(empty_project) == {f"cases/{CASE_ID}.yaml", f"sources/{CASE_ID}.md"}
    # The archive belongs to the case that was written, whichever won.
    title = yaml.safe_load((empty_project.cases_dir / f"{CASE_ID}.yaml").read_text(encoding="utf-8"))["title"]
    assert title in {answer_of(body, "案例标题") for body in bodies}


@pytest.mark.parametrize("body, typed_in, words", [
    # A heading typed inside 摘要 would have replaced the title.
    (with_answer(BODY, "摘要", answer_of(BODY, "摘要") + "\n\n### 案例标题\n\n假标题"), "摘要", "“### 案例标题”"),
    # A second 案例编号 at the end would have replaced the id.
    (BODY.rstrip("\n") + "\n\n### 案例编号\n\nsomeone-elses-case\n", "出处：报道原文", "“### 案例编号”"),
    # A heading the form does not have is no part of any answer.
    (with_answer(BODY, "背景", "### 其他说明\n\n随便写的"), "背景", "表单没有这一栏"),
])
def test_each_form_heading_counts_once_and_an_extra_one_names_the_field_it_was_typed_in(
        empty_project, vocabulary, body, typed_in, words):
    with pytest.raises(IntakeFailed) as failed:
        intake(body, empty_project, vocabulary, TODAY)
    [problem] = failed.value.problems
    assert problem.field.label == typed_in and words in problem.message, str(problem)
    assert files_in(empty_project) == set()


def test_a_heading_repeated_where_it_cannot_be_told_which_is_typed_names_the_field_itself(vocabulary):
    fields = form_fields(vocabulary)
    body = "### 摘要\n\na\n\n### 摘要\n\nb\n"  # neither follows 案例标题, as GitHub's would
    with pytest.raises(IntakeFailed) as failed:
        read_answers(body, fields)
    assert [str(p).split("：")[0] for p in failed.value.problems] == ["「摘要」"]
    assert "出现了 2 次" in failed.value.problems[0].message


def test_intake_writes_where_the_settings_keep_cases_and_sources(empty_project, vocabulary):
    from test_config import write_settings

    root = empty_project.root
    (root / "library").mkdir()
    for name in ("cases", "sources"):
        (root / name).rename(root / "library" / name)
    write_settings(empty_project, "  - casebook:\n      paths: {cases: library/cases, sources: library/sources}\n")
    project = Project(root)
    written = intake(BODY, project, vocabulary, TODAY)
    assert [p.relative_to(root).as_posix() for p in written] == \
        [f"library/cases/{CASE_ID}.yaml", f"library/sources/{CASE_ID}.md"]
    assert not (root / "cases").exists() and not (root / "sources").exists()
    with pytest.raises(IntakeFailed, match="1 个问题") as failed:  # the id is now taken there
        intake(BODY, project, vocabulary, TODAY)
    assert f"library/cases/{CASE_ID}.yaml 已经存在" in failed.value.problems[0].message


def test_a_body_over_the_size_limit_is_refused_before_it_is_read(empty_project):
    body = BODY + "\n" + "很长的原文。" * 100_000  # 1.8 MB
    result = casebook("intake", "-", cwd=empty_project.root, stdin=body)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "投稿超过 256 KB 的上限" in result.stderr
    assert files_in(empty_project) == set()


def test_a_saved_file_with_a_list_or_mapping_for_an_answer_is_refused_naming_the_field(empty_project, vocabulary):
    answers = read_answers(BODY, form_fields(vocabulary))
    saved = yaml.safe_dump({**answers, "case_title": ["a", ["b"]]}, allow_unicode=True)
    with pytest.raises(IntakeFailed) as failed:
        intake(saved, empty_project, vocabulary, TODAY)
    [problem] = failed.value.problems
    assert problem.field.id == "case_title" and "应为文字" in problem.message
    assert files_in(empty_project) == set()


def test_work_for_a_hostile_body_is_bounded_by_what_a_person_could_fix(empty_project, vocabulary):
    # 15,000 tags typed into a dropdown: one problem, not 15,000 searches for a close tag.
    many_tags = with_answer(BODY, "标签", ", ".join(f"错{i}" for i in range(15_000)))
    with pytest.raises(IntakeFailed) as failed:
        intake(many_tags, empty_project, vocabulary, TODAY)
    tags = [str(p) for p in failed.value.problems if p.field.id == "tags"]
    assert tags[0] == "「标签」：填了 15000 项，这一栏只有 29 个选项。从列表中选择，每项只选一次" and len(tags) <= 30
    # Wrong quotes: the nearest passage (a search of the whole article) for the first 20 only.
    items = "".join(f"- label: 指标{i}\n  kind: 做法\n  value: {i}\n  unit: 个\n  quote: 晋江市已组建了{i}个网格小组\n"
                    for i in range(30))
    with pytest.raises(IntakeFailed) as failed:
        intake(with_answer(BODY, "数据", f"```yaml\n{items}```"), empty_project, vocabulary, TODAY)
    wrong = [p for p in failed.value.problems if "找不到这段引文" in p.message]
    assert len(wrong) == 30 and sum("最接近的一段" in p.hint for p in wrong) == 20


def test_the_comment_lists_what_fits_in_one_github_comment(vocabulary):
    from casebook.intake import IntakeProblem, comment

    field = form_fields(vocabulary)[0]
    text = comment([], [IntakeProblem(field, "", "很长的问题" * 1000)] * 100)
    assert len(text) < 65_536 and "- 另有 60 个问题未列出" in text
