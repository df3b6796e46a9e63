"""The intake workflow (.github/workflows/intake.yml), offline: its intake step's own commands run
here against issue-form bodies, and GitHub's published schemas check it and the issue form. Every
workflow is read for the rules that keep a stranger's text from a write token (issue 33)."""

import os
import re
import subprocess

import markdown
import pytest
import yaml

from casebook.submission import SUBMISSION_LABEL
from helpers import ROOT, copy_project
from test_intake import BODY, CASE_ID, with_answer

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WORKFLOW = ROOT / ".github" / "workflows" / "intake.yml"
MARKER = "<!-- casebook-intake -->"
INTERNAL_ERROR = "内部错误，已通知维护者"  # all the issue is told when intake fails inside


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def run_intake_step(workflow: dict, project_root, body: str, runner_temp) -> tuple[subprocess.CompletedProcess, dict]:
    """The step's script as the runner runs it (bash -e), with the issue body in its variable."""
    [step] = [step for step in workflow["jobs"]["intake"]["steps"] if step.get("id") == "intake"]
    runner_temp.mkdir()
    output = runner_temp / "github-output"
    env = {**os.environ, "ISSUE_BODY": body, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output)}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=project_root, env=env, capture_output=True, text=True)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    return result, outputs


def posted_comment(project_root) -> str:
    """What the comment job posts: the file the intake job hands over."""
    return (project_root / "intake-out" / "comment.md").read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    repo = copy_project(tmp_path / "repo", with_cases=False)
    for path in repo.sources_dir.glob("*.md"):
        path.unlink()
    (repo.root / ".venv").symlink_to(ROOT / ".venv")  # the step runs .venv/bin/casebook
    return repo


def test_a_passing_issue_gives_the_case_id_and_a_comment_listing_the_files(workflow, repo, tmp_path):
    result, outputs = run_intake_step(workflow, repo.root, BODY, tmp_path / "runner")
    assert result.returncode == 0, result.stderr
    assert outputs == {"result": "written", "case_id": CASE_ID, "case_file": f"cases/{CASE_ID}.yaml",
                       "archive_file": f"sources/{CASE_ID}.md"}
    assert (repo.cases_dir / f"{CASE_ID}.yaml").exists() and (repo.sources_dir / f"{CASE_ID}.md").exists()
    # The files the pull request job puts in place, at their paths in the repository.
    handed = repo.root / "intake-out" / "files"
    assert (handed / "cases" / f"{CASE_ID}.yaml").read_bytes() == (repo.cases_dir / f"{CASE_ID}.yaml").read_bytes()
    assert (handed / "sources" / f"{CASE_ID}.md").exists()
    comment = posted_comment(repo.root)
    assert comment.startswith(MARKER) and f"- ` cases/{CASE_ID}.yaml `" in comment


def test_a_failing_issue_gives_one_comment_with_every_problem_and_no_files(workflow, repo, tmp_path):
    body = with_answer(with_answer(BODY, "标签", "网格化治理, 网格管里"), "出处：原报道的发布日期", "2024-13-09")
    result, outputs = run_intake_step(workflow, repo.root, body, tmp_path / "runner")
    assert result.returncode == 0, result.stderr  # the run succeeds: the comment is the answer
    assert outputs == {"result": "problems"}
    comment = posted_comment(repo.root)
    problems = [line for line in comment.splitlines() if line.startswith("- ")]
    assert comment.startswith(MARKER) and len(problems) == 2
    assert problems[0].startswith("- 「标签」") and problems[1].startswith("- 「出处：原报道的发布日期」")
    assert not any(repo.cases_dir.iterdir()) and not any(repo.sources_dir.iterdir())


def test_a_body_with_shell_in_it_stays_text(workflow, repo, tmp_path):
    body = with_answer(BODY, "案例标题", '$(touch pwned) `touch pwned2` "; touch pwned3; echo "')
    result, outputs = run_intake_step(workflow, repo.root, body, tmp_path / "runner")
    assert result.returncode == 0 and outputs["result"] == "written", result.stderr
    assert not list(repo.root.glob("pwned*")) and not list(tmp_path.glob("pwned*"))


def test_the_workflow_acts_on_the_label_the_issue_form_sets(workflow):
    assert workflow["jobs"]["intake"]["if"] == f"contains(github.event.issue.labels.*.name, '{SUBMISSION_LABEL}')"
    assert workflow[True]["issues"]["types"] == ["opened", "edited", "labeled"]  # YAML 1.1 reads `on` as True
    site = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    assert workflow["jobs"]["intake"]["container"] == site["jobs"]["check"]["container"]


# --- hostile input (issue 33) --------------------------------------------------------------------------

HOSTILE = "@someone [这里修复](https://evil.example) ![](https://evil.example/t.png) `x` ``y"


def outside_code_spans(markdown: str) -> str:
    """The Markdown with its inline code spans taken out (CommonMark: a run of n backticks up to
    the next run of exactly n)."""
    kept, position = [], 0
    for run in re.finditer(r"`+", markdown):
        if run.start() < position:
            continue
        closing = re.compile(rf"(?<!`){run.group()}(?!`)").search(markdown, run.end())
        if closing:
            kept.append(markdown[position:run.start()])
            position = closing.end()
    return "".join(kept) + markdown[position:]


def test_nothing_typed_renders_as_a_link_image_mention_or_heading_in_the_comment(workflow, repo, tmp_path):
    body = with_answer(BODY, "标签", f"网格化治理, {HOSTILE}")
    body = with_answer(body, "出处：原报道的发布日期", HOSTILE)
    body = with_answer(body, "案例编号", "# 标题\n@someone")
    result, outputs = run_intake_step(workflow, repo.root, body, tmp_path / "runner")
    assert outputs == {"result": "problems"}, result.stderr
    comment = posted_comment(repo.root)
    assert comment.count("@someone [这里修复](https://evil.example)") == 2  # shown, as code
    plain = outside_code_spans(comment)
    for markup in ("@", "](", "![", "http", "#", "<"):
        assert markup not in plain.replace(MARKER, ""), plain
    html = markdown.markdown(comment)
    assert "<a " not in html and "<img" not in html and "<h1" not in html


def test_an_internal_error_posts_one_line_and_keeps_the_traceback_in_the_log(workflow, repo, tmp_path):
    # Whatever casebook does when it fails inside (a traceback and status 2, or a crash): the
    # fake stands in for it, in place of the real .venv.
    (repo.root / ".venv").unlink()
    fake = repo.root / ".venv" / "bin" / "casebook"
    fake.parent.mkdir(parents=True)
    for status in (2, 139):
        fake.write_text("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
                        f"echo '  File \"/home/runner/work/secret.py\"' >&2\nexit {status}\n")
        fake.chmod(0o755)
        result, outputs = run_intake_step(workflow, repo.root, BODY, tmp_path / f"runner-{status}")
        assert result.returncode == 0 and outputs == {"result": "error"}, result.stderr
        assert posted_comment(repo.root) == f"{MARKER}\n{INTERNAL_ERROR}\n"
        assert "/home/runner/work/secret.py" in result.stdout  # the run's log
    [job] = [job for job in workflow["jobs"].values() if "result == 'error'" in str(job)]
    assert any(step.get("run", "").strip().endswith("exit 1") for step in job["steps"])  # the run fails, visibly


def workflow_text(path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment(path):
    uses = re.findall(r"^\s*(?:- )?uses: *(.*)$", workflow_text(path), re.M)
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} +# v\d+(\.\d+)*", action), action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_job_container_is_pinned_to_an_image_digest(path):
    containers = [job["container"] for job in yaml.safe_load(workflow_text(path))["jobs"].values()
                  if "container" in job]
    assert containers
    for image in containers:
        image = image["image"] if isinstance(image, dict) else image
        assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", image), image


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_job_has_a_time_limit_and_its_own_least_permissions(path):
    data = yaml.safe_load(workflow_text(path))
    assert data["permissions"] in ({}, {"contents": "read"})  # nothing written unless a job says so
    for name, job in data["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 60, name
        steps = job["steps"]
        for step in steps:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
        runs_project_code = any(re.search(r"^\s*make\b|\.venv/bin/|\.ci/", step.get("run", ""), re.M) for step in steps)
        if runs_project_code:  # it builds what a stranger wrote: read only
            assert job.get("permissions", data["permissions"]) in ({"contents": "read"}, {}), name
        writes = {scope for scope, access in job.get("permissions", {}).items() if access == "write"}
        if "contents" in writes:
            assert any("create-pull-request" in step.get("uses", "") for step in steps), name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_expression_is_spliced_into_a_script(path):
    # Issue text and other inputs reach a script only through env: a ${{ }} inside run: or
    # script: would put it into the code itself.
    for job in yaml.safe_load(workflow_text(path))["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "") and "${{" not in step.get("with", {}).get("script", ""), step


def test_an_edit_after_review_updates_the_pull_request_and_asks_for_review_again(workflow):
    [job] = [job for job in workflow["jobs"].values()
             if any("create-pull-request" in step.get("uses", "") for step in job["steps"])]
    updated = "steps.pull-request.outputs.pull-request-operation == 'updated'"
    [again] = [step for step in job["steps"] if step.get("if") == updated]
    assert "dismissReview" in again["with"]["script"] and "请重新审阅" in again["with"]["script"]
    [comment] = [job for name, job in workflow["jobs"].items() if name == "comment"]
    script = next(step["with"]["script"] for step in comment["steps"] if "script" in step.get("with", {}))
    assert "PULL_REQUEST_OPERATION === 'updated'" in script and "重新审阅" in script


@pytest.mark.parametrize("schema, path", [
    ("vendor.github-workflows", ".github/workflows/intake.yml"),
    ("vendor.github-issue-forms", ".github/ISSUE_TEMPLATE/submit-case.yml"),
])
def test_the_schemas_github_publishes_accept_the_workflow_and_the_issue_form(schema, path):
    # check-jsonschema ships GitHub's schemas (from SchemaStore): no network needed. actionlint's
    # PyPI package downloads its binary while it installs, which an offline machine cannot do.
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "check-jsonschema"), "--builtin-schema", schema, path],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
