"""Running the validator on files written for one test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from casebook.catalog import check_paths
from casebook.project import Project

TODAY = dt.date(2026, 11, 23)


def write_case(root: Path, content: str | bytes, name: str = "jinjiang-grid-womens-groups.yaml") -> Path:
    path = root / "cases" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def problems_in(root: Path, vocabulary) -> list:
    """Every problem the validator reports for the files under ``root/cases``."""
    _, problems = check_paths(Project(root), [root / "cases"], vocabulary, TODAY)
    return sorted(problems)


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)
