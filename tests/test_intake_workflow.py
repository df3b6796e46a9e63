"""The intake workflow (.github/workflows/intake.yml), offline: its intake step's own commands run
here against issue-form bodies, and GitHub's published schemas check it and the issue form."""

import os
import subprocess

import pytest
import yaml

from casebook.submission import SUBMISSION_LABEL
from helpers import ROOT, copy_project
from test_intake import BODY, CASE_ID, with_answer

WORKFLOW = ROOT / ".github" / "workflows" / "intake.yml"
MARKER = "<!-- casebook-intake -->"


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
    assert outputs == {"ok": "true", "case_id": CASE_ID}
    assert (repo.cases_dir / f"{CASE_ID}.yaml").exists() and (repo.sources_dir / f"{CASE_ID}.md").exists()
    comment = (tmp_path / "runner" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith(MARKER) and f"- `cases/{CASE_ID}.yaml`" in comment


def test_a_failing_issue_gives_one_comment_with_every_problem_and_no_files(workflow, repo, tmp_path):
    body = with_answer(with_answer(BODY, "标签", "网格化治理, 网格管里"), "出处：原报道的发布日期", "2024-13-09")
    result, outputs = run_intake_step(workflow, repo.root, body, tmp_path / "runner")
    assert result.returncode == 0, result.stderr  # the run succeeds: the comment is the answer
    assert outputs == {"ok": "false"}
    comment = (tmp_path / "runner" / "comment.md").read_text(encoding="utf-8")
    problems = [line for line in comment.splitlines() if line.startswith("- ")]
    assert comment.startswith(MARKER) and len(problems) == 2
    assert problems[0].startswith("- 「标签」") and problems[1].startswith("- 「出处：原报道的发布日期」")
    assert not any(repo.cases_dir.iterdir()) and not any(repo.sources_dir.iterdir())


def test_a_body_with_shell_in_it_stays_text(workflow, repo, tmp_path):
    body = with_answer(BODY, "案例标题", '$(touch pwned) `touch pwned2` "; touch pwned3; echo "')
    result, outputs = run_intake_step(workflow, repo.root, body, tmp_path / "runner")
    assert result.returncode == 0 and outputs["ok"] == "true", result.stderr
    assert not list(repo.root.glob("pwned*")) and not list(tmp_path.glob("pwned*"))


def test_the_workflow_acts_on_the_label_the_issue_form_sets(workflow):
    assert workflow["jobs"]["intake"]["if"] == f"contains(github.event.issue.labels.*.name, '{SUBMISSION_LABEL}')"
    assert workflow[True]["issues"]["types"] == ["opened", "edited", "labeled"]  # YAML 1.1 reads `on` as True
    site = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    assert workflow["jobs"]["intake"]["container"] == site["jobs"]["check"]["container"]


def test_third_party_actions_are_pinned_by_commit(workflow):
    for step in workflow["jobs"]["intake"]["steps"]:
        action = step.get("uses", "")
        if action and not action.startswith("actions/checkout@") and not action.startswith("actions/upload-artifact@"):
            assert len(action.split("@")[1]) == 40, action


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
