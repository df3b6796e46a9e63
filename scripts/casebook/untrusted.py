"""The one reader of text nobody vouches for: case files, archived sources, intake's submissions.

Anyone who can open an issue or a pull request writes what reaches these functions, so nothing
in them may take time or memory out of proportion to the text's size, recurse with the text's
nesting, or raise: every refusal is a Problem at the line and column of its cause.

- Text must be UTF-8 (a BOM is dropped) without control characters other than tab and line
  breaks, and at most ``MAX_BYTES`` long.
- YAML is read event by event (``parse_yaml``) with an explicit stack, never composed: anchors
  and aliases are refused where they appear rather than expanded (a few hundred bytes of
  "billion laughs" would grow to gigabytes), nesting deeper than ``MAX_DEPTH`` stops the reading
  before any deeper object is built (PyYAML's composer recurses and crashes at 50,000 ``[``),
  and a number must be one a float holds exactly (``MAX_INTEGER``) and finite.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:  # The C parser is several times faster; it is present in the PyYAML wheels.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader

from .problems import Problem, field_path

MAX_BYTES = 1024 * 1024
# A case nests four levels (metrics[0].quote is three); a submission's YAML field two.
MAX_DEPTH = 20
# Every integer up to 2**53 is exact as a float, so a figure compares exactly with its quote.
MAX_INTEGER = 2**53
# A number written longer than this is not a figure from an article (and some spellings, such as
# YAML 1.1's base-60 integers, cost time growing with the square of their length to read).
MAX_NUMBER_CHARACTERS = 32

Position = tuple[int, int]  # (line, column), from 1
FieldPath = tuple  # ("metrics", 0, "value")


@dataclass
class ParsedYaml:
    """What one YAML text holds: ``data`` (None when it could not be read at all), the (line,
    column) of each value and key by field path, every problem, and the paths of values refused
    where they were read (an alias, a number out of range), which later checks leave alone."""

    data: object = None
    value_positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: set[FieldPath] = field(default_factory=set)


# --- text -----------------------------------------------------------------------------------------

# C0 controls but tab and line feed (carriage returns are gone by then), DEL and the C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_HINT = "删除它（常见于从网页或 Word 粘贴）"


def read_text_file(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """A file's text, of at most ``MAX_BYTES``, UTF-8 and without control characters; or None
    and why."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return None, [too_large(shown, size)]
    text, problems = decode(path.read_bytes(), shown)
    if text is not None:
        problems = control_characters(text, shown)
    return (None if problems else text), problems


def too_large(shown: str, size: int) -> Problem:
    return Problem(shown, 0, 0, "", f"文件有 {size} 字节，超过 {MAX_BYTES // 1024 // 1024} MB 的上限",
                   "一个案例或一篇存档原文通常只有几十 KB，请检查是否误粘贴了整个网页或图片")


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 bytes as text with ``\\n`` line breaks, or None and the problem, at the line and
    column of the first byte that is not UTF-8, naming the encoding when it can be recognised."""
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Windows editors is harmless: drop it
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1: error.start].decode("utf-8", "replace")) + 1
        return None, [Problem(shown, line, column, "", f"文件不是 UTF-8 编码（{_encoding_of(raw)}）",
                              "请在编辑器中以 UTF-8 编码另存（不要用 GBK/GB2312）")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _encoding_of(raw: bytes) -> str:
    """A likely name of the encoding, for the message: those Chinese text is saved in."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "看起来是 UTF-16"
    for encoding, name in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search("[\u4e00-\u9fff]", decoded):
            return f"看起来是 {name}"
    return "无法识别的编码"


def control_characters(text: str, shown: str) -> list[Problem]:
    """The first control character of the text (other than tab and line feed), as a problem."""
    found = _CONTROL.search(text)
    if not found:
        return []
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return [Problem(shown, line, column, "", control_message(found.group()), CONTROL_HINT)]


def control_message(character: str) -> str:
    return f"含有不可见的控制字符 U+{ord(character):04X}"


# --- YAML -----------------------------------------------------------------------------------------

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

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_CONSTRUCTED_TAGS = (*_NUMBER_TAGS, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def parse_yaml(text: str, shown: str) -> ParsedYaml:
    """One YAML document as plain data: mappings with text keys, lists, text, numbers, booleans
    and None; dates stay text (the schema checks them). Never raises for what the text holds."""
    parsed = ParsedYaml()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        parsed.problems.append(too_large(shown, size))
        return parsed
    parsed.problems = control_characters(text, shown)
    if parsed.problems:
        return parsed
    _EventReader(parsed, text, shown).read()
    return parsed


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


_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_EXPECT_KEY, _READING_BAD_KEY, _DISCARD = object(), object(), object()


@dataclass
class _Open:
    """A mapping or list being read: its value so far, its path (None inside a value that is
    read but not kept) and, in a mapping, the key whose value comes next (or a state)."""

    value: dict | list
    parts: FieldPath | None
    key: object = _EXPECT_KEY


class _EventReader:
    """Builds the data from the parser's events with a stack of the open mappings and lists."""

    def __init__(self, parsed: ParsedYaml, text: str, shown: str):
        self.parsed = parsed
        self.text = text
        self.shown = shown
        self.stack: list[_Open] = []
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: list = []  # where each anchor or alias is

    def problem(self, mark, message: str, hint: str = "", parts: FieldPath = ()) -> None:
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        self.parsed.problems.append(Problem(self.shown, line, column, field_path(parts), message, hint))

    def read(self) -> None:
        loader = SafeLoader(self.text)
        try:
            self._read_events(loader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            reason = _SYNTAX_PROBLEMS.get(error.problem or "", error.problem or "无法解析")
            hint, line, column = _syntax_hint(self.text, line, column)
            self.parsed.problems.append(Problem(self.shown, line, column, "", f"YAML 语法错误：{reason}", hint))
            self.parsed.data = None
        except yaml.YAMLError as error:  # a reader error: a character the parser does not take
            self.parsed.problems.append(Problem(self.shown, 0, 0, "", f"YAML 无法读取：{error}",
                                                "删除文件中不可见的字符"))
            self.parsed.data = None
        finally:
            loader.dispose()
        if self.anchors:
            count = f"，共 {len(self.anchors)} 处" if len(self.anchors) > 1 else ""
            self.problem(self.anchors[0], f"不支持 YAML 锚点和别名（& 和 *）{count}", "把内容直接写出来")

    def _read_events(self, loader) -> None:
        documents = 0
        while True:
            event = loader.get_event()
            kind = type(event)  # tested by identity, most frequent first: this loop reads every file
            if kind in _NODE_EVENTS:
                if not self._node(event):
                    return
            elif kind in _END_EVENTS:
                self._add(self.stack.pop().value)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    self.problem(loader.peek_event().start_mark, "一个文件里只能有一个案例（一个 YAML 文档）",
                                 "删除 --- 分隔线，把其他案例各放进自己的文件")
                    return
            elif kind is yaml.StreamEndEvent:
                break
        if documents == 0:
            self.problem(None, "文件里没有内容", "可以运行 casebook new 生成一个模板")

    def _node(self, event: yaml.NodeEvent) -> bool:
        """Take in one scalar, alias or start of a mapping or list; False to stop reading."""
        if event.anchor is not None:
            self.anchors.append(event.start_mark)
        top = self.stack[-1] if self.stack else None
        if top is not None and isinstance(top.value, dict) and top.key is _EXPECT_KEY:
            return self._key(top, event)
        parts = self._parts_of_next(top)
        if parts is not None:
            self.parsed.value_positions[parts] = (event.start_mark.line + 1, event.start_mark.column + 1)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._add(self._scalar(event, parts))
        elif kind is yaml.AliasEvent:
            if parts is not None:
                self.parsed.refused.add(parts)
            self._add(None)
        else:
            return self._open(event, parts)
        return True

    def _open(self, event: yaml.NodeEvent, parts: FieldPath | None) -> bool:
        """Start a mapping or list, unless it is nested too deep: then stop reading, with no data."""
        if len(self.stack) >= MAX_DEPTH:
            # Named by its top field: a path twenty levels long would say nothing more.
            self.problem(event.start_mark, f"嵌套超过 {MAX_DEPTH} 层",
                         "案例和投稿只需要几层缩进；检查是否多写了括号 [ 或 {", (parts or ())[:1])
            self.parsed.data = None
            return False
        self.stack.append(_Open({} if isinstance(event, yaml.MappingStartEvent) else [], parts))
        return True

    @staticmethod
    def _parts_of_next(top: _Open | None) -> FieldPath | None:
        """The path of the value that comes next (None inside a value read but not kept)."""
        if top is None:
            return ()
        if top.parts is None:
            return None
        if isinstance(top.value, list):
            return top.parts + (len(top.value),)
        return None if top.key is _DISCARD else top.parts + (top.key,)

    def _key(self, top: _Open, event: yaml.NodeEvent) -> bool:
        """A mapping's key: text as written (``1: x`` has the key "1"), once, and not ``<<``."""
        mark = event.start_mark
        if not isinstance(event, yaml.ScalarEvent):
            if top.parts is not None:
                self.problem(mark, "字段名必须是简单的文字")
            if isinstance(event, yaml.AliasEvent):
                top.key = _DISCARD
                return True
            top.key = _READING_BAD_KEY
            return self._open(event, None)
        top.key = _DISCARD
        if top.parts is None:
            return True
        key = event.value
        self._check_characters(event, top.parts)
        if key == "<<":
            self.problem(mark, "不支持 YAML 合并键（<<）", "把内容直接写出来")
        elif key in top.value:
            first_line = self.parsed.key_positions[top.parts + (key,)][0]
            self.problem(mark, f"字段 {key} 重复出现（第一次在第 {first_line} 行）", "删除其中一个")
        else:
            self.parsed.key_positions[top.parts + (key,)] = (mark.line + 1, mark.column + 1)
            top.key = key
        return True

    def _add(self, value) -> None:
        """Put a finished value where it belongs: the document, a list, or a mapping."""
        if not self.stack:
            self.parsed.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.key is _READING_BAD_KEY:  # the key just read: its value follows, not kept
            top.key = _DISCARD
        else:
            if top.key is not _DISCARD:
                top.value[top.key] = value
            top.key = _EXPECT_KEY

    def _check_characters(self, event: yaml.ScalarEvent, parts: FieldPath) -> None:
        """Control characters written as escapes ("\\0"), which only double quotes read, reach the
        text this way (the text itself has none: ``parse_yaml`` checked)."""
        found = event.style == '"' and _CONTROL.search(event.value)
        if found:
            self.problem(event.start_mark, control_message(found.group()), CONTROL_HINT, parts)

    def _scalar(self, event: yaml.ScalarEvent, parts: FieldPath | None):
        if parts is not None:
            self._check_characters(event, parts)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        # Dates stay text: the schema checks them as YYYY, YYYY-MM or YYYY-MM-DD, and a bad date
        # such as 2024-13-01 must become a problem, not a constructor exception.
        if tag == _TIMESTAMP_TAG:
            return event.value
        if tag in _CONSTRUCTED_TAGS:
            return self._constructed(event, tag, parts)
        if event.style in (">", None) and event.end_mark.line > event.start_mark.line:
            return self._refold(event)
        return event.value

    def _constructed(self, event: yaml.ScalarEvent, tag: str, parts: FieldPath | None):
        if tag in _NUMBER_TAGS and len(event.value) > MAX_NUMBER_CHARACTERS:
            return self._refuse(event, parts, f"数字太长（{len(event.value)} 个字符）",
                                f"数值最多写 {MAX_NUMBER_CHARACTERS} 个字符；如果这是文字，请加引号")
        try:
            value = self.constructor.construct_object(yaml.ScalarNode(tag, event.value), deep=True)
        except (ValueError, yaml.YAMLError):
            return event.value
        if isinstance(value, float) and not math.isfinite(value):
            return self._refuse(event, parts, f"应为有限的数字，实际是 {value}", "写原文中的具体数值")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            return self._refuse(event, parts, f"数值太大，超过 {MAX_INTEGER}", "写原文中的具体数值")
        return value

    def _refuse(self, event: yaml.ScalarEvent, parts: FieldPath | None, message: str, hint: str) -> None:
        """No value, and the problem at its field: later checks leave the field alone."""
        if parts is not None:
            self.problem(event.start_mark, message, hint, parts)
            self.parsed.refused.add(parts)

    def _refold(self, event: yaml.ScalarEvent) -> str:
        """Fold a multi-line scalar again, without the space YAML puts at a line break between
        two Chinese characters (组建妇女小组、 + 招募“格姐” is one phrase). Blank lines still
        separate paragraphs."""
        raw = self.text[event.start_mark.index:event.end_mark.index]
        lines = raw.split("\n")
        if event.style == ">":
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
