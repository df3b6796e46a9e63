"""Building the site so that nothing is lost: into a temporary folder, swapped in on success."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .project import Project


class SiteBuildError(Exception):
    """MkDocs failed; the message is what it printed."""


def build_site_atomically(project: Project, site_dir: Path) -> None:
    """Run `mkdocs build --strict` into a sibling temp folder and swap it in only if it succeeded.

    The temporary folder sits next to ``site_dir`` so the final renames stay on one file system.
    """
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
             "-f", str(project.root / "mkdocs.yml"), "-d", str(staging)],
            cwd=project.root, capture_output=True, text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        if result.returncode != 0:
            raise SiteBuildError(result.stderr.strip() or result.stdout.strip())
        retired = site_dir.with_name(f".{site_dir.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if site_dir.exists():
            site_dir.rename(retired)
        staging.rename(site_dir)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
