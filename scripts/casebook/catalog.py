"""The whole input of a build: every case, validated, with the vocabularies they use.

``read_catalog`` runs the first three stages (load -> validate -> model) over a project and
either returns a Catalog or raises CatalogError carrying every problem found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .load import LoadedFile, find_case_files, load_case_file
from .model import Case
from .problems import Problem
from .project import Project
from .provenance import Archive, check_provenance, load_archive, with_provenance
from .validate import validate_files
from .vocabulary import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class Catalog:
    cases: tuple[Case, ...]
    vocabulary: Vocabulary
    archive: Archive = Archive({})


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} 个问题")
        self.problems = sorted(problems)


def check_paths(project: Project, paths: list[Path], vocabulary: Vocabulary,
                today: dt.date | None = None) -> tuple[list[LoadedFile], list[Problem]]:
    """Load and validate the given files or folders: (loaded files, all problems)."""
    files, problems = find_case_files(paths)
    loaded = [load_case_file(path, project.cases_dir) for path in files]
    problems += validate_files(loaded, vocabulary, today)
    archive, archive_problems = load_archive(project.sources_dir, project.root)
    problems += archive_problems + check_provenance(loaded, archive)
    return loaded, problems


def read_catalog(project: Project, today: dt.date | None = None) -> Catalog:
    """Every case of the project, or CatalogError with every problem in every file."""
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    loaded, problems = check_paths(project, [project.cases_dir], vocabulary, today)
    if problems:
        raise CatalogError(problems)
    archive, _ = load_archive(project.sources_dir, project.root)
    cases = sorted((with_provenance(Case.from_data(item.data, item.display_path), archive) for item in loaded),
                   key=lambda c: c.id)
    return Catalog(tuple(cases), vocabulary, archive)
