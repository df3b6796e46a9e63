"""The benchmark report: docs/benchmarks.md and its plot, docs/assets/benchmarks.svg.

The plot is drawn here as plain SVG, so the report needs no plotting library.
"""

from __future__ import annotations

from pathlib import Path

TARGETS = [
    ("mkdocs_build_s", "10,000 个案例完整构建 < 120 秒", lambda rows: _at(rows, 10000, "mkdocs_build_s") < 120),
    ("pipeline_share", "本项目自身环节（MkDocs 套用主题之前的一切）< 构建时间的 25%",
     lambda rows: _at(rows, 10000, "pipeline_share") < 0.25),
    ("peak_rss_bytes", "峰值内存 < 2 GB", lambda rows: _at(rows, 10000, "peak_rss_bytes") < 2 * 1024 ** 3),
    # Size must not grow faster than the library; it may grow slower (a tag's training pack has at
    # most 20 cases, however many the tag has).
    ("linear", "每个案例的字节数：10,000 个案例时不超过 1,000 个案例时的 1.1 倍（网站体积不超线性增长）",
     lambda rows: _at(rows, 10000, "bytes_per_case") / _at(rows, 1000, "bytes_per_case") < 1.10),
    ("serve_edit_s", "1,000 个案例时 make serve 修改一个案例 < 2 秒可见", lambda rows: _at(rows, 1000, "serve_edit_s") < 2),
    ("serve_edit_10000_s", "10,000 个案例时 make serve 修改一个案例 < 5 秒可见",
     lambda rows: _at(rows, 10000, "serve_edit_s") < 5),
    ("index_build_s", "10,000 个案例建立 Whoosh 索引 < 60 秒", lambda rows: _at(rows, 10000, "index_build_s") < 60),
    ("query_p95_ms", "检索 p95（预热后）< 50 毫秒", lambda rows: _at(rows, 10000, "query_p95_ms") < 50),
    ("search_cold_start_s", "casebook search 冷启动 < 1.5 秒", lambda rows: _at(rows, 10000, "search_cold_start_s") < 1.5),
    ("finder_first_query_bytes", "案例检索首次查询传输 < 1 MB（10,000 个案例）",
     lambda rows: _at(rows, 10000, "finder_first_query_max_bytes") < 1_000_000),
    ("finder_first_results_ms", "案例检索首次出结果 < 300 毫秒（10,000 个案例）",
     lambda rows: _at(rows, 10000, "finder_first_results_ms") < 300),
    ("header_first_query_bytes", "页眉搜索框首次查询传输 < 1 MB（10,000 个案例）",
     lambda rows: _at(rows, 10000, "header_first_query_max_bytes") < 1_000_000),
    ("header_first_results_ms", "页眉搜索框首次出结果 < 300 毫秒（10,000 个案例）",
     lambda rows: _at(rows, 10000, "header_first_results_ms") < 300),
]

COLUMNS = [
    ("cases", "案例数", "{:,}"),
    ("load_validate_s", "载入+检查 (s)", "{:.2f}"),
    ("index_build_s", "Whoosh 索引 (s)", "{:.1f}"),
    ("comparables_s", "可比案例 (s)", "{:.2f}"),
    ("render_s", "生成页面 (s)", "{:.2f}"),
    ("finder_s", "案例检索分片 (s)", "{:.2f}"),
    ("export_s", "下载文件 (s)", "{:.2f}"),
    ("mkdocs_build_s", "完整构建 (s)", "{:.1f}"),
    ("baseline_build_s", "对照版本完整构建 (s)", "{:.1f}"),
    ("build_vs_baseline", "构建/对照版本", "{:.2f}"),
    ("plain_mkdocs_build_s", "同样页面纯 MkDocs (s)", "{:.1f}"),
    ("overhead_ratio", "构建/纯 MkDocs", "{:.2f}"),
    ("pipeline_share", "自身环节占比", "{:.0%}"),
    ("peak_rss_bytes", "峰值内存 (MB)", lambda v: f"{v / 2**20:,.0f}"),
    ("site_bytes", "网站大小 (MB)", lambda v: f"{v / 2**20:,.1f}"),
    ("bytes_per_case", "每案例 (KB)", lambda v: f"{v / 1024:,.1f}"),
    ("largest_page_bytes", "最大页面 (KB)", lambda v: f"{v / 1024:,.1f}"),
    ("pages_over_100kb", ">100 KB 页面数", "{}"),
    ("finder_index_bytes", "案例检索索引 (MB)", lambda v: f"{v / 2**20:,.1f}"),
    ("finder_first_query_max_bytes", "检索首查传输 (KB)", lambda v: f"{v / 1024:,.0f}"),
    ("finder_first_results_ms", "检索首次出结果 (ms)", "{:.0f}"),
    ("header_first_query_max_bytes", "页眉首查传输 (KB)", lambda v: f"{v / 1024:,.0f}"),
    ("header_first_results_ms", "页眉首次出结果 (ms)", "{:.0f}"),
    ("query_p50_ms", "search p50 (ms)", "{:.1f}"),
    ("query_p95_ms", "search p95 (ms)", "{:.1f}"),
    ("search_cold_start_s", "search 冷启动 (s)", "{:.2f}"),
    ("serve_edit_s", "serve 修改可见 (s)", "{:.1f}"),
    ("baseline_serve_edit_s", "对照版本 serve 修改可见 (s)", "{:.1f}"),
    ("serve_edit_vs_baseline", "serve 修改/对照版本", "{:.2f}"),
]


MKDOCS_STAGE = "MkDocs 与 Material 套用主题、写文件"  # the plugin's name for what is not ours (StageClock)


def _at(rows: list[dict], cases: int, key: str):
    for row in rows:
        if row["cases"] == cases and key in row:
            return row[key]
    return float("nan")


def _derive(rows: list[dict]) -> None:
    for row in rows:
        row["overhead_ratio"] = row["mkdocs_build_s"] / row["plain_mkdocs_build_s"]
        # From the build's own clock: the stages overlap (the index is built in a worker process),
        # so their separately measured times do not add up to a share of the build.
        timeline = row["build_stages"]
        theirs = sum(stage["end_s"] - stage["start_s"] for stage in timeline["stages"] if stage["stage"] == MKDOCS_STAGE)
        row["pipeline_share"] = 1 - theirs / timeline["total_s"]


def _cell(row: dict, key: str, style) -> str:
    if key not in row:
        return "—"
    return style(row[key]) if callable(style) else style.format(row[key])


def write(docs: Path, machine: dict, rows: list[dict]) -> None:
    _derive(rows)
    lines = [
        "# 性能基准",
        "",
        f"由 `make bench` 生成，请勿手改。机器：{machine['machine']}，{machine['cores']} 核，Python {machine['python']}；"
        f"日期：{machine['date']}；1,000 个案例以内每项取 {machine['runs']} 次运行的中位数，"
        f"更大的规模运行 {machine.get('large_runs', machine['runs'])} 次。"
        "案例由真实案例变换生成（地区、标签、篇幅各不相同，全部通过检查）。",
        "",
        "![构建时间和网站大小随案例数的变化](assets/benchmarks.svg)",
        "",
        "## 结果",
        "",
        "| 指标 | " + " | ".join(f"{row['cases']:,} 个案例" for row in rows) + " |",
        "| --- | " + " | ".join("---:" for _ in rows) + " |",
    ]
    for key, label, style in COLUMNS[1:]:
        lines.append(f"| {label} | " + " | ".join(_cell(row, key, style) for row in rows) + " |")
    lines += ["", "## 目标", "", "| 目标 | 结果 |", "| --- | --- |"]
    for _, label, check in TARGETS:
        try:
            met = check(rows)
        except (KeyError, ZeroDivisionError):
            met = None
        lines.append(f"| {label} | {'达到' if met else ('未测' if met is None else '未达到')} |")
    lines += _where_time_goes(rows)
    lines += ["", "## 说明", "",
              "- **完整构建**：从零开始的 `mkdocs build --strict`（没有索引，输出到空目录），包括检查案例、建立 Whoosh 索引、"
              "计算可比案例、生成页面、案例检索索引、下载文件和 Material 渲染；从启动进程到进程退出。",
              "- **载入+检查、Whoosh 索引、可比案例、生成页面、案例检索分片、下载文件**：各环节在构建之外单独计时"
              "（一个进程依次运行）；构建中它们部分重叠，见“时间花在哪里”。",
              "- **同样页面纯 MkDocs**：把本项目生成的同一批 Markdown 页面写成普通文件，用同样的主题但不用本项目的插件构建；"
              "两者之比就是本项目流水线的额外开销。",
              "- **自身环节占比**：构建自己的计时中，MkDocs 套用主题、写文件之前的时间（本项目的环节，含等待索引）"
              "占总时间的比例。",
              "- **案例检索**：在 Chromium 中打开检索页后第一次查询需要下载的索引字节数（取三个查询中最大的）"
              "和从输入到显示第一条结果的时间。",
              ""]
    (docs / "benchmarks.md").write_text("\n".join(lines), encoding="utf-8")
    (docs / "assets" / "benchmarks.svg").write_text(_plot(rows), encoding="utf-8")


def _where_time_goes(rows: list[dict]) -> list[str]:
    """For the largest library: when each stage of a real build ran, and its share."""
    row = rows[-1]
    timeline = row["build_stages"]
    total = timeline["total_s"]
    lines = ["", f"## 时间花在哪里（{row['cases']:,} 个案例，一次完整构建）", "",
             "| 环节 | 开始 (s) | 结束 (s) | 用时 (s) | 占构建 |", "| --- | ---: | ---: | ---: | ---: |"]
    for stage in timeline["stages"]:
        seconds = stage["end_s"] - stage["start_s"]
        lines.append(f"| {stage['stage']} | {stage['start_s']:,.1f} | {stage['end_s']:,.1f} | {seconds:,.1f} | "
                     f"{seconds / total:.0%} |")
    lines += ["",
              f"时间从插件收到配置算起，共 {total:,.1f} 秒（进程启动和退出不在其中，见上表“完整构建”）。"
              "Whoosh 索引在单独的工作进程中建立：分词和关键词算完后，关键词立即交回主进程计算可比案例、生成页面，"
              "索引的写入与页面生成同时进行，构建结束前等它写完；所以各行相加会超过总时间。"
              "案例文件在 400 个以上时由两个进程各读一半、检查并建模。",
              "",
              f"同样的页面写成普通 Markdown 文件、不经本项目直接交给 MkDocs 和 Material 构建需要 "
              f"{row['plain_mkdocs_build_s']:,.1f} 秒（完整构建的 {row['plain_mkdocs_build_s'] / row['mkdocs_build_s']:.0%}）。"
              "本项目生成的页面本身就是 HTML，跳过了 Python-Markdown 的解析；MkDocs 逐页套用 Material 的模板在一个进程、"
              "一个核上进行，这部分不归本项目的代码控制。",
              "",
              "`make serve`（`mkdocs serve --dirty`）下，插件只重新解析、检查和生成改动过的案例所影响的内容："
              "修改时间和大小没变的案例文件不再读取；案例检索分片只更新改动涉及的词；没有变化的页面和文件沿用上一次的对象，"
              "MkDocs 只重写内容哈希变了的页面，删除不再生成的页面。Whoosh 索引在后台以较低优先级重建，"
              "修改先以旧索引的可比案例显示，新索引建好后自动再构建一次。"
              "“serve 修改可见”是从保存案例文件到服务器返回的页面出现修改的时间。"]
    return lines


def _plot(rows: list[dict]) -> str:
    """Two log-log panels: build time and site size against the number of cases."""
    import math

    width, height, pad = 720, 300, 50
    panels = [("mkdocs_build_s", "完整构建（秒）", "#3f51b5"), ("site_bytes", "网站大小（MB）", "#e65100")]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    panel_width = (width - pad) / 2
    xs = [math.log10(row["cases"]) for row in rows]
    for number, (key, title, color) in enumerate(panels):
        left = pad + number * panel_width
        values = [row[key] / (2**20 if key == "site_bytes" else 1) for row in rows]
        ys = [math.log10(max(v, 1e-3)) for v in values]
        x0, x1 = min(xs), max(xs) or 1
        y0, y1 = min(ys), max(ys)
        if y1 == y0:
            y1 = y0 + 1
        if x1 == x0:
            x1 = x0 + 1

        points = [(left + 20 + (x - x0) / (x1 - x0) * (panel_width - 60),
                   height - pad - (y - y0) / (y1 - y0) * (height - 2 * pad))
                  for x, y in zip(xs, ys, strict=True)]
        parts.append(f'<text x="{left + 20}" y="20" font-weight="bold">{title}（对数坐标）</text>')
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        for (x, y), row, value in zip(points, rows, values, strict=True):
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>')
            parts.append(f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{value:,.1f}</text>')
            parts.append(f'<text x="{x:.1f}" y="{height - pad + 18}" text-anchor="middle">{row["cases"]:,} 个案例</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    # Rewrite the report from the figures of the last run: python -m benchmarks.report
    import json
    import sys

    root = Path(__file__).resolve().parents[1]
    figures = json.loads((root / "build" / "bench.json").read_text(encoding="utf-8"))
    write(root / "docs", figures["machine"], figures["rows"])
    sys.exit(0)
