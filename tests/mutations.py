"""Mutation check (`make mutations`): small, plausible mistakes in the software that the tests
must catch. Each mutant is one change to one file, found by a snippet of its code rather than a
line number, so that the check survives edits around it; the tests that should kill it run on a
copy of the repository holding the change. The check fails if a mutant survives (its tests pass),
if its snippet is no longer found exactly once (the mutant needs updating along with the code),
or if its tests fail without it. tests/README.md lists the mutants and the tests that kill them.

    .venv/bin/python tests/mutations.py            # every mutant
    .venv/bin/python tests/mutations.py routes     # the mutants whose name contains "routes"
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the copy leaves out: generated output, caches, the virtualenv and the linter (tests run on the copy
# with this interpreter).
SKIPPED = shutil.ignore_patterns(".venv", "node_modules", ".git", "site", "site-offline", "build", "__pycache__", "*.egg-info",
                                 ".pytest_cache", ".hypothesis", ".ruff_cache")


@dataclasses.dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # the file changed, from the repository's root
    find: str  # code that must occur exactly once in it
    replace: str  # what the mutant has instead
    tests: tuple[str, ...]  # pytest node ids (file::test or file) that must fail with the mutant


VALIDATE, PROVENANCE = "scripts/casebook/validate.py", "scripts/casebook/provenance.py"
ROUTES, INTAKE = "scripts/casebook/routes.py", "scripts/casebook/intake.py"

MUTANTS = (
    Mutant("validate-qualifier-any-place", VALIDATE,
           "unambiguous = set.intersection(", "unambiguous = set.union(",
           ("tests/test_validate.py::"
            "test_a_qualifier_is_required_only_where_every_place_the_quote_writes_the_figure_has_it",)),
    Mutant("validate-period-end-from-its-first-day", VALIDATE,
           "if start and end and end[1] < start[0]:", "if start and end and end[0] < start[0]:",
           ("tests/test_validate.py::test_a_period_may_end_within_the_year_or_month_it_starts_in",)),
    Mutant("validate-today-is-in-the-future", VALIDATE,
           "elif date > self.today:", "elif date >= self.today:",
           ("tests/test_validate.py::test_a_date_up_to_today_is_accepted_and_a_later_one_is_in_the_future",)),
    Mutant("provenance-first-plain-outcome-not-warned", PROVENANCE,
           "        if isinstance(outcome, str):\n            report((\"outcomes\", index)",
           "        if isinstance(outcome, str) and index:\n            report((\"outcomes\", index)",
           ("tests/test_outcomes.py::test_every_plain_text_outcome_is_a_warning_wherever_it_stands",)),
    Mutant("provenance-quotes-checked-with-a-source-unarchived", PROVENANCE,
           "if archived and not unarchived:", "if archived:",
           ("tests/test_provenance.py::test_quotes_are_checked_only_when_every_source_of_the_case_is_archived",)),
    Mutant("routes-key-spans-folders", ROUTES,
           "'.+' if name == 'path' else '[^/]+'", "'.+'",
           ("tests/test_routes.py::test_a_tag_lists_its_first_cases_on_its_own_page_and_the_rest_below_it",)),
    Mutant("routes-missing-keys-accepted", ROUTES,
           "if len(keys) != len(names):", "if len(keys) > len(names):",
           ("tests/test_routes.py::test_a_route_with_missing_keys_is_refused",)),
    Mutant("intake-longest-id-refused", INTAKE,
           'and len(given) <= base_schema()["properties"]["id"]["maxLength"]',
           'and len(given) < base_schema()["properties"]["id"]["maxLength"]',
           ("tests/test_intake.py::test_an_id_of_the_longest_length_allowed_names_the_files",)),
    Mutant("intake-item-numbers-from-zero", INTAKE,
           'f"第 {part + 1} 条"', 'f"第 {part} 条"',
           ("tests/test_intake.py::test_a_quote_changed_by_one_character_is_reported_at_its_metric",)),
)


def run_tests(copy: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{copy / 'scripts'}{os.pathsep}{copy}", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider", *tests],
                          cwd=copy, env=env, capture_output=True, text=True)


def tail(result: subprocess.CompletedProcess, lines: int = 15) -> str:
    return "\n".join((result.stdout + result.stderr).strip().splitlines()[-lines:])


def main(selected: list[str]) -> int:
    mutants = [m for m in MUTANTS if not selected or any(word in m.name for word in selected)]
    failures = []
    with tempfile.TemporaryDirectory(prefix="casebook-mutations-") as folder:
        copy = Path(folder) / "repo"
        shutil.copytree(ROOT, copy, ignore=SKIPPED)
        for mutant in mutants:
            original = (copy / mutant.path).read_text(encoding="utf-8")
            if original.count(mutant.find) != 1:
                failures.append(f"{mutant.name}: “{mutant.find}” occurs {original.count(mutant.find)} times "
                                f"in {mutant.path}, not once: update the mutant")
        all_tests = tuple(dict.fromkeys(test for mutant in mutants for test in mutant.tests))
        clean = run_tests(copy, all_tests)
        if clean.returncode != 0:
            failures.append(f"the tests fail without any mutant:\n{tail(clean)}")
        if failures:
            print("\n".join(failures), file=sys.stderr)
            return 1
        for mutant in mutants:
            target = copy / mutant.path
            original = target.read_text(encoding="utf-8")
            target.write_text(original.replace(mutant.find, mutant.replace), encoding="utf-8")
            started = time.monotonic()
            try:
                result = run_tests(copy, mutant.tests)
            finally:
                target.write_text(original, encoding="utf-8")
            seconds = time.monotonic() - started
            if result.returncode == 1:  # pytest: some test failed
                print(f"killed    {mutant.name} ({seconds:.0f} s)")
            elif result.returncode == 0:
                print(f"SURVIVED  {mutant.name}: {', '.join(mutant.tests)} pass with it")
                failures.append(mutant.name)
            else:
                print(f"ERROR     {mutant.name}: pytest exited with {result.returncode}\n{tail(result)}")
                failures.append(mutant.name)
    print(f"{len(mutants) - len(failures)} of {len(mutants)} mutants killed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
