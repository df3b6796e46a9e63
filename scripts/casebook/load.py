"""Stage 1: case files on disk -> plain data, with the line and column of every value.

Loading never raises for bad input: whatever is wrong with a file becomes a Problem, and the
file still yields as much data as could be read, so one run reports every mistake.
"""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:  # The C loader is several times faster; it is present in the PyYAML wheels.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader

from .problems import Problem

MAX_FILE_BYTES = 1024 * 1024
CASE_SUFFIXES = (".yaml", ".yml")

Position = tuple[int, int]
FieldPath = tuple


@dataclass
class LoadedFile:
    """One case file as read from disk.

    ``data`` is None when the file could not be parsed at all. ``value_positions`` and
    ``key_positions`` map a field path such as ``("metrics", 0, "value")`` to (line, column).
    """

    path: Path
    display_path: str
    data: object = None
    value_positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    digest: str = ""  # SHA-256 of the file's bytes: what the content hashes of a build start from

    def position(self, parts: FieldPath, *, key: bool = False) -> Position:
        """The position of a field, or of its closest parent that exists."""
        positions = self.key_positions if key else self.value_positions
        while parts:
            if parts in positions:
                return positions[parts]
            parts = parts[:-1]
        return (1, 1)


def find_case_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and directories into case files, sorted for deterministic output.

    Files whose name starts with ``_`` or ``.`` are not cases (data and editor files). Any other
    file in a cases directory that is not YAML is reported, never skipped silently.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for root in paths:
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
                for name in sorted(filenames):
                    if name.startswith((".", "_")):
                        continue
                    candidate = Path(dirpath) / name
                    if candidate.suffix.lower() in CASE_SUFFIXES:
                        found.append(candidate)
                    else:
                        problems.append(Problem(
                            _display(candidate), 0, 0, "",
                            "cases/ 目录里只能放案例 YAML 文件，这个文件不是 .yaml",
                            "把它改名为 <id>.yaml，或移出 cases/；数据文件请以 _ 开头命名"))
        elif root.exists() or root.is_symlink():
            found.append(root)
        else:
            problems.append(Problem(_display(root), 0, 0, "", "找不到这个文件或目录"))
    return sorted(set(found)), problems


def load_case_file(path: Path, cases_root: Path | None = None) -> LoadedFile:
    """Read and parse one file; every problem found on the way is recorded on the result."""
    loaded = LoadedFile(path=path, display_path=_display(path))
    raw = _read_bytes(loaded, cases_root)
    if raw is None:
        return loaded
    loaded.digest = hashlib.sha256(raw).hexdigest()
    text = _decode(loaded, raw)
    if text is None:
        return loaded
    loaded.text = text
    _parse(loaded, text)
    return loaded


def load_yaml_text(text: str, display_path: str) -> LoadedFile:
    """YAML that is not a file of its own (a text area of the submission form), read as a case
    file is read: the same types, dates kept as text, no aliases, every problem recorded."""
    loaded = LoadedFile(path=Path(display_path), display_path=display_path, text=text)
    _parse(loaded, text)
    return loaded


def _display(path: Path) -> str:
    """The path as the contributor would type it: relative to the working directory if inside."""
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _file_problem(loaded: LoadedFile, message: str, hint: str = "", line: int = 0, column: int = 0):
    loaded.problems.append(Problem(loaded.display_path, line, column, "", message, hint))


def _read_bytes(loaded: LoadedFile, cases_root: Path | None) -> bytes | None:
    path = loaded.path
    if path.is_symlink():
        target = path.resolve()
        root = (cases_root or path.parent).resolve()
        if not target.is_relative_to(root):
            _file_problem(loaded, f"这是指向 cases/ 目录之外（{target}）的符号链接，不能作为案例",
                          "请把案例文件本身放进 cases/")
            return None
    if not path.is_file():
        _file_problem(loaded, "不是普通文件", "案例必须是 cases/ 里的一个 YAML 文件")
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        _file_problem(loaded, f"文件有 {size} 字节，超过 1 MB 的上限",
                      "一个案例通常只有几 KB，请检查是否误粘贴了整篇原文或图片")
        return None
    raw = path.read_bytes()
    if not raw.strip():
        _file_problem(loaded, "文件是空的", "可以运行 casebook new 生成一个模板")
        return None
    return raw


def _decode(loaded: LoadedFile, raw: bytes) -> str | None:
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Windows editors is harmless: drop it
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        _file_problem(loaded, "文件不是 UTF-8 编码", "请在编辑器中以 UTF-8 编码另存（不要用 GBK/GB2312）",
                      line, column)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- YAML parsing ----------------------------------------------------------------------------

_SYNTAX_HINTS = [
    ("\t", "YAML 不能用 Tab 缩进，请改用空格"),
    ("：", "键名后面要用英文冒号加空格“: ”，不能用中文冒号“：”"),
]


_SYNTAX_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现“键: 值”",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”",
    "found character '\\t' that cannot start any token": "出现了 Tab 字符",
    "could not find expected ':'": "缺少冒号",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '-'": "列表项的缩进不一致",
}


def _syntax_hint(text: str, line: int, column: int) -> tuple[str, int, int]:
    """A likely cause and where it is, looked for on the reported line and the two before it
    (PyYAML often reports the line after the mistake): (hint, line, column)."""
    lines = text.split("\n")
    nearby = [n for n in (line, line - 1, line - 2) if 0 < n <= len(lines)]
    for marker, hint in _SYNTAX_HINTS:
        for number in nearby:
            if marker in lines[number - 1]:
                return hint, number, lines[number - 1].index(marker) + 1
    if nearby and lines[nearby[0] - 1].count(": ") > 1:
        return "值里有冒号时，请把整个值用引号括起来，例如 title: \"做法：说明\"", line, column
    return "检查这一行及上一行的缩进、冒号和引号是否成对", line, column


def _parse(loaded: LoadedFile, text: str) -> None:
    try:
        documents = yaml.compose_all(text, Loader=SafeLoader)
        first = next(documents, None)
        second = next(documents, None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = _SYNTAX_PROBLEMS.get(error.problem or "", error.problem or "无法解析")
        hint, line, column = _syntax_hint(text, line, column)
        _file_problem(loaded, f"YAML 语法错误：{reason}", hint, line, column)
        return
    except yaml.YAMLError as error:  # e.g. a reader error for control characters
        _file_problem(loaded, f"YAML 无法读取：{error}", "删除文件中不可见的控制字符")
        return
    if second is not None:
        mark = second.start_mark
        _file_problem(loaded, "一个文件里只能有一个案例（一个 YAML 文档）",
                      "删除 --- 分隔线，把其他案例各放进自己的文件", mark.line + 1, mark.column + 1)
    if first is None:
        _file_problem(loaded, "文件里没有内容", "可以运行 casebook new 生成一个模板")
        return
    loaded.data = _NodeConverter(loaded).convert(first, ())


class _NodeConverter:
    """Turns a composed YAML node tree into Python data, recording positions.

    Aliases are refused rather than expanded: expanding them is how a "billion laughs" file of a
    few hundred bytes makes gigabytes, and a case file has no use for them.
    """

    def __init__(self, loaded: LoadedFile):
        self.loaded = loaded
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def convert(self, node: yaml.Node, parts: FieldPath):
        mark = node.start_mark
        self.loaded.value_positions[parts] = (mark.line + 1, mark.column + 1)
        if id(node) in self.seen:
            _file_problem(self.loaded, "不支持 YAML 锚点和别名（& 和 *）", "把内容直接写出来",
                          mark.line + 1, mark.column + 1)
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, parts)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, parts + (index,)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, parts: FieldPath) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            key_mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                _file_problem(self.loaded, "字段名必须是简单的文字", "", key_mark.line + 1, key_mark.column + 1)
                continue
            key = key_node.value
            if key == "<<":
                _file_problem(self.loaded, "不支持 YAML 合并键（<<）", "把内容直接写出来",
                              key_mark.line + 1, key_mark.column + 1)
                continue
            if key in result:
                first_line = self.loaded.key_positions[parts + (key,)][0]
                _file_problem(self.loaded, f"字段 {key} 重复出现（第一次在第 {first_line} 行）",
                              "删除其中一个", key_mark.line + 1, key_mark.column + 1)
                continue
            self.loaded.key_positions[parts + (key,)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.convert(value_node, parts + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode):
        tag = node.tag
        # Dates stay text: the schema checks them as YYYY, YYYY-MM or YYYY-MM-DD, and a bad date
        # such as 2024-13-01 must become a problem, not a constructor exception.
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                   "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError):
                return node.value
            if isinstance(value, float) and not math.isfinite(value):
                return value  # reported by the schema check as a non-finite number
            return value
        if node.style in (">", None) and node.end_mark.line > node.start_mark.line:
            return self._refold(node)
        return node.value

    def _refold(self, node: yaml.ScalarNode) -> str:
        """Fold a multi-line scalar again, without the space YAML puts at a line break between
        two Chinese characters (组建妇女小组、 + 招募“格姐” is one phrase). Blank lines still
        separate paragraphs."""
        raw = self.loaded.text[node.start_mark.index:node.end_mark.index]
        lines = raw.split("\n")
        if node.style == ">":
            lines = lines[1:]  # the ">-" indicator line
        return fold_lines(lines)


def fold_lines(lines: list[str]) -> str:
    """Lines of text as paragraphs: a line break inside a paragraph becomes nothing between two
    Chinese characters and a space otherwise; a blank line separates paragraphs."""
    paragraphs, current = [], ""
    for line in (line.strip() for line in lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif current and not (current[-1].isascii() or line[0].isascii()):
            current += line
        else:
            current = f"{current} {line}" if current else line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)
