"""The whole input of a build: every case, validated, with the vocabularies they use and the
project's settings (``CasebookConfig``), which every later stage reads from the catalog.

``read_catalog`` runs the first three stages (load -> validate -> model) over a project and
either returns a Catalog or raises CatalogError carrying every problem found. A long-running
process (``mkdocs serve``) passes a ``ParseCache`` so that a file is parsed again only when it
changed on disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from .claims import check_claims
from .config import CasebookConfig, casebook_config
from .load import LoadedFile, find_case_files, load_case_file
from .model import Case
from .problems import Problem, errors_and_warnings
from .project import Project
from .provenance import ARCHIVE_SUFFIX, Archive, check_provenance, load_archive, with_provenance
from .validate import validate_files
from .vocabulary import Vocabulary, VocabularyError, load_vocabulary
from .workers import result, worker_pool

CATALOG_FORMAT = "casebook-catalog-2"  # change when what a fingerprint covers changes
CHECK_TIMEOUT_S = 600  # far above checking half of 10,000 files (ten seconds)


@dataclass(frozen=True)
class Catalog:
    cases: tuple[Case, ...]
    vocabulary: Vocabulary
    archive: Archive = Archive({})
    # What is to be fixed but does not stop a build (outcomes written without their quote).
    warnings: tuple[Problem, ...] = ()
    # SHA-256 of every case file's bytes (with its path relative to the project), of the
    # vocabularies and of the archived sources: equal fingerprints mean equal catalogs, wherever the project lives.
    fingerprint: str = ""
    # Page limits, search and comparables settings: the project's, or the defaults.
    config: CasebookConfig = field(default_factory=casebook_config, compare=False, repr=False)


@dataclass
class ParseCache:
    """Case files already parsed and modelled, by path and content hash: a long-running process
    reads every file (cheap) but parses again only those whose bytes changed."""

    entries: dict[Path, tuple[LoadedFile, Case | None]] = field(default_factory=dict)
    # The archive the cases were built with: a changed archive changes every quote's context.
    archive: Archive | None = None
    # Problems of each file checked alone, valid for one vocabulary and one day.
    problems: dict[Path, tuple[LoadedFile, list[Problem]]] = field(default_factory=dict)
    checked_with: tuple = ()
    signatures: dict[Path, tuple[int, int, int] | None] = field(default_factory=dict)  # see load

    def load(self, path: Path, cases_root: Path) -> LoadedFile:
        # A file whose size and modification time are those it had when read is not read again
        # (10,000 reads and hashes take half a second of every preview rebuild); one whose time
        # changed is read, and parsed only if its bytes changed. As git does, a file modified
        # within a second of being read is not trusted by its time (a second save in the same
        # clock tick keeps it); the signature is taken before reading, so a save during the read
        # is seen by the next build.
        signature = _signature(path)
        entry = self.entries.get(path)
        if entry and entry[0].digest and signature and self.signatures.get(path) == signature:
            return entry[0]
        recent = signature is None or signature[0] > time.time_ns() - 1_000_000_000
        self.signatures[path] = None if recent else signature
        if entry and entry[0].digest and entry[0].digest == _digest(path):
            return entry[0]
        loaded = load_case_file(path, cases_root)
        self.entries[path] = (loaded, None)
        return loaded

    def case(self, loaded: LoadedFile, archive: Archive) -> Case:
        if archive != self.archive:
            self.entries = {path: (item, None) for path, (item, _) in self.entries.items()}
            self.archive = archive
        cached, case = self.entries[loaded.path]
        if case is None:
            case = _model(loaded, archive)
            self.entries[loaded.path] = (cached, case)
        return case

    def validate(self, loaded: list[LoadedFile], vocabulary: Vocabulary, today: dt.date | None,
                 archive: Archive) -> list[Problem]:
        """What check_files reports, checking again only the files that
        changed. Files are checked alone; only ids shared between files need them all, and then
        all are checked."""
        ids = [item.data.get("id") for item in loaded if isinstance(item.data, dict)]
        ids = [case_id for case_id in ids if isinstance(case_id, str)]
        if len(ids) != len(set(ids)):
            return check_files(loaded, vocabulary, today, archive)
        conditions = (vocabulary, today or dt.date.today(), archive)
        if conditions != self.checked_with:
            self.problems, self.checked_with = {}, conditions
        problems = []
        for item in loaded:
            cached = self.problems.get(item.path)
            if cached is None or cached[0] is not item:
                found = check_files([item], vocabulary, today, archive)
                cached = self.problems[item.path] = (item, found)
            problems += cached[1]
        return problems

    def forget_missing(self, present: set[Path]) -> None:
        for path in set(self.entries) - present:
            del self.entries[path]
            self.problems.pop(path, None)
            self.signatures.pop(path, None)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def check_files(loaded: list[LoadedFile], vocabulary: Vocabulary, today: dt.date | None,
                archive: Archive) -> list[Problem]:
    """Every problem of the loaded files: the schema's and the validator's rules, the quotes
    against the archive, and the claims a person should check (warnings)."""
    return validate_files(loaded, vocabulary, today) + check_provenance(loaded, archive) + check_claims(loaded, archive)


class CatalogError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} 个问题")
        self.problems = sorted(problems)


def check_paths(project: Project, paths: list[Path], vocabulary: Vocabulary,
                today: dt.date | None = None, cache: ParseCache | None = None,
                archive: Archive | None = None) -> tuple[list[LoadedFile], list[Problem]]:
    """Load and validate the given files or folders, their quotes against the archived sources
    (read from the project unless given): (loaded files, all problems)."""
    files, problems = find_case_files(paths)
    if archive is None:
        archive, archive_problems = load_archive(project.sources_dir, project.root)
        problems += archive_problems
    if cache is None:
        loaded = [load_case_file(path, project.cases_dir) for path in files]
        problems += check_files(loaded, vocabulary, today, archive)
    else:
        cache.forget_missing(set(files))
        loaded = [cache.load(path, project.cases_dir) for path in files]
        problems += cache.validate(loaded, vocabulary, today, archive)
    return loaded, problems


def read_catalog(project: Project, today: dt.date | None = None, cache: ParseCache | None = None,
                 strict: bool = False) -> Catalog:
    """Every case of the project, or CatalogError with every problem in every file (``strict``:
    warnings too)."""
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    archive, problems = load_archive(project.sources_dir, project.root)
    if cache is None:
        files, file_problems = find_case_files([project.cases_dir])
        checked = _checked_in_two_processes(files, project, vocabulary, today, archive)
        if checked is not None:
            modelled, case_problems = checked
            errors, warnings = errors_and_warnings(problems + file_problems + case_problems, strict)
            if errors:
                raise CatalogError(errors)
            cases = sorted((case for case, _ in modelled), key=lambda c: c.id)
            return Catalog(tuple(cases), vocabulary, archive, tuple(sorted(warnings)),
                           _fingerprint(project, [item for _, item in modelled]), project.config)
    loaded, case_problems = check_paths(project, [project.cases_dir], vocabulary, today, cache, archive)
    errors, warnings = errors_and_warnings(problems + case_problems, strict)
    if errors:
        raise CatalogError(errors)
    cases = sorted((cache.case(item, archive) if cache else _model(item, archive) for item in loaded),
                   key=lambda c: c.id)
    return Catalog(tuple(cases), vocabulary, archive, tuple(sorted(warnings)),
                   _fingerprint(project, [(item.path, item.digest) for item in loaded]), project.config)


def read_valid_cases(project: Project, today: dt.date | None = None,
                     cache: ParseCache | None = None) -> tuple[Catalog, list[Problem]]:
    """What a preview started with broken files can show: the catalog of the case files that
    have no problem, and every problem found. When the taxonomy or province list cannot be read,
    no case can be checked and the catalog is empty."""
    try:
        vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    except VocabularyError as error:
        return Catalog((), Vocabulary((), (), ()), config=project.config), error.problems
    archive, problems = load_archive(project.sources_dir, project.root)
    loaded, case_problems = check_paths(project, [project.cases_dir], vocabulary, today, cache, archive)
    broken = {problem.path for problem in case_problems if not problem.is_warning}  # a warning hides nothing
    valid = [item for item in loaded if item.display_path not in broken]
    cases = sorted((cache.case(item, archive) if cache else _model(item, archive) for item in valid),
                   key=lambda c: c.id)
    fingerprint = _fingerprint(project, [(item.path, item.digest) for item in valid])
    return Catalog(tuple(cases), vocabulary, archive, fingerprint=fingerprint, config=project.config), \
        sorted(problems + case_problems)


def _checked_in_two_processes(files: list[Path], project: Project, vocabulary: Vocabulary, today: dt.date | None,
                              archive: Archive) -> tuple[list[tuple[Case | None, tuple[Path, str]]], list[Problem]] | None:
    """Every file loaded, checked and modelled: ([(case, (path, digest))], problems), half of them
    in a worker process (casebook.workers), which parsing and validating 10,000 files keep busy
    for ten seconds while the other core is idle. None when that is not worth it, or when two
    files claim the same id: only checking all files together says which file came first."""
    if len(files) < project.config.parallel.check_from:
        return None
    half = len(files) // 2
    with worker_pool() as pool:
        first_half = pool.submit(_checked, files[:half], project.cases_dir, vocabulary, today, archive)
        second_half = _checked(files[half:], project.cases_dir, vocabulary, today, archive)
        first_half = result(first_half, "检查案例", CHECK_TIMEOUT_S)
    modelled, problems, ids = (first + second for first, second in zip(first_half, second_half, strict=True))
    return (modelled, problems) if len(ids) == len(set(ids)) else None


def _checked(paths: list[Path], cases_dir: Path, vocabulary: Vocabulary, today: dt.date | None, archive: Archive):
    """([(case or None, (path, digest))], problems, ids) of the files: checked together, as
    checking a file alone costs several times as much."""
    loaded = [load_case_file(path, cases_dir) for path in paths]
    problems = check_files(loaded, vocabulary, today, archive)
    broken = {problem.path for problem in problems if not problem.is_warning}
    modelled = [(_model(item, archive) if item.display_path not in broken else None, (item.path, item.digest))
                for item in loaded]
    ids = [item.data["id"] for item in loaded if isinstance(item.data, dict) and isinstance(item.data.get("id"), str)]
    return modelled, problems, ids


def _model(loaded: LoadedFile, archive: Archive) -> Case:
    return with_provenance(Case.from_data(loaded.data, loaded.display_path), archive)


def _fingerprint(project: Project, files: list[tuple[Path, str]]) -> str:
    """Of (path, SHA-256 of its bytes) of every case file, and the vocabularies and archive."""
    digest = hashlib.sha256(CATALOG_FORMAT.encode())
    for path, file_digest in sorted((_relative(project, path), file_digest) for path, file_digest in files):
        digest.update(f"{path}\0{file_digest}\n".encode())
    archived = sorted(project.sources_dir.glob(f"*{ARCHIVE_SUFFIX}")) if project.sources_dir.is_dir() else []
    for path in (project.taxonomy_path, project.provinces_path, *archived):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _relative(project: Project, path: Path) -> str:
    try:
        return path.absolute().relative_to(project.root.absolute()).as_posix()
    except ValueError:
        return path.name
