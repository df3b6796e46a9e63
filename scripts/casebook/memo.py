"""Values computed from one case, kept across the builds of a long-running process.

``mkdocs serve`` builds again after every edit, and the catalog it reads hands back the same
``Case`` object for every file that did not change (``catalog.ParseCache``). What a stage
computes from one case alone (the finder's term counts, the characters a case uses) is then
kept by that object's identity: a changed case is a new object and is computed afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class CaseMemo:
    """One value per case and per purpose; only the cases of the latest build are kept."""

    def __init__(self) -> None:
        self._previous: dict[tuple[Hashable, int], tuple[object, object]] = {}
        self._current: dict[tuple[Hashable, int], tuple[object, object]] = {}

    def new_build(self) -> None:
        """Forget what the previous build did not use (a deleted or changed case)."""
        self._previous, self._current = self._current, {}

    def get(self, purpose: Hashable, case, compute: Callable[[object], T]) -> T:
        """``compute(case)``, or what it gave for this same case object; ``purpose`` names the
        computation and everything besides the case it depends on."""
        key = (purpose, id(case))
        entry = self._current.get(key) or self._previous.get(key)
        if entry is None or entry[0] is not case:
            entry = (case, compute(case))
        self._current[key] = entry
        return entry[1]


def compute_each(memo: CaseMemo | None, purpose: Hashable, case, compute: Callable[[object], T]) -> T:
    """``compute(case)``, through ``memo`` when there is one."""
    return memo.get(purpose, case, compute) if memo else compute(case)
