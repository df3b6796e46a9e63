"""Stage 1: case files on disk -> plain data, with the line and column of every value, read by
the one reader of untrusted text (``casebook.untrusted``).

Loading never raises for bad input: whatever is wrong with a file becomes a Problem, and the
file still yields as much data as could be read, so one run reports every mistake.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .untrusted import MAX_BYTES, FieldPath, Position, decode, fold_lines, parse_yaml, too_large

__all__ = ["LoadedFile", "find_case_files", "fold_lines", "load_case_file", "load_yaml_text"]

CASE_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadedFile:
    """One case file as read from disk.

    ``data`` is None when the file could not be parsed at all. ``value_positions`` and
    ``key_positions`` map a field path such as ``("metrics", 0, "value")`` to (line, column).
    ``refused`` holds the paths of values the reader refused and reported (an alias, a number
    out of range): they are None in ``data``, and the checks after it leave them alone.
    """

    path: Path
    display_path: str
    data: object = None
    value_positions: dict[FieldPath, Position] = field(default_factory=dict)
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    refused: set[FieldPath] = field(default_factory=set)
    origin: Position = (1, 1)  # where a problem of the data as a whole (a missing field) is shown
    text: str = ""
    digest: str = ""  # SHA-256 of the file's bytes: what the content hashes of a build start from

    def position(self, parts: FieldPath, *, key: bool = False) -> Position:
        """The position of a field, or of its closest parent that exists."""
        positions = self.key_positions if key else self.value_positions
        while parts:
            if parts in positions:
                return positions[parts]
            parts = parts[:-1]
        return self.origin


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
    """YAML that is not a file of its own (a text area of the submission form, an archive's front
    matter), read as a case file is read: the same types, dates kept as text, no aliases, every
    problem recorded."""
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
    if size > MAX_BYTES:
        loaded.problems.append(too_large(loaded.display_path, size))
        return None
    raw = path.read_bytes()
    if not raw.strip():
        _file_problem(loaded, "文件是空的", "可以运行 casebook new 生成一个模板")
        return None
    return raw


def _decode(loaded: LoadedFile, raw: bytes) -> str | None:
    text, problems = decode(raw, loaded.display_path)
    loaded.problems += problems
    return text


def _parse(loaded: LoadedFile, text: str) -> None:
    parsed = parse_yaml(text, loaded.display_path)
    loaded.data = parsed.data
    loaded.value_positions, loaded.key_positions = parsed.value_positions, parsed.key_positions
    loaded.refused = parsed.refused
    loaded.problems += parsed.problems
