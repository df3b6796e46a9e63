"""Replacing a folder all at once, so a crash or a failed build never leaves half of one."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """A fresh folder beside ``target`` to fill; if the block succeeds it takes ``target``'s
    place (two renames on one file system), and if it fails ``target`` is left as it was.

    The folder is named ``.<target>.new-<pid>-…``: the process that fills it removes it on any
    exit it lives through (an exception, Ctrl+C, SIGTERM turned into one), and the next one
    removes those whose process has died (SIGKILL, a power cut). Git ignores them meanwhile."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    staging = Path(tempfile.mkdtemp(prefix=f"{_staging_prefix(target)}{os.getpid()}-", dir=target.parent))
    try:
        yield staging
        retired = target.with_name(f".{target.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if target.exists():
            target.rename(retired)
        try:
            staging.rename(target)
        except BaseException:
            if retired.exists() and not target.exists():
                retired.rename(target)  # interrupted between the renames: the old folder goes back
            raise
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.new-"


def _remove_abandoned(target: Path) -> None:
    """The staging folders of ``target`` left by processes that no longer run."""
    prefix = _staging_prefix(target)
    for folder in target.parent.glob(f"{prefix}*"):
        owner = folder.name[len(prefix):].split("-")[0]
        if owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
