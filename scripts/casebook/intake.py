"""`casebook intake`: a submission -> ``cases/<id>.yaml`` and ``sources/<id>.md``, checked first.

A submission is the body of an issue made with the GitHub issue form (``### <label>`` headings,
``_No response_`` for an empty field) or the file the 投稿 page's form saves (YAML: field id ->
answer). Both give the answers of the same fields (``casebook.submission``). The two files are
made from them and checked exactly as `casebook validate` checks files (``catalog.check_paths``:
schema, rules, quotes against the archived text), in a temporary folder; only when nothing is
wrong are they moved into the project. Every problem names the form field it is in, since the
contributor never saw the files.

A submission is untrusted text from anyone who can open an issue: its size is bounded before it is
read; each heading of the issue form counts once (a heading typed inside an answer is refused,
not read as another field); the two files appear together or not at all, and a new id is taken
by an exclusive create, so that two submissions of one id cannot both succeed; the bot's comment
(``comment``) shows every text the contributor typed as code, never as Markdown.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from .catalog import check_paths
from .load import fold_lines, load_yaml_text
from .problems import Problem
from .project import Project
from .provenance import Archive, load_archive
from .schema import base_schema
from .submission import ARCHIVE, SOURCE_TEXT, SOURCES, FormField, case_id_stem, dump_yaml, form_fields
from .untrusted import parse_yaml
from .vocabulary import Vocabulary

NO_RESPONSE = "_No response_"
CASE_HEADER = "# yaml-language-server: $schema=../schema/case.schema.json\n"
ARCHIVE_NOTE = "由投稿表单粘贴的原文存档"
_FENCE = re.compile(r"\A```[\w-]*\n(.*?)\n?```\Z", re.S)
_LIST_SEPARATORS = re.compile(r"[,，、]")
# A stand-in file name while the id is unusable (empty or not a file name), so that the checks run.
_UNNAMED = "unnamed-submission"
# GitHub keeps at most 65,536 characters of an issue's body, 3 bytes each in UTF-8 for Chinese;
# the file the 投稿 page saves holds the same answers. Anything longer is refused before it is read.
MAX_SUBMISSION_BYTES = 256 * 1024
# What the bot says when intake itself failed (exit status 2); the traceback goes to the log only.
INTERNAL_ERROR = "内部错误，已通知维护者"
_SCALARS = (str, int, float, dt.date)  # what a saved form file's answers can be (dates as YAML reads them)
# A comment on GitHub holds at most 65,536 characters: this many problems of at most this length.
COMMENT_PROBLEMS, COMMENT_PROBLEM_CHARS = 40, 1000


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
    """The two files a submission makes: the case's id, the case file's text and the archive's
    (None when no article was pasted)."""

    case_id: str
    case_text: str
    archive_text: str | None

    def files(self, project: Project) -> dict[Path, str]:
        """Where the files go in ``project`` (its configured ``paths.cases`` and ``paths.sources``)."""
        files = {project.cases_dir / f"{self.case_id}.yaml": self.case_text}
        if self.archive_text is not None:
            files[project.sources_dir / f"{self.case_id}.md"] = self.archive_text
        return files


# --- reading the answers ------------------------------------------------------------------------

def read_submission(stream: BinaryIO) -> str:
    """The text of a submission (a file or standard input), at most ``MAX_SUBMISSION_BYTES`` of
    UTF-8 read; IntakeFailed, before anything larger is held in memory, otherwise."""
    raw = stream.read(MAX_SUBMISSION_BYTES + 1)
    if len(raw) > MAX_SUBMISSION_BYTES:
        raise _too_big()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeFailed([IntakeProblem(None, "", "投稿不是 UTF-8 编码的文本", (
            "请用网站投稿页下载的文件，或 issue 的正文"))]) from None


def _too_big() -> IntakeFailed:
    return IntakeFailed([IntakeProblem(None, "", f"投稿超过 {MAX_SUBMISSION_BYTES // 1024} KB 的上限", (
        "GitHub 的 issue 正文最多 65,536 个字符；请只粘贴报道正文，删去网页导航、广告和图片"))])


def read_answers(text: str, fields: tuple[FormField, ...]) -> dict[str, str]:
    """The answer to each field (empty when not answered), from an issue body or a saved file."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SUBMISSION_BYTES:
        raise _too_big()
    headings = {_heading(field): field for field in fields}
    lines = text.split("\n")
    if any(line.rstrip() in headings for line in lines):
        return _issue_answers(lines, headings, fields)
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
    # Every answer the form saves is text: a list or a mapping here was typed by hand, and turning
    # one into text could take as long as its shared parts are deep.
    nested = [IntakeProblem(field, "", "投稿文件中这一栏的答案应为文字，这里是列表或映射",
                            "请用网站投稿页重新下载投稿文件，不要手改")
              for field in fields if data.get(field.id) is not None and not isinstance(data[field.id], _SCALARS)]
    if nested:
        raise IntakeFailed(nested)
    return {field.id: "" if data.get(field.id) is None else str(data[field.id]) for field in fields}


def _heading(field: FormField) -> str:
    """The line GitHub puts above a field's answer in the issue's body."""
    return f"### {field.label}"


def _issue_answers(lines: list[str], headings: dict[str, FormField],
                   fields: tuple[FormField, ...]) -> dict[str, str]:
    """Each field's answer: the lines between its heading and the next. A heading counts once: a
    second one (typed inside an answer, or repeated) would silently take another field's place,
    and a ``### `` line naming no field is not part of any answer the form asks for."""
    sections: list[tuple[FormField, list[str]]] = []
    for line in lines:
        field = headings.get(line.rstrip())
        if field:
            sections.append((field, []))
        elif sections:
            sections[-1][1].append(line)
    problems = _misplaced_headings([field for field, _ in sections], fields)
    for field, answer in sections:
        strays = [line.rstrip() for line in answer if line.startswith("### ")]
        if strays:
            more = f"（共 {len(strays)} 行）" if len(strays) > 1 else ""
            problems.append(IntakeProblem(field, "", f"答案中有一行“{strays[0]}”{more}，像是表单栏目的标题，但表单没有这一栏",
                                          "答案中不要有以“### ”开头的行：删去行首的井号"))
    if problems:
        raise IntakeFailed(problems)
    answers = {field.id: "" for field in fields}
    for field, answer in sections:
        text = "\n".join(answer).strip()
        answers[field.id] = "" if text == NO_RESPONSE else text
    return answers


def _misplaced_headings(found: list[FormField], fields: tuple[FormField, ...]) -> list[IntakeProblem]:
    """A problem for each field heading met more than once. GitHub writes every field's heading
    once, in the form's order, so of a repeated heading the one right after its predecessor's is
    GitHub's and any other was typed inside the answer before it: that field is named. When that
    cannot be told, the repeated field itself is."""
    before = {field.id: previous for previous, field in zip((None, *fields[:-1]), fields, strict=True)}
    problems = []
    for field in dict.fromkeys(field for field in found if found.count(field) > 1):
        places = [index for index, seen in enumerate(found) if seen == field]
        genuine = [index for index in places if (found[index - 1] if index else None) == before[field.id]]
        typed_in = [found[index - 1] for index in places if index and index not in genuine] if len(genuine) == 1 else []
        problems += [IntakeProblem(answer, "", (
            f"答案中有一行“{_heading(field)}”，与「{field.label}」栏的标题相同，会把其后的内容当作「{field.label}」的答案"),
            "每一栏的标题只能出现一次：删去这一行，或去掉行首的井号") for answer in typed_in]
        if len(typed_in) < len(places) - 1:
            problems.append(IntakeProblem(field, "", f"这一栏的标题“{_heading(field)}”出现了 {len(places)} 次",
                                          "每一栏的标题只能出现一次：删去多出的那一行及其后重复的答案"))
    return problems


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
            case[field.path[0]] = value
    article = answers.get(SOURCE_TEXT, "").replace("\r\n", "\n").strip()
    # The validator names a field by its path: the case's title is the form's case_title.
    by_id = {field.id: field for field in fields} | {field.path[0]: field for field in fields if len(field.path) == 1}
    if not article:
        problems.append(IntakeProblem(by_id[SOURCE_TEXT], "", "没有填写", "把报道全文粘贴在这里，数据和成效的原话要能在其中找到"))

    case_id, usable_id = _case_id(case, project, vocabulary)
    if article:
        source[ARCHIVE] = case_id
    case[SOURCES] = [source]
    archive_text = None
    if article:
        front = {name: source[name] for name in ("title", "publisher", "author", "date", "url") if name in source}
        front.update(archived=today.isoformat(), note=ARCHIVE_NOTE)
        archive_text = f"---\n{dump_yaml(front)}---\n\n{article}\n"
    submission = Submission(case_id, CASE_HEADER + dump_yaml(_in_schema_order(case)), archive_text)
    if usable_id and not update:
        existing = next((path for path in submission.files(project) if path.exists()), None)
        if existing:
            problems.append(_taken(by_id["id"], existing, project))
    problems += _checked(submission, usable_id, vocabulary, today, by_id)
    if problems:
        order = {field.id: index for index, field in enumerate(fields)}
        raise IntakeFailed(sorted(problems, key=lambda p: order[p.field.id] + 1 if p.field else 0))
    return submission


def _taken(field: FormField, existing: Path, project: Project) -> IntakeProblem:
    return IntakeProblem(field, "", f"编号 {existing.stem} 已被使用（{existing.relative_to(project.root).as_posix()} 已经存在）",
                         "换一个案例编号；要更新这个案例，由维护者运行 casebook intake --update")


def _value(field: FormField, answer: str, problems: list[IntakeProblem]):
    """The answer as the case file holds it (None when empty); YAML mistakes become problems."""
    answer = answer.replace("\r\n", "\n").strip()
    if field.widget == "yaml":
        fenced = _FENCE.match(answer)
        answer = (fenced.group(1) if fenced else answer).strip("\n")
    if not answer:
        return None
    if field.widget == "dropdown" and field.multiple:
        chosen = [item.strip() for item in _LIST_SEPARATORS.split(answer) if item.strip()]
        if len(chosen) > len(field.options):  # typed, not chosen: the rest is not checked one by one
            problems.append(IntakeProblem(field, "", f"填了 {len(chosen)} 项，这一栏只有 {len(field.options)} 个选项",
                                          "从列表中选择，每项只选一次"))
        return chosen[:len(field.options)]
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
    from the place and the practice in pinyin (``submission.case_id_stem``, the page's rule too),
    with -2, -3 … while a case has it, when the province is known."""
    given = case.get("id")
    if isinstance(given, str) and re.fullmatch(base_schema()["properties"]["id"]["pattern"], given) \
            and len(given) <= base_schema()["properties"]["id"]["maxLength"]:
        return given, True
    region = case.get("region")
    province = region.get("province") if isinstance(region, dict) else None
    if given is None and province in vocabulary.province_names:
        practice = case.get("practice")
        name = str(practice.get("name") or "") if isinstance(practice, dict) else ""
        stem = case_id_stem(region, name, vocabulary.province(province).slug)
        candidate, counter = stem, 2
        while (project.cases_dir / f"{candidate}.yaml").exists():
            candidate, counter = f"{stem}-{counter}", counter + 1
        case["id"] = candidate
        return candidate, True
    if given is None:
        case["id"] = _UNNAMED  # the province's problem is reported; the id follows once it is fixed
    return _UNNAMED, False


def _in_schema_order(case: dict) -> dict:
    order = list(base_schema()["properties"])
    return {key: case[key] for key in sorted(case, key=lambda key: order.index(key) if key in order else len(order))}


def _checked(submission: Submission, usable_id: bool, vocabulary: Vocabulary, today: dt.date,
             by_id: dict[str, FormField]) -> list[IntakeProblem]:
    """What `casebook validate` says of the files, in a temporary copy, in the form's words."""
    case_id = submission.case_id
    with tempfile.TemporaryDirectory(prefix="casebook-intake-") as folder:
        root = Path(folder)  # a project with the default paths: cases/ and sources/
        for path, text in submission.files(Project(root)).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
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
    files = submission.files(project)
    try:
        _write_together(files, update)
    except OSError as error:
        if isinstance(error, FileExistsError) and error.filename2:  # the id taken meanwhile, by another submission
            raise IntakeFailed([_taken(next(f for f in fields if f.id == "id"), Path(error.filename2), project)]) from None
        failed = Path(error.filename2 or error.filename or project.root)
        # The folder: the file failed was one of ours (or a temporary one) inside it, or the folder itself.
        where = next((path.parent for path in files if failed in (path.parent, path) or failed.parent == path.parent), failed)
        raise IntakeFailed([IntakeProblem(None, "", f"无法写入 {_shown(where, project)}：{error.strerror or error}", (
            "没有写入任何文件；请维护者检查这个文件夹（权限、磁盘空间）后重新运行"))]) from None
    return list(files)


def _shown(path: Path, project: Project) -> str:
    try:
        return path.relative_to(project.root).as_posix() or "."
    except ValueError:
        return str(path)


def _write_together(files: dict[Path, str], update: bool) -> None:
    """Every file written, or none: each is first written in full to a hidden temporary name in
    its own folder (the loaders skip it), then all are put in place. A new file is put in place
    by a hard link, which fails if the name exists (FileExistsError): of two submissions of one
    id, one gets it. With ``update`` an existing file is replaced, its old version kept until all
    are in place. On any failure what was put in place is undone and the temporary files go."""
    staged: dict[Path, Path] = {}
    placed: list[tuple[Path, Path | None]] = []  # (target, its previous version's hidden copy)
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".intake", dir=path.parent)
            staged[path] = Path(temporary)
            os.fchmod(handle, 0o666 & ~_umask())  # mkstemp's file is private; the project's files are not
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        for path, temporary in staged.items():
            previous = None
            if update and path.exists():
                previous = temporary.with_name(temporary.name + ".old")
                os.link(path, previous)
                placed.append((path, previous))
                os.replace(temporary, path)
            else:
                os.link(temporary, path)
                placed.append((path, None))
    except BaseException:
        for path, previous in reversed(placed):
            if previous:
                os.replace(previous, path)
            else:
                path.unlink(missing_ok=True)
        raise
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
        for _, previous in placed:
            if previous:
                previous.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- the bot's comment ---------------------------------------------------------------------------

def comment(written: Iterable[str], problems: Iterable[IntakeProblem]) -> str:
    """The comment the intake workflow posts on the issue, in Markdown: the files written, or each
    problem under the label of its field. Whatever the contributor typed may be quoted in a
    problem, so all but the label (the form's own words) is shown as code: nothing typed becomes
    a link, an image, a mention or a heading."""
    problems = list(problems)
    if not problems:
        return "检查通过，已生成案例文件：\n\n" + "".join(f"- {_code(path)}\n" for path in written)
    lines = [f"投稿有 {len(problems)} 个问题，没有写入任何文件。请按提示修改表单中的这些栏目：", ""]
    for problem in problems[:COMMENT_PROBLEMS]:
        label = f"「{problem.field.label}」：" if problem.field else ""
        lines.append(f"- {label}{_code(str(replace(problem, field=None))[:COMMENT_PROBLEM_CHARS])}")
    if len(problems) > COMMENT_PROBLEMS:
        lines.append(f"- 另有 {len(problems) - COMMENT_PROBLEMS} 个问题未列出：先改好以上各条")
    lines += ["", "改好后编辑本条 issue（右上角“…”→ Edit），保存后会自动重新检查，这条留言随之更新。"]
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    """``text`` as one inline code span: on one line, fenced by more backticks than it holds in a
    row, padded by a space on each side (which Markdown removes) so that a backtick at either end
    cannot join the fence."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"
