"""Problems are values: every stage collects them and the CLI and the build print them alike."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import asdict, dataclass

ERROR = "error"
# Something to fix that does not stop the build (a plain-text outcome without its quote);
# `casebook validate --strict`, and the library's own tests, count it as an error.
WARNING = "warning"

# What `casebook draft` writes in a field only a person can fill (summary, lessons …), followed by
# the field's note. A value starting with it is always a problem, reported as this field still to
# write rather than as a wrong value (a placeholder in `level` is not “not an allowed value”, a
# placeholder quote not “not in the archive”).
DRAFT_PLACEHOLDER = "【草稿占位】"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at a position a contributor can jump to.

    ``line`` and ``column`` count from 1, like editors do; 0 means "the whole file".
    ``field`` is the dotted path of the field (``metrics[2].value``), empty for file-level problems.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text = f"{text}。{self.hint}"
        return f"{where}: {'提醒：' if self.is_warning else ''}{text}"

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def as_error(self) -> "Problem":
        return dataclasses.replace(self, severity=ERROR)

    def as_dict(self) -> dict:
        return asdict(self)


def format_problems(problems: list[Problem], output_format: str = "text") -> str:
    """Render problems for people (one per line) or for tools (a JSON list)."""
    ordered = sorted(problems)
    if output_format == "json":
        return json.dumps([p.as_dict() for p in ordered], ensure_ascii=False, indent=2)
    return "\n".join(str(p) for p in ordered)


def errors_and_warnings(problems: list[Problem], strict: bool = False) -> tuple[list[Problem], list[Problem]]:
    """Problems that stop a build, and those that are only shown; ``strict`` stops on every one."""
    if strict:
        return [problem.as_error() for problem in problems], []
    return ([problem for problem in problems if not problem.is_warning],
            [problem for problem in problems if problem.is_warning])


def field_path(parts: tuple) -> str:
    """``("metrics", 2, "value")`` -> ``metrics[2].value``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
