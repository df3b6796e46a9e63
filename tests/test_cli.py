"""The `casebook` command as contributors and CI run it."""

import json
import re
import signal
import subprocess
import sys
import time

import pytest

from casebook.staging import staged_directory
from helpers import ROOT, copy_project

PROBLEM_LINE = re.compile(r"^[^:]+:\d+:\d+: .+")


def casebook(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "casebook.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_validate_passes_on_the_repository():
    result = casebook("validate")
    assert result.returncode == 0, result.stderr
    assert re.search(r"全部 \d+ 个案例文件检查通过", result.stdout)


def test_validate_reports_every_problem_as_path_line_column(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.yaml").write_text("id: a\ntitle: 太短\nlevel: 县级\n", encoding="utf-8")
    (broken / "b.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (broken / "c.yaml").write_bytes("title: 标题".encode("gb18030"))
    result = casebook("validate", str(broken))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line and "个问题" not in line]
    assert lines and all(PROBLEM_LINE.match(line) for line in lines), result.stderr
    assert {line.split(":")[0].rsplit("/", 1)[-1] for line in lines} == {"a.yaml", "b.yaml", "c.yaml"}
    assert "Traceback" not in result.stderr


def test_validate_json_gives_the_same_problems(tmp_path):
    (tmp_path / "a.yaml").write_text("id: a\ntitle: 太短\n", encoding="utf-8")
    as_text = casebook("validate", str(tmp_path / "a.yaml"))
    as_json = casebook("validate", "--format", "json", str(tmp_path / "a.yaml"))
    problems = json.loads(as_json.stdout)
    assert as_json.returncode == 1
    assert len(problems) == len([line for line in as_text.stderr.splitlines() if PROBLEM_LINE.match(line)])
    assert {"path", "line", "column", "field", "message", "hint"} <= set(problems[0])


def test_editor_schema_and_field_reference_are_up_to_date():
    result = casebook("schema", "--check")
    assert result.returncode == 0, result.stderr


def test_schema_check_notices_drift(tmp_path):
    project = copy_project(tmp_path / "repo")
    taxonomy = project.taxonomy_path.read_text(encoding="utf-8")
    project.taxonomy_path.write_text(taxonomy.replace("name: 积分制", "name: 积分管理制"), encoding="utf-8")
    result = casebook("schema", "--check", cwd=project.root)
    assert result.returncode == 1 and "case.schema.json" in result.stderr


def test_index_is_kept_when_the_cases_have_not_changed(project, index_dir):
    result = casebook("index", "--index-dir", str(index_dir), cwd=project.root)
    assert result.returncode == 0 and result.stdout.startswith("已是最新"), result.stdout


def test_search_and_similar_from_the_command_line(project, index_dir):
    def run(*args):
        return casebook(*args, "--json", "--index-dir", str(index_dir), cwd=project.root)

    hits = json.loads(run("search", "網格員", "--province", "福建省").stdout)
    assert hits[0]["id"] == "jinjiang-grid-womens-groups"
    assert {"id", "title", "region", "score", "snippet"} <= set(hits[0])
    similar = json.loads(run("similar", "jinjiang-grid-womens-groups").stdout)
    assert similar["comparable"] and not similar["related"]
    assert all({"id", "title", "score", "reasons", "breakdown"} <= set(item) for item in similar["comparable"])


def test_similar_why_prints_the_score_breakdown(project, index_dir):
    why = casebook("similar", "jinjiang-grid-womens-groups", "--why", "--index-dir", str(index_dir), cwd=project.root)
    assert why.returncode == 0
    first = why.stdout.split("\n2. ")[0]
    assert "ningguo-songhe-grid-baobao" in why.stdout and "同样发动妇联和妇女骨干" in why.stdout
    assert re.search(r"可比度 0\.\d{3} = 共同机制 0\.\d{3} \+ 共同主体 0\.\d{3}", first), first
    none = casebook("similar", "chaoyang-nongzhanguan-lake-water-supply", "--index-dir", str(index_dir), cwd=project.root)
    assert none.returncode == 0 and "库中暂无做法相近的案例" in none.stdout and "同样针对多部门协同难" in none.stdout


def test_search_errors_are_messages_with_exit_status_2(project, index_dir, tmp_path):
    missing = casebook("search", "积分制", "--index-dir", str(tmp_path / "index"), cwd=project.root)
    assert missing.returncode == 2 and "casebook index" in missing.stderr
    for args in (["search", " "], ["search", "积分制", "--province", "火星"], ["similar", "no-such-case"],
                 ["search", "积分制", "--tag", "不存在"], ["search", "积分制", "--year", "1900"]):
        result = casebook(*args, "--index-dir", str(index_dir), cwd=project.root)
        assert result.returncode == 2 and result.stderr.startswith("casebook: "), args
        assert "Traceback" not in result.stderr


def test_new_writes_a_template_that_only_lacks_what_is_left_to_fill(tmp_path):
    project = copy_project(tmp_path / "repo")
    result = casebook("new", "--title", "晋江市：网格+妇联", "--province", "福建省", "--city", "泉州市",
                      "--county", "晋江市", "--source", "推行“网格+妇联”模式", cwd=project.root)
    assert result.returncode == 0, result.stderr
    (path,) = [p for p in project.cases_dir.glob("fujian-*.yaml")]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/case.schema.json")
    problems = json.loads(casebook("validate", "--format", "json", str(path), cwd=project.root).stdout)
    reported = {p["field"] for p in problems}
    assert {"summary", "level", "background", "tags[0]", "practice.measures[0].detail", "metrics[0].value"} <= reported
    assert all(p["line"] > 0 for p in problems)  # every gap is found and located, not a syntax error
    assert not reported & {"id", "title", "region.province", "region.city", "region.county", "sources[0].title"}
    again = casebook("new", "--title", "晋江市：网格+妇联", "--province", "福建省", "--city", "泉州市",
                     "--county", "晋江市", cwd=project.root)
    assert again.returncode == 0 and len(list(project.cases_dir.glob("fujian-*.yaml"))) == 2
    assert casebook("new", "--title", "x", "--province", "福建", cwd=project.root).returncode == 2


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_build_leaves_no_process_and_no_staging_folder(tmp_path, stop):
    from test_workers import descendants, still_running

    project = copy_project(tmp_path / "repo")
    build = subprocess.Popen([sys.executable, "-m", "casebook.cli", "build"], cwd=project.root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (descendants(build.pid) and list(project.root.glob(".site.new-*"))):  # MkDocs is building
            assert build.poll() is None and time.monotonic() < deadline, build.communicate()
            time.sleep(0.05)
        time.sleep(1)  # into the build, its workers started
        started = descendants(build.pid)
        build.send_signal(stop)
        build.communicate(timeout=30)
    finally:
        build.kill()
    assert still_running(started, within=10) == set()
    if stop == signal.SIGTERM:
        assert build.returncode == 128 + signal.SIGTERM
        assert not list(project.root.glob(".site.new-*")) and not (project.root / "site").exists()
    else:  # nothing could run in the killed process: the next build's start removes its folder
        [abandoned] = project.root.glob(".site.new-*")
        with staged_directory(project.root / "site"):
            assert not abandoned.exists()
