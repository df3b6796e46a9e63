"""Measurements in a real browser (Debian's Chromium) and against `mkdocs serve`."""

from __future__ import annotations

import functools
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

from casebook.project import Project

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def finder_first_query(site: Path, queries: list[str]) -> dict:
    """A first query on a freshly opened finder page: bytes of index loaded, and the time from
    the page being ready to the first result shown. Medians over the queries."""
    transferred, latencies = _first_queries(site, "finder/", ".cb-finder__input", "[data-finder-results]",
                                            ".cb-finder__result", queries)
    return {"finder_first_query_bytes": statistics.median(transferred),
            "finder_first_query_max_bytes": max(transferred),
            "finder_first_results_ms": 1000 * statistics.median(latencies)}


def header_first_query(site: Path, case_id: str, queries: list[str]) -> dict:
    """The same for the search box in the header of a case page, as a person arriving from a
    shared link would use it: bytes of index loaded for the drop-down, and time to its results."""
    box = "form.cb-search--header"
    transferred, latencies = _first_queries(site, f"cases/{case_id}/", f"{box} input[name=q]",
                                            f"{box} [role=listbox]", "[role=option]", queries)
    return {"header_first_query_bytes": statistics.median(transferred),
            "header_first_query_max_bytes": max(transferred),
            "header_first_results_ms": 1000 * statistics.median(latencies)}


def _first_queries(site: Path, path: str, input_selector: str, list_selector: str, result_selector: str,
                   queries: list[str]) -> tuple[list[int], list[float]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/{path}"
    transferred, latencies = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            for query in queries:
                context = browser.new_context()  # a cold cache for every query
                page = context.new_page()
                page.goto(url)
                # A person taps the box, then types: the box may fetch what every query needs
                # (as the finder page does on opening) before the text arrives.
                page.focus(input_selector)
                page.wait_for_load_state("networkidle")
                # Timed inside the page: from the text arriving to the first result in the list,
                # including the box's short typing pause.
                latencies.append(page.evaluate(_TIME_FIRST_RESULT, [query, input_selector, list_selector,
                                                                    result_selector]) / 1000)
                page.wait_for_load_state("networkidle")
                transferred.append(page.evaluate(_INDEX_BYTES))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return transferred, latencies


_TIME_FIRST_RESULT = """async ([query, inputSelector, listSelector, resultSelector]) => {
  const list = document.querySelector(listSelector);
  const input = document.querySelector(inputSelector);
  const shown = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (list.querySelector(resultSelector)) { observer.disconnect(); resolve(performance.now()); }
    }).observe(list, { childList: true, subtree: true });
  });
  const started = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  return (await shown) - started;
}"""


# Bytes of the search index the page fetched (bodies and headers), from the browser's own account.
_INDEX_BYTES = """() => performance.getEntriesByType("resource")
  .filter((entry) => entry.name.includes("/finder-index/"))
  .reduce((sum, entry) => sum + entry.transferSize, 0)"""


# What `make serve` runs.
SERVE = ["-m", "mkdocs", "serve", "--livereload", "--dirty"]


def serve_edit_latency(project: Project, timeout: float = 600.0, env: dict | None = None) -> float:
    """Seconds from saving an edited case to `make serve`'s server serving the change, found by
    polling the case's page until the change shows. ``env``: the server's environment (an
    earlier commit's code first on PYTHONPATH, see benchmarks.baseline)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    server = subprocess.Popen([sys.executable, *SERVE, "-a", f"127.0.0.1:{port}"],
                              cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    case = sorted(project.cases_dir.glob("*.yaml"))[0]
    page = f"http://127.0.0.1:{port}/cases/{case.stem}/"
    try:
        _wait_for(page, lambda body: True, timeout)
        time.sleep(2)  # let the watcher settle after the first build
        text = case.read_text(encoding="utf-8")
        marker = f"已修改{time.time_ns()}"  # new on every run, so an earlier edit cannot match
        case.write_text(re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)[:60]}{marker}", text, count=1,
                               flags=re.M), encoding="utf-8")
        started = time.perf_counter()
        _wait_for(page, lambda body: marker in body, timeout)
        elapsed = time.perf_counter() - started
        case.write_text(text, encoding="utf-8")
        return elapsed
    finally:
        server.terminate()
        server.wait()


def _wait_for(url: str, condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if condition(response.read().decode("utf-8")):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)
