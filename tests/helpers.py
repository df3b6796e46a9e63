"""Helpers for tests: the repository's paths, the fixture library, copies of both, builds, and
validator runs.

Tests of the software run on the fixture library (tests/fixtures/library: its own cases, sources
and taxonomy, chosen to exercise every feature), never on the repository's cases/, whose size and
content change with every contributor's case. Tests of cases/ check what holds for any library
(tests/test_library.py).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import yaml
from mkdocs.structure.files import File

from casebook.catalog import check_paths
from casebook.project import Project
from casebook.reference import files_from_schema
from casebook.render import route_address, site_path
from casebook.routes import ROUTES
from casebook_mkdocs.pages import file_links

ROOT = Path(__file__).resolve().parents[1]
# The fixture library: cases/, sources/ and data/taxonomy.yaml, laid out as in the repository.
LIBRARY = ROOT / "tests" / "fixtures" / "library"
EXAMPLE_CASE = LIBRARY / "cases" / "jinjiang-grid-womens-groups.yaml"
# What a library holds; everything else in the repository is the software that builds it.
CONTENT = ("cases", "sources", "data/taxonomy.yaml")

TODAY = dt.date(2026, 11, 23)


# --- where a page is: a test names a page by its route (casebook.routes.route), and these give
# where the build puts it, through MkDocs' own File as the build does, never a path written out,
# so that moving a kind of page is a change to routes.py alone.

def page_address(source_path: str, offline: bool = False) -> str:
    """The address of the page made from ``source_path`` below the site's root, as its links and
    the browser reach it: ``route("case", "x")`` -> ``cases/x/`` (offline ``cases/x.html``)."""
    return site_path(file_links(not offline), source_path)


def built_page(source_path: str, offline: bool = False) -> str:
    """The file the build writes for the page made from ``source_path``, below the site folder:
    ``cases/x.md`` -> ``cases/x/index.html`` (offline ``cases/x.html``)."""
    return File(source_path, src_dir=None, dest_dir="", use_directory_urls=not offline).dest_uri


def keys_at(kind: str, url: str, offline: bool = False) -> dict[str, str] | None:
    """The keys of the page of ``kind`` that ``url`` (an address or a whole URL, as a browser reads
    a link) opens, None if it opens no such page: ``keys_at("case", "http://h/cases/x/")`` -> {"id": "x"}."""
    pattern = route_address(file_links(not offline))(ROUTES[kind])
    expression = "".join(re.escape(text) + (f"(?P<{name}>[^/]+)" if name else "")
                         for text, name, _, _ in string.Formatter().parse(pattern))
    found = re.search(f"(?:^|/){expression}$", urlsplit(url).path)
    return found.groupdict() if found else None


def built_folder(kind: str) -> str:
    """The folder the build writes every page (or file) of a kind in, for what a test says of
    all of them: ``case`` -> ``cases/``."""
    return built_page(ROUTES[kind]).partition("{")[0]


def read_page(site: Path, source_path: str, offline: bool = False) -> str:
    """The HTML of the page made from ``source_path`` in the built ``site``."""
    return (site / built_page(source_path, offline)).read_text(encoding="utf-8")


def write_case(root: Path, content: str | bytes, name: str = "jinjiang-grid-womens-groups.yaml") -> Path:
    path = root / "cases" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (root / "sources").exists():
        # The cases cite archived articles: their quotes are checked against these.
        shutil.copytree(LIBRARY / "sources", root / "sources")
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def problems_in(root: Path, vocabulary) -> list:
    """Every error the validator reports for the files under ``root/cases`` (warnings, such as
    an outcome written without its quote, are left to ``warnings_in``)."""
    _, problems = check_paths(Project(root), [root / "cases"], vocabulary, TODAY)
    return sorted(problem for problem in problems if not problem.is_warning)


def warnings_in(root: Path, vocabulary) -> list:
    """Every warning the validator reports for the files under ``root/cases``."""
    _, problems = check_paths(Project(root), [root / "cases"], vocabulary, TODAY)
    return sorted(problem for problem in problems if problem.is_warning)


def messages(problems) -> str:
    return "\n".join(str(p) for p in problems)


def dump_case(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def copy_project(destination: Path, with_cases: bool = True, library: Path = LIBRARY) -> Project:
    """The repository's software (without generated output) holding the cases, sources and
    taxonomy of ``library`` (the fixture library unless told otherwise, ROOT for the real one),
    to build or break freely."""
    generated = shutil.ignore_patterns("__pycache__", "*.egg-info")
    top_level = {".venv", "node_modules", "site", "site-offline", "build", ".git", ".pytest_cache", ".hypothesis", "tests",
                 "cases", "sources"}

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(generated(folder, names))
        return skipped | (top_level & set(names)) if Path(folder) == ROOT else skipped

    shutil.copytree(ROOT, destination, ignore=ignore)
    for part in CONTENT:
        if (library / part).is_dir():
            shutil.copytree(library / part, destination / part)
        else:
            shutil.copy2(library / part, destination / part)
    if not with_cases:
        shutil.rmtree(destination / "cases")
        (destination / "cases").mkdir()
    project = Project(destination)
    # The editor schema and the issue form list the library's tags: made from its own taxonomy,
    # as `casebook schema` would.
    for path, text in files_from_schema(project).items():
        path.write_text(text, encoding="utf-8")
    return project


# The published address the test builds are given (CASEBOOK_SITE_URL, as CI sets it).
SITE_URL = "https://casebook.test/"


def mkdocs_env(project: Project, **variables: str) -> dict[str, str]:
    """A clean environment for MkDocs run on ``project``, importing the casebook from the project's
    own scripts/: the package is installed (editable) from one checkout, and a test of another
    checkout, or of a copy changed by tests/mutations.py, must build with the code under test."""
    return {"NO_MKDOCS_2_WARNING": "1", "PATH": "", "PYTHONPATH": str(project.root / "scripts"), **variables}


def run_mkdocs_build(project: Project, site_dir: Path, offline: bool = False) -> subprocess.CompletedProcess:
    """`mkdocs build --strict`, optionally the offline build (`make offline`) that works from file://."""
    env = mkdocs_env(project, CASEBOOK_OFFLINE="true" if offline else "false", CASEBOOK_SITE_URL=SITE_URL)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
                          cwd=project.root, capture_output=True, text=True, env=env)


def mkdocs_config() -> dict:
    """The plain keys of mkdocs.yml (site_url, repo_url, copyright …) as a build reads them by default."""
    # mkdocs.yml uses !ENV and python tags; only plain keys are read here.
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_sequence(node)[-1]
                                 if isinstance(node, yaml.SequenceNode) else None)
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)


class ServedPreview:
    """`mkdocs serve --livereload --dirty` (what `make serve` runs) on a project, in a subprocess
    on a free port, as a contributor runs it; stopped on leaving the ``with`` block."""

    def __init__(self, project: Project, timeout: float = 180):
        self.project, self.timeout = project, timeout

    def __enter__(self) -> "ServedPreview":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/"
        self.log = self.project.root / "serve.log"
        env = mkdocs_env(self.project, CASEBOOK_OFFLINE="false")
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                cwd=self.project.root, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.wait_for(lambda: self.get("") is not None, "the server to start")
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def get(self, path: str) -> str | None:
        """The text served at ``path``, None when nothing is there (or the server is not up)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            return None

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + self.timeout
        while not condition():
            assert self.process.poll() is None, f"mkdocs serve exited:\n{self.log.read_text(encoding='utf-8')}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{self.log.read_text(encoding='utf-8')}"
            time.sleep(0.5)


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder ``make`` fills, made once per test run: `make test` runs the tests in several
    processes (pytest-xdist), which share it, so a site or an index is built once, not once per
    process. The folder must only be read afterwards."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    run_folder = tmp_path_factory.getbasetemp().parent  # the same for every process of this run
    folder, done = run_folder / name, run_folder / f"{name}.done"
    with open(run_folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait while one process makes it
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder
