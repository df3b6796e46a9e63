"""Reading files: what tests/fixtures/broken does not show (the broken files there cover
encodings, YAML syntax and hostile files): accepted variants, duplicate keys, stray files, the
time a hostile file takes, how folded text is joined."""

import time

from helpers import EXAMPLE_CASE, dump_case, messages, problems_in, write_case


def test_real_case_file_loads_without_problems(tmp_path, vocabulary):
    write_case(tmp_path, EXAMPLE_CASE.read_bytes())
    assert problems_in(tmp_path, vocabulary) == []


def test_crlf_line_endings_and_bom_are_accepted(tmp_path, vocabulary):
    text = EXAMPLE_CASE.read_text(encoding="utf-8").replace("\n", "\r\n")
    write_case(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert problems_in(tmp_path, vocabulary) == []


def test_billion_laughs_is_refused_quickly(tmp_path, vocabulary):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    write_case(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    problems = problems_in(tmp_path, vocabulary)
    assert time.perf_counter() - started < 1.0
    assert "锚点和别名" in messages(problems)


def test_duplicate_keys_are_reported_not_silently_overwritten(tmp_path, vocabulary, example_data):
    text = dump_case(example_data).replace("level: 县\n", "level: 县\nlevel: 市\n")
    write_case(tmp_path, text)
    (problem,) = problems_in(tmp_path, vocabulary)
    assert "level 重复出现" in problem.message


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
