"""`make bench`: where time and bytes go as the library grows.

For each size (default 100, 1,000 and 10,000 cases) a copy of the project gets that many
synthetic cases made from the real ones (evaluation/synthetic.py). Every figure is the median of
several runs. The same pages are also built as plain Markdown with plain MkDocs in the same run,
so the report can show the pipeline's own cost as a ratio. The report is written to
docs/benchmarks.md (with a plot, docs/assets/benchmarks.svg) and build/bench.json.

    python -m benchmarks.run [--sizes 100 1000 10000] [--runs 3] [--baseline COMMIT]
    make bench [BASELINE=COMMIT] [SIZES="100 1000"]

With a baseline commit, the same figures of that commit's build and preview edit are taken in
the same run, and the report gives the ratios (this machine's speed drifts between runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

from casebook.catalog import read_catalog
from casebook.comparables import comparables_for_all, read_key_terms
from casebook.index import CaseIndex, ensure_index
from casebook.pipeline import DOWNLOADS, FINDER, PAGES, SiteOutputs, site_outputs
from casebook.project import Project
from casebook.vocabulary import load_vocabulary
from casebook_mkdocs.pages import file_links
from casebook_mkdocs.plugin import STAGES_FILE
from evaluation.synthetic import write_synthetic_cases

from . import browser, report
from .baseline import baseline_figures

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["积分制", "網格員", "楼栋长", "怎样调动居民参与小区治理的积极性", "妇联执委进网格", "反诈", "合作社 产业"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def median_seconds(action, runs: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def copy_project(destination: Path) -> Project:
    ignore = shutil.ignore_patterns(".venv", "node_modules", "site", "site-offline", "build", ".git", "__pycache__", "*.egg-info",
                                    "tests", "benchmarks", ".pytest_cache", ".hypothesis")
    shutil.copytree(ROOT, destination, ignore=ignore)
    shutil.rmtree(destination / "cases")
    return Project(destination)


def run_measured(command: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; (seconds, peak resident memory in bytes of that process)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024


def measure_builds(project: Project, site: Path, runs: int) -> dict:
    """The whole `mkdocs build`, from no index and into an empty folder, as CI runs it; and when
    each stage ran in the median build (the plugin's build/build-stages.json)."""
    builds = []
    for _ in range(runs):
        shutil.rmtree(project.index_dir, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)  # MkDocs would first delete the previous site, file by file
        seconds, peak = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                                     project.root)
        stages = json.loads((project.build_dir / STAGES_FILE).read_text(encoding="utf-8"))
        builds.append((seconds, peak, stages))
    seconds, _, stages = sorted(builds, key=lambda build: build[0])[len(builds) // 2]
    return {"mkdocs_build_s": seconds, "peak_rss_bytes": max(peak for _, peak, _ in builds), "build_stages": stages}


# The theme overrides read what the plugin gives them (addresses from the route table, the search
# forms' names); the plain build gets the same from this hook, so it renders the same templates.
PLAIN_HOOK = """
from casebook_mkdocs.plugin import theme_globals


def on_env(env, config, files):
    env.globals.update(theme_globals(config))
    return env
"""


def measure_plain_build(pages: dict, workdir: Path, runs: int) -> float:
    """The same pages as plain Markdown files, built by MkDocs and Material without our plugin."""
    plain = workdir / "plain"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(ROOT / "docs", plain / "docs")
    shutil.copytree(ROOT / "overrides", plain / "overrides")
    for uri, page in pages.items():
        (plain / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (plain / "docs" / uri).write_text(page.as_markdown(), encoding="utf-8")
    (plain / "docs" / "contributing.md").write_text((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^  - casebook\b.*\n", "", config, flags=re.M)  # the pages are written out instead
    config = re.sub(r"^watch:\n(  - .*\n)+", "", config, flags=re.M)  # the plain copy has no case files
    config = config.replace("jieba_dict_user: data/dictionary.txt", f"jieba_dict_user: {ROOT / 'data' / 'dictionary.txt'}")
    config += "\nnot_in_nav: |\n  /cases/\n  /tags/\n  /regions/\n  /packs/\n"
    config += ("validation:\n  links:\n    unrecognized_links: ignore\n    absolute_links: ignore\n"
               "  nav:\n    omitted_files: ignore\n")
    config += "hooks:\n  - plain_hooks.py\n"
    (plain / "plain_hooks.py").write_text(PLAIN_HOOK, encoding="utf-8")
    (plain / "mkdocs.yml").write_text(config, encoding="utf-8")
    timings = []
    for _ in range(runs):
        seconds, _ = run_measured([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(workdir / "plain-site")],
                                  plain)
        timings.append(seconds)
    return statistics.median(timings)


def measure_search(project: Project, catalog, runs: int) -> dict:
    build_times = []
    for _ in range(runs):
        shutil.rmtree(project.index_dir, ignore_errors=True)
        started = time.perf_counter()
        ensure_index(catalog, project.index_dir, project.dictionary_path)
        build_times.append(time.perf_counter() - started)
    comparables_s, comparables = median_seconds(lambda: comparables_for_all(catalog, read_key_terms(project.index_dir)), runs)
    case_index = CaseIndex(project.index_dir)
    case_index.search("预热")  # jieba and OpenCC loaded once, as in a long-running process
    latencies = []
    for _ in range(20):
        for query in QUERIES:
            started = time.perf_counter()
            case_index.search(query, limit=10)
            latencies.append(time.perf_counter() - started)
    case_index.close()
    cold = [run_measured([sys.executable, "-m", "casebook.cli", "search", "积分制"], project.root)[0]
            for _ in range(runs)]
    return {"index_build_s": statistics.median(build_times), "comparables_s": comparables_s,
            "query_p50_ms": 1000 * percentile(latencies, 0.5), "query_p95_ms": 1000 * percentile(latencies, 0.95),
            "search_cold_start_s": statistics.median(cold)}, comparables


# The report's columns of the pipeline's stages (casebook.pipeline), as a build's clock names them.
PIPELINE_STAGES = {"render_s": PAGES, "finder_s": FINDER, "export_s": DOWNLOADS}


def measure_pipeline(catalog, comparables, runs: int) -> tuple[dict, SiteOutputs]:
    """The stages of the build without MkDocs (casebook.pipeline, what the plugin runs), each the
    median of ``runs`` whole runs; and what the last run made."""
    timings: dict[str, list[float]] = defaultdict(list)

    @contextmanager
    def stage(name: str):
        started = time.perf_counter()
        yield
        timings[name].append(time.perf_counter() - started)

    for _ in range(runs):
        outputs = site_outputs(catalog, file_links(True), lambda: comparables, stage=stage)
    return {column: statistics.median(timings[name]) for column, name in PIPELINE_STAGES.items()}, outputs


def site_sizes(site: Path, cases: int) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html"]
    largest = max(html, key=lambda p: p.stat().st_size)
    total = sum(p.stat().st_size for p in files)
    return {
        "site_bytes": total,
        "bytes_per_case": total / cases,
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_page_bytes": largest.stat().st_size,
        "pages_over_100kb": sum(1 for p in html if p.stat().st_size > 100_000),
        "finder_index_bytes": sum(p.stat().st_size for p in (site / "finder-index").rglob("*") if p.is_file()),
    }


def measure(size: int, runs: int, workdir: Path, baseline: str | None = None) -> dict:
    project = copy_project(workdir / f"lib-{size}")
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    write_synthetic_cases(sorted((ROOT / "cases").glob("*.yaml")), vocabulary, size, project.cases_dir)
    row: dict = {"cases": size}
    row["load_validate_s"], catalog = median_seconds(lambda: read_catalog(project), runs)
    search_figures, comparables = measure_search(project, catalog, runs)
    row.update(search_figures)
    stages, outputs = measure_pipeline(catalog, comparables, runs)
    row.update(stages)
    site = workdir / f"site-{size}"
    row.update(measure_builds(project, site, runs))
    row["serve_edit_s"] = statistics.median(browser.serve_edit_latency(project) for _ in range(runs))
    if baseline:
        row.update(baseline_figures(baseline, size, runs, workdir))
        row["build_vs_baseline"] = row["mkdocs_build_s"] / row["baseline_build_s"]
        row["serve_edit_vs_baseline"] = row["serve_edit_s"] / row["baseline_serve_edit_s"]
    row["plain_mkdocs_build_s"] = measure_plain_build(outputs.pages, workdir, runs)
    row.update(site_sizes(site, size))
    first_queries = ["积分制", "网格员", "怎样调动居民参与小区治理的积极性"]
    row.update(browser.finder_first_query(site, first_queries))
    row.update(browser.header_first_query(site, sorted(catalog.cases, key=lambda c: c.id)[0].id, first_queries))
    shutil.rmtree(project.root)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs for sizes over 1,000 (a 10,000-case build takes minutes)")
    parser.add_argument("--baseline", metavar="COMMIT",
                        help="also build an earlier commit's site of the same size, for before/after figures")
    args = parser.parse_args()
    machine = {"machine": platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
               "date": dt.date.today().isoformat(), "runs": args.runs, "large_runs": args.large_runs,
               "baseline": args.baseline}
    print(json.dumps(machine))
    rows = []
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as workdir:
        for size in args.sizes:
            rows.append(measure(size, args.runs if size <= 1000 else args.large_runs, Path(workdir), args.baseline))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "bench.json").write_text(json.dumps({"machine": machine, "rows": rows}, ensure_ascii=False,
                                                          indent=2), encoding="utf-8")
    report.write(ROOT / "docs", machine, rows)
    print("written docs/benchmarks.md, docs/assets/benchmarks.svg and build/bench.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
