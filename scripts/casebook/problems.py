"""Problems are values: every stage collects them and the CLI and the build print them alike."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        text = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            text = f"{text}。{self.hint}"
        return f"{where}: {text}"

    def as_dict(self) -> dict:
        return asdict(self)


def format_problems(problems: list[Problem], output_format: str = "text") -> str:
    """Render problems for people (one per line) or for tools (a JSON list)."""
    ordered = sorted(problems)
    if output_format == "json":
        return json.dumps([p.as_dict() for p in ordered], ensure_ascii=False, indent=2)
    return "\n".join(str(p) for p in ordered)


def field_path(parts: tuple) -> str:
    """``("metrics", 2, "value")`` -> ``metrics[2].value``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
