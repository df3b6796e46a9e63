"""`casebook intake`: a submission -> ``cases/<id>.yaml`` and ``sources/<id>.md``, checked first.

A submission is the body of an issue made with the GitHub issue form (``### <label>`` headings,
``_No response_`` for an empty field) or the file the 投稿 page's form saves (YAML: field id ->
answer). Both give the answers of the same fields (``casebook.submission``). The two files are
made from them and checked exactly as `casebook validate` checks files (``catalog.check_paths``:
schema, rules, quotes against the archived text), in a temporary folder; only when nothing is
wrong are they moved into the project. Every problem names the form field it is in, since the
contributor never saw the files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .catalog import check_paths
from .load import fold_lines, load_yaml_text
from .problems import Problem
from .project import Project
from .provenance import Archive, load_archive
from .scaffold import new_case_id
from .schema import base_schema
from .submission import ARCHIVE, SOURCE_TEXT, SOURCES, FormField, dump_yaml, form_fields
from .untrusted import parse_yaml
from .vocabulary import Vocabulary

NO_RESPONSE = "_No response_"
CASE_HEADER = "# yaml-language-server: $schema=../schema/case.schema.json\n"
ARCHIVE_NOTE = "由投稿表单粘贴的原文存档"
_FENCE = re.compile(r"\A```[\w-]*\n(.*?)\n?```\Z", re.S)
_LIST_SEPARATORS = re.compile(r"[,，、]")
# A stand-in file name while the id is unusable (empty or not a file name), so that the checks run.
_UNNAMED = "unnamed-submission"


@dataclass(frozen=True)
class IntakeProblem:
    """One thing wrong with a submission, in the words of the form: ``field`` is None for a
    problem with the submission as a whole."""

    field: FormField | None
    where: str  # inside the field: "第 2 条 quote", "第 3 行"
    message: str
    hint: str = ""

    def __str__(self) -> str:
        head = f"「{self.field.label}」" if self.field else ""
        if self.where:
            head += f"{self.where}"
        text = f"{head}：{self.message}" if head else self.message
        return f"{text}。{self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return {"field": self.field.id if self.field else "", "label": self.field.label if self.field else "",
                "where": self.where, "message": self.message, "hint": self.hint}


class IntakeFailed(Exception):
    def __init__(self, problems: list[IntakeProblem]):
        super().__init__(f"{len(problems)} 个问题")
        self.problems = problems


@dataclass(frozen=True)
class Submission:
    """The two files a submission makes: their paths relative to the project, and their text."""

    case_id: str
    files: dict[str, str]


# --- reading the answers ------------------------------------------------------------------------

def read_answers(text: str, fields: tuple[FormField, ...]) -> dict[str, str]:
    """The answer to each field (empty when not answered), from an issue body or a saved file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    headings = {f"### {field.label}": field.id for field in fields}
    if any(line.strip() in headings for line in text.split("\n")):
        return _issue_answers(text, headings)
    parsed = parse_yaml(text, "投稿")
    data = parsed.data
    if isinstance(data, dict) and parsed.problems:  # a form's file, made hostile (an alias bomb)
        raise IntakeFailed([IntakeProblem(None, f"第 {p.line} 行" if p.line else "", p.message, p.hint)
                            for p in parsed.problems])
    if not isinstance(data, dict):
        raise IntakeFailed([IntakeProblem(None, "", "这不是投稿表单的内容", (
            "应为 GitHub 投稿表单生成的 issue 正文（以“### 栏目名”分段），或网站投稿页“下载投稿文件”保存的文件"))])
    known = {field.id for field in fields}
    unknown = [str(key) for key in data if key not in known]
    if unknown:
        raise IntakeFailed([IntakeProblem(None, "", f"投稿文件中有表单没有的栏目：{'、'.join(unknown)}",
                                          "请用网站投稿页重新下载投稿文件，不要手改栏目名")])
    return {field.id: "" if data.get(field.id) is None else str(data[field.id]) for field in fields}


def _issue_answers(text: str, headings: dict[str, str]) -> dict[str, str]:
    answers = {field_id: "" for field_id in headings.values()}
    current, lines = None, []
    for line in text.split("\n") + ["### "]:
        if line.startswith("### ") and (line.strip() in headings or line == "### "):
            if current:
                answers[current] = "\n".join(lines).strip()
            current, lines = headings.get(line.strip()), []
        elif current:
            lines.append(line)
    return {field_id: "" if answer == NO_RESPONSE else answer for field_id, answer in answers.items()}


# --- answers -> files ---------------------------------------------------------------------------

def prepare(answers: dict[str, str], project: Project, vocabulary: Vocabulary, today: dt.date,
            update: bool = False) -> Submission:
    """The case file and archive file the answers make, checked; IntakeFailed with every problem."""
    fields = form_fields(vocabulary)
    problems: list[IntakeProblem] = []
    case: dict = {}
    source: dict = {}
    for field in fields:
        if field.id == SOURCE_TEXT:  # the archive's text, kept as pasted
            continue
        value = _value(field, answers.get(field.id, ""), problems)
        if value is None:
            continue
        if field.path[0] == SOURCES:
            source[field.path[-1]] = value
        else:
            case[field.id] = value
    article = answers.get(SOURCE_TEXT, "").replace("\r\n", "\n").strip()
    by_id = {field.id: field for field in fields}
    if not article:
        problems.append(IntakeProblem(by_id[SOURCE_TEXT], "", "没有填写", "把报道全文粘贴在这里，数据和成效的原话要能在其中找到"))

    case_id, usable_id = _case_id(case, project, vocabulary)
    if usable_id and not update:
        for existing in (project.cases_dir / f"{case_id}.yaml", project.sources_dir / f"{case_id}.md"):
            if existing.exists():
                taken = f"编号 {case_id} 已被使用（{existing.relative_to(project.root)} 已经存在）"
                problems.append(IntakeProblem(by_id["id"], "", taken,
                                              "换一个案例编号；要更新这个案例，由维护者运行 casebook intake --update"))
                break
    if article:
        source[ARCHIVE] = case_id
    case[SOURCES] = [source]
    files = {f"cases/{case_id}.yaml": CASE_HEADER + dump_yaml(_in_schema_order(case))}
    if article:
        front = {name: source[name] for name in ("title", "publisher", "author", "date", "url") if name in source}
        front.update(archived=today.isoformat(), note=ARCHIVE_NOTE)
        files[f"sources/{case_id}.md"] = f"---\n{dump_yaml(front)}---\n\n{article}\n"
    problems += _checked(files, case_id, usable_id, project, vocabulary, today, by_id)
    if problems:
        order = {field.id: index for index, field in enumerate(fields)}
        raise IntakeFailed(sorted(problems, key=lambda p: order[p.field.id] + 1 if p.field else 0))
    return Submission(case_id, files)


def _value(field: FormField, answer: str, problems: list[IntakeProblem]):
    """The answer as the case file holds it (None when empty); YAML mistakes become problems."""
    answer = answer.replace("\r\n", "\n").strip()
    if field.widget == "yaml":
        fenced = _FENCE.match(answer)
        answer = (fenced.group(1) if fenced else answer).strip("\n")
    if not answer:
        return None
    if field.widget == "dropdown" and field.multiple:
        return [item.strip() for item in _LIST_SEPARATORS.split(answer) if item.strip()]
    if field.widget == "textarea":
        return fold_lines(answer.split("\n"))
    if field.widget != "yaml":
        return answer
    loaded = load_yaml_text(answer + "\n", field.label)
    for problem in loaded.problems:
        where = f"第 {problem.line} 行" if problem.line else ""
        problems.append(IntakeProblem(field, where, problem.message, problem.hint))
    return loaded.data if not loaded.problems else None


def _case_id(case: dict, project: Project, vocabulary: Vocabulary) -> tuple[str, bool]:
    """(the case's id, whether it can name files). An empty id (``GENERATED_WHEN_EMPTY``) is made
    from the province and title, as ``casebook new`` makes it, when the province is known."""
    given = case.get("id")
    if isinstance(given, str) and re.fullmatch(base_schema()["properties"]["id"]["pattern"], given) \
            and len(given) <= base_schema()["properties"]["id"]["maxLength"]:
        return given, True
    region = case.get("region")
    province = region.get("province") if isinstance(region, dict) else None
    if given is None and province in vocabulary.province_names:
        parts = [str(case.get("title", ""))] + [str(region.get(key, "")) for key in ("city", "county")]
        case["id"] = new_case_id(project, vocabulary, province, *parts)
        return case["id"], True
    if given is None:
        case["id"] = _UNNAMED  # the province's problem is reported; the id follows once it is fixed
    return _UNNAMED, False


def _in_schema_order(case: dict) -> dict:
    order = list(base_schema()["properties"])
    return {key: case[key] for key in sorted(case, key=lambda key: order.index(key) if key in order else len(order))}


def _checked(files: dict[str, str], case_id: str, usable_id: bool, project: Project, vocabulary: Vocabulary,
             today: dt.date, by_id: dict[str, FormField]) -> list[IntakeProblem]:
    """What `casebook validate` says of the files, in a temporary copy, in the form's words."""
    with tempfile.TemporaryDirectory(prefix="casebook-intake-") as folder:
        root = Path(folder)
        for relative, text in files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text, encoding="utf-8")
        (root / "cases").mkdir(exist_ok=True)
        archive, problems = load_archive(root / "sources", root)
        # Quotes missing from the archive are reported "in the archived text (<its path>)": the
        # contributor knows it as the field they pasted it into.
        archive = Archive({key: replace(record, path=by_id[SOURCE_TEXT].label) for key, record in archive.sources.items()},
                          archive.unreadable)
        _, case_problems = check_paths(Project(root), [root / "cases" / f"{case_id}.yaml"], vocabulary, today,
                                       archive=archive)
    if not usable_id:
        # The stand-in file name differs from the id: not the contributor's mistake.
        case_problems = [p for p in case_problems if not (p.field == "id" and f"{_UNNAMED}.yaml" in p.message)]
    # The archive's front matter repeats the source's answers (date, address): a wrong one is
    # reported by both files, and named once.
    return list(dict.fromkeys(_in_form_words(problem, by_id) for problem in sorted(problems) + case_problems))


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _in_form_words(problem: Problem, by_id: dict[str, FormField]) -> IntakeProblem:
    if problem.path.startswith("sources/"):
        return IntakeProblem(by_id.get(f"source_{problem.field}", by_id[SOURCE_TEXT]), "", problem.message, problem.hint)
    parts = [name or int(index) for name, index in _PATH_PART.findall(problem.field)]
    if not parts:
        return IntakeProblem(None, "", problem.message, problem.hint)
    if parts[0] == SOURCES:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
        field = by_id.get(f"source_{parts[0]}") if parts and isinstance(parts[0], str) else by_id[SOURCE_TEXT]
        rest = parts[1:]
    else:
        field, rest = by_id.get(parts[0]), parts[1:]
    where = " ".join(f"第 {part + 1} 条" if isinstance(part, int) else part for part in rest)
    return IntakeProblem(field, where, problem.message, problem.hint)


# --- writing --------------------------------------------------------------------------------------

def intake(text: str, project: Project, vocabulary: Vocabulary, today: dt.date | None = None,
           update: bool = False) -> list[Path]:
    """Read a submission, check it and write its two files: the paths written, or IntakeFailed
    (and nothing written)."""
    fields = form_fields(vocabulary)
    submission = prepare(read_answers(text, fields), project, vocabulary, today or dt.date.today(), update)
    written = []
    for relative, content in submission.files.items():
        path = project.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.intake")  # ignored by the loaders; replaced at once
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, path)
        written.append(path)
    return written
