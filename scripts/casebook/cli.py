"""The `casebook` command: validate, build, schema (and more as the product grows).

Exit status: 0 success, 1 problems in the cases, 2 wrong usage or missing prerequisites.
A contributor never sees a traceback for bad input: every expected failure is a message.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalog import check_paths
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
