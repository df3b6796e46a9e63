"""The whole build and a preview edit of an earlier commit, timed in the same run as the current
ones (`make bench BASELINE=<commit>`).

This machine's speed drifts by up to ~20% between runs, so "before" and "after" figures taken on
different days cannot be compared. The earlier commit is unpacked with `git archive` into the
work folder and builds its own synthetic cases (made from its own real cases by its own
generator, wherever that commit keeps it, so its own validator accepts them) with the same size and seed, using this virtual
environment's packages and the earlier commit's code (first on PYTHONPATH).
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

from casebook.project import Project

from .browser import serve_edit_latency

ROOT = Path(__file__).resolve().parents[1]

_WRITE_CASES = """
import sys
from pathlib import Path
from casebook.vocabulary import load_vocabulary
try:
    from evaluation.synthetic import write_synthetic_cases
except ImportError:  # earlier commits kept the generator in the package, earlier still in benchmarks/
    try:
        from casebook.synthetic import write_synthetic_cases
    except ImportError:
        from benchmarks.synthetic import write_synthetic_cases
root, size = Path(sys.argv[1]), int(sys.argv[2])
vocabulary = load_vocabulary(root / "data" / "taxonomy.yaml", root / "data" / "provinces.yaml")
real = sorted((root / "cases").glob("*.yaml"))
write_synthetic_cases(real, vocabulary, size, root / "synthetic-cases")
"""


def unpack(ref: str, destination: Path) -> Path:
    """The tree of ``ref`` (a commit of this repository) in ``destination``."""
    # Only what a build reads, as far as the commit has it (the tests hold a deliberately broken
    # absolute symlink).
    wanted = ["benchmarks", "evaluation", "cases", "data", "docs", "overrides", "scripts", "sources", "mkdocs.yml",
              "CONTRIBUTING.md"]
    present = [path for path in wanted
               if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{ref}:{path}"],
                                 stderr=subprocess.DEVNULL).returncode == 0]
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref, *present],
                             check=True, capture_output=True).stdout
    destination.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def baseline_figures(ref: str, size: int, runs: int, workdir: Path) -> dict[str, float]:
    """At commit ``ref`` with ``size`` cases, the median seconds of `mkdocs build --strict` (from
    no index and into an empty folder) and of `make serve` showing an edited case."""
    root = unpack(ref, workdir / f"baseline-{size}")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": f"{root / 'scripts'}{os.pathsep}{root}"}
    subprocess.run([sys.executable, "-c", _WRITE_CASES, str(root), str(size)], cwd=root, env=env, check=True)
    shutil.rmtree(root / "cases")
    (root / "synthetic-cases").rename(root / "cases")
    timings = []
    for _ in range(runs):
        shutil.rmtree(root / "build", ignore_errors=True)
        shutil.rmtree(workdir / "baseline-site", ignore_errors=True)  # into an empty folder, as the current build
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(workdir / "baseline-site")],
                       cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        timings.append(time.perf_counter() - started)
    edits = [serve_edit_latency(Project(root), env=env) for _ in range(runs)]
    shutil.rmtree(root)
    return {"baseline_build_s": statistics.median(timings), "baseline_serve_edit_s": statistics.median(edits)}
