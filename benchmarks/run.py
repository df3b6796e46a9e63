"""`make bench`: how time and bytes grow with the number of cases.

For each size, a copy of the project gets that many synthetic cases; each stage is timed
several times and the median reported. Run: `python -m benchmarks.run [--sizes 100 1000] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casebook.catalog import read_catalog
from casebook.index import CaseIndex, ensure_index
from casebook.project import Project
from casebook.render import render_site
from casebook.vocabulary import load_vocabulary

from .synthetic import write_synthetic_cases

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(action, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def copy_project(destination: Path) -> Project:
    ignore = shutil.ignore_patterns(".venv", "site", "build", ".git", "__pycache__", "*.egg-info", "tests",
                                    "benchmarks", ".pytest_cache", ".hypothesis")
    shutil.copytree(ROOT, destination, ignore=ignore)
    shutil.rmtree(destination / "cases")
    return Project(destination)


def mkdocs_build(project: Project, site: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=project.root, check=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


QUERIES = ["积分制", "網格員", "楼栋长", "怎样调动居民参与小区治理的积极性", "妇联执委进网格", "反诈", "合作社 产业"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_search(project: Project, catalog, runs: int) -> dict:
    index_dir = project.index_dir
    build_times = []
    for _ in range(runs):
        shutil.rmtree(index_dir, ignore_errors=True)
        started = time.perf_counter()
        ensure_index(catalog, index_dir, project.dictionary_path)
        build_times.append(time.perf_counter() - started)
    case_index = CaseIndex(index_dir, project.dictionary_path)
    case_index.search("预热")  # loads jieba and OpenCC once, as a long-running process would have
    latencies = []
    for _ in range(20):
        for query in QUERIES:
            started = time.perf_counter()
            case_index.search(query, limit=10)
            latencies.append(time.perf_counter() - started)
    case_index.close()
    cold = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "casebook.cli", "search", "积分制"], cwd=project.root,
                       check=True, capture_output=True)
        cold.append(time.perf_counter() - started)
    return {"index_build_s": round(statistics.median(build_times), 2),
            "query_p50_ms": round(1000 * percentile(latencies, 0.5), 1),
            "query_p95_ms": round(1000 * percentile(latencies, 0.95), 1),
            "search_cold_start_s": round(statistics.median(cold), 2)}


def measure(size: int, runs: int, workdir: Path) -> dict:
    project = copy_project(workdir / f"lib-{size}")
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    write_synthetic_cases(sorted((ROOT / "cases").glob("*.yaml")), vocabulary, size, project.cases_dir)
    load_s, catalog = median_seconds(lambda: read_catalog(project), runs)
    render_s, pages = median_seconds(lambda: render_site(catalog), runs)
    search_figures = measure_search(project, catalog, runs)
    site = workdir / f"site-{size}"
    build_s, _ = median_seconds(lambda: mkdocs_build(project, site), runs)
    html = list(site.rglob("*.html"))
    largest = max(html, key=lambda p: p.stat().st_size)
    site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "cases": size,
        "load_validate_s": round(load_s, 3),
        "render_s": round(render_s, 3),
        "mkdocs_build_s": round(build_s, 2),
        "pages": len(pages),
        "site_bytes": site_bytes,
        "bytes_per_case": round(site_bytes / size),
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_page_bytes": largest.stat().st_size,
        "search_index_bytes": (site / "search" / "search_index.json").stat().st_size,
        "html_pages_over_100kb": sum(1 for p in html if p.stat().st_size > 100_000),
        **search_figures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as workdir:
        for size in args.sizes:
            row = measure(size, args.runs, Path(workdir))
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False))
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
