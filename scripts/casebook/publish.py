"""Building the site so that nothing is lost: into a temporary folder, swapped in on success."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .project import Project
from .staging import staged_directory
from .workers import run_child


class SiteBuildError(Exception):
    """MkDocs failed; the message is what it printed."""


def build_site_atomically(project: Project, site_dir: Path) -> None:
    """Run `mkdocs build --strict` into a fresh folder and swap it in only if it succeeded. If the
    command is stopped, MkDocs and its workers are stopped with it and the folder removed."""
    with staged_directory(site_dir) as staging:
        result = run_child(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
             "-f", str(project.root / "mkdocs.yml"), "-d", str(staging)],
            cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        if result.returncode != 0:
            raise SiteBuildError(result.stderr.strip() or result.stdout.strip())
