"""A folder with one broken file per kind of mistake: each gets its clear message, in one run.

These are the contributor-facing tests of the validation rules: each rule a broken file can show is
tested here, once; tests/test_validate.py and tests/test_load.py test what a file cannot show (many
spellings of one rule, a rule's passing side, timing, schema keywords without their own message)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

BROKEN = Path(__file__).with_name("fixtures") / "broken"

# Each file's mistake: the field it names ("" for the file as a whole), words of its message and
# hint as the contributor reads them ("message。hint"), and its line (0: the file as a whole).
EXPECTED = {
    "tab-indent.yaml": ("", "YAML 不能用 Tab 缩进", 3),
    "unquoted-colon.yaml": ("", "YAML 语法错误", 2),
    "fullwidth-colon.yaml": ("", "中文冒号", 3),
    "missing-field.yaml": ("lessons_origin", "缺少必填字段 lessons_origin", 1),
    "wrong-type.yaml": ("metrics[0].value", "应为数字，实际是文字 “三百零五”。数值只写阿拉伯数字", 54),
    "empty-string.yaml": ("region.city", "不能是空的", 9),
    "unknown-field.yaml": ("lesson", "未知字段 lesson。你是不是想写 `lessons`", 113),
    "unknown-tag.yaml": ("tags[0]", "“妇女联合会”不在允许的取值中。你是不是想写 “妇联”", 118),
    "unknown-province.yaml": ("region.province", "“福建”不在允许的取值中。你是不是想写 “福建省”", 8),
    "id-differs-from-file-name.yaml": ("id", "与文件名 id-differs-from-file-name.yaml 不一致", 2),
    "unsafe-id.yaml": ("id", "格式不对", 2),
    "duplicate-id.yaml": ("id", "已被 ", 2),
    "impossible-date.yaml": ("period.start", "“2024-13”不是有效的日期", 14),
    "end-before-start.yaml": ("period.end", "早于开始时间", 15),
    "future-date.yaml": ("sources[0].date", "在未来", 123),
    "negative-metric.yaml": ("metrics[0].value", "不能小于 0", 54),
    "infinite-metric.yaml": ("metrics[0].value", "应为有限的数字", 54),
    "quote-without-value.yaml": ("metrics[0].quote", "引文中找不到数值 350", 57),
    "wrong-unit.yaml": ("metrics[1].unit", "原文写的是“1397名”，unit 应写“名”，不是“万名”", 62),
    "wrong-qualifier.yaml": ("metrics[0].qualifier", "原文用的是“余”，qualifier 应写“余”，不是“多”", 72),
    "missing-qualifier.yaml": ("metrics[5].qualifier", "请加一行 qualifier: 余", 94),
    "range-upper-bound-not-in-quote.yaml": ("metrics[3].value_max", "引文中找不到区间上限 4", 73),
    "empty.yaml": ("", "文件是空的", 0),
    "not-utf8.yaml": ("", "不是 UTF-8 编码（看起来是 GBK/GB18030）", 2),
    "billion-laughs.yaml": ("", "锚点和别名", 1),
    "deep-nesting.yaml": ("summary", "嵌套超过 20 层", 1),
    "huge-number.yaml": ("metrics[0].value", "数字太长（401 个字符）", 54),
    "nul-byte.yaml": ("", "含有不可见的控制字符 U+0000", 9),
    "control-character.yaml": ("region.city", "含有不可见的控制字符 U+0000", 9),
    "markup-in-title.yaml": ("title", "不能含有网页标记：“<script”", 3),
    "index.yaml": ("id", "id “index”是网站自己的页面或目录用的名字", 2),
    "two-documents.yaml": ("", "只能有一个案例", 126),
    "symlink-out-of-cases.yaml": ("", "符号链接", 0),
    "over-one-megabyte.yaml": ("", "超过 1 MB", 0),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "cases"
    shutil.copytree(BROKEN, folder, symlinks=True)
    (folder / "over-one-megabyte.yaml").write_text("summary: " + "字" * 400_000, encoding="utf-8")
    # 107 KB, far under the size limit: PyYAML's composer recursed once per level and crashed.
    (folder / "deep-nesting.yaml").write_text("summary: " + "[" * 50_000 + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "casebook.cli", "validate", "--format", "json", str(folder)],
                            cwd=ROOT, capture_output=True, text=True)
    return result, json.loads(result.stdout)


def test_every_broken_file_is_reported_in_one_run(report):
    result, problems = report
    assert result.returncode == 1 and "Traceback" not in result.stderr
    reported = {Path(p["path"]).name for p in problems}
    assert set(EXPECTED) <= reported


@pytest.mark.parametrize("name, field, words, line", sorted((name, *expected) for name, expected in EXPECTED.items()))
def test_broken_file_gets_its_message_at_the_field_and_line_of_the_mistake(report, name, field, words, line):
    _, problems = report
    found = [(p["field"], f"{p['message']}。{p['hint']}", p["line"]) for p in problems if Path(p["path"]).name == name]
    assert any(at_field == field and words in text and at == line for at_field, text, at in found), found


def test_the_fixture_folder_covers_every_kind():
    on_disk = {p.name for p in BROKEN.iterdir()} | {"over-one-megabyte.yaml", "deep-nesting.yaml"}
    assert on_disk - {"duplicate-id-2.yaml"} == set(EXPECTED)  # the first holder of the id is fine
