"""Reading files: encodings, YAML syntax and hostile files all become positioned problems."""

import time

from helpers import EXAMPLE_CASE, dump_case, messages, problems_in, write_case


def test_real_case_file_loads_without_problems(tmp_path, vocabulary):
    write_case(tmp_path, EXAMPLE_CASE.read_bytes())
    assert problems_in(tmp_path, vocabulary) == []


def test_crlf_line_endings_and_bom_are_accepted(tmp_path, vocabulary):
    text = EXAMPLE_CASE.read_text(encoding="utf-8").replace("\n", "\r\n")
    write_case(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert problems_in(tmp_path, vocabulary) == []


def test_file_not_in_utf8_is_reported_with_position(tmp_path, vocabulary):
    write_case(tmp_path, EXAMPLE_CASE.read_text(encoding="utf-8").encode("gb18030"))
    (problem,) = problems_in(tmp_path, vocabulary)
    assert "不是 UTF-8 编码" in problem.message and problem.line == 3


def test_empty_file_is_reported(tmp_path, vocabulary):
    write_case(tmp_path, "  \n")
    assert "文件是空的" in messages(problems_in(tmp_path, vocabulary))


def test_file_over_one_megabyte_is_refused(tmp_path, vocabulary):
    write_case(tmp_path, "summary: " + "字" * 400_000)
    assert "超过 1 MB" in messages(problems_in(tmp_path, vocabulary))


def test_tab_indentation_gets_a_hint(tmp_path, vocabulary):
    write_case(tmp_path, "id: x\nregion:\n\tprovince: 福建省\n")
    (problem,) = problems_in(tmp_path, vocabulary)
    assert problem.line == 3 and "Tab" in problem.hint


def test_full_width_colon_after_key_gets_a_hint(tmp_path, vocabulary):
    write_case(tmp_path, "id: x\nregion:\n  province：福建省\n  city: 泉州市\n")
    problems = problems_in(tmp_path, vocabulary)
    assert any("中文冒号" in p.hint for p in problems), messages(problems)


def test_billion_laughs_is_refused_quickly(tmp_path, vocabulary):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    write_case(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    problems = problems_in(tmp_path, vocabulary)
    assert time.perf_counter() - started < 1.0
    assert "锚点和别名" in messages(problems)


def test_multiple_documents_are_refused(tmp_path, vocabulary, example_data):
    write_case(tmp_path, dump_case(example_data) + "---\n" + dump_case(example_data))
    assert "只能有一个案例" in messages(problems_in(tmp_path, vocabulary))


def test_duplicate_keys_are_reported_not_silently_overwritten(tmp_path, vocabulary, example_data):
    text = dump_case(example_data).replace("level: 县\n", "level: 县\nlevel: 市\n")
    write_case(tmp_path, text)
    (problem,) = problems_in(tmp_path, vocabulary)
    assert "level 重复出现" in problem.message


def test_symlink_out_of_cases_is_refused(tmp_path, vocabulary):
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: secret\n", encoding="utf-8")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "secret.yaml").symlink_to(outside)
    assert "符号链接" in messages(problems_in(tmp_path, vocabulary))


def test_other_files_in_cases_are_reported_not_skipped(tmp_path, vocabulary):
    write_case(tmp_path, EXAMPLE_CASE.read_bytes())
    write_case(tmp_path, "notes", name="notes.txt")
    write_case(tmp_path, "ignored: true", name="_draft.yaml")
    (problem,) = problems_in(tmp_path, vocabulary)
    assert problem.path.endswith("notes.txt") and "不是 .yaml" in problem.message


def test_folded_chinese_lines_join_without_a_space(tmp_path):
    from casebook.load import load_case_file

    path = write_case(tmp_path, "summary: >-\n  在网格中组建妇女小组、\n  招募“格姐”，推行 grid\n  model 做法。\n\n  第二段。\n"
                                "title: 阅读伴成长 家书润童心\n")
    data = load_case_file(path).data
    assert data["summary"] == "在网格中组建妇女小组、招募“格姐”，推行 grid model 做法。\n\n第二段。"
    assert data["title"] == "阅读伴成长 家书润童心"
