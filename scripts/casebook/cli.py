"""The `casebook` command: validate, build, schema (and more as the product grows).

Exit status: 0 success, 1 problems in the cases, 2 wrong usage or missing prerequisites.
A contributor never sees a traceback for bad input: every expected failure is a message.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalog import check_paths
from .publish import SiteBuildError, build_site_atomically
from .reference import editor_schema, field_reference, with_reference
from .problems import format_problems
from .project import Project
from .vocabulary import VocabularyError, load_vocabulary


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except VocabularyError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casebook", description="基层治理案例库的命令行工具。")
    commands = parser.add_subparsers(title="命令")

    validate = commands.add_parser(
        "validate", help="检查案例文件",
        description="检查案例文件是否符合格式，一次列出所有问题。\n\n例：casebook validate\n    casebook validate cases/my-case.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("paths", nargs="*", type=Path, help="文件或目录（默认 cases/）")
    validate.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    validate.set_defaults(run=run_validate)

    build = commands.add_parser(
        "build", help="生成网站到 site/",
        description="检查案例并生成网站。先生成到临时目录，全部成功后才替换 site/，失败时原来的 site/ 保持不变。")
    build.add_argument("--site-dir", type=Path, default=None, help="输出目录（默认 site/）")
    build.set_defaults(run=run_build)

    schema = commands.add_parser(
        "schema", help="根据 case_schema.yaml 重写编辑器 schema 和 CONTRIBUTING.md 的字段说明",
        description="重写 schema/case.schema.json 和 CONTRIBUTING.md 中的字段说明。修改标签表或 schema 后运行。")
    schema.add_argument("--check", action="store_true", help="只检查是否需要重写；需要时退出码为 1")
    schema.set_defaults(run=run_schema)
    return parser


def run_validate(args) -> int:
    project = Project.find()
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    loaded, problems = check_paths(project, args.paths or [project.cases_dir], vocabulary)
    if args.format == "json":
        print(format_problems(problems, "json"))
    elif problems:
        print(format_problems(problems), file=sys.stderr)
        print(f"\n{len(problems)} 个问题，涉及 {len({p.path for p in problems})} 个文件。", file=sys.stderr)
    else:
        print(f"全部 {len(loaded)} 个案例文件检查通过。")
    return 1 if problems else 0


def run_build(args) -> int:
    project = Project.find()
    site_dir = (args.site_dir or project.root / "site").absolute()
    try:
        build_site_atomically(project, site_dir)
    except SiteBuildError as error:
        print(f"网站生成失败，{site_dir} 保持原样。\n{error}", file=sys.stderr)
        return 1
    print(f"网站已生成到 {site_dir}")
    return 0


def run_schema(args) -> int:
    project = Project.find()
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    wanted = {
        project.editor_schema_path: editor_schema(vocabulary),
        project.contributing_path: with_reference(project.contributing_path.read_text(encoding="utf-8"),
                                                  field_reference(vocabulary)),
    }
    stale = [path for path, text in wanted.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(project.root)} 与 case_schema.yaml 或标签表不一致，请运行 casebook schema",
                  file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        print(f"已更新 {path.relative_to(project.root)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
