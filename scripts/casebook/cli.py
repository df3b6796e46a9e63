"""The `casebook` command: validate, new, draft, intake, build, schema, migrate-outcomes, index, search,
similar.

Exit status: 0 success, 1 problems in the cases, 2 wrong usage, wrong settings (the casebook
plugin's entry in mkdocs.yml, read as `mkdocs build` reads it) or missing prerequisites.
A contributor never sees a traceback for bad input: every expected failure is a message.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import traceback
from pathlib import Path

from mkdocs.exceptions import ConfigurationError

from .catalog import check_paths
from .problems import errors_and_warnings, format_problems
from .project import Project
from .publish import SiteBuildError, build_site_atomically
from .reference import files_from_schema
from .vocabulary import VocabularyError, load_vocabulary
from .workers import Terminated, stop_on_sigterm

# What `casebook new` asks for: (flag, prompt).
NEW_CASE_FIELDS = (("title", "标题"), ("province", "省份（全称，如 福建省）"), ("city", "市"),
                   ("county", "县（区、县级市）"), ("source", "出处标题"))


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        with stop_on_sigterm():
            return args.run(args)
    except VocabularyError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return 1
    except ConfigurationError as error:
        print(f"casebook: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return 128 + signal.SIGTERM


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casebook", description="基层治理案例库的命令行工具。")
    commands = parser.add_subparsers(title="命令")

    validate = commands.add_parser(
        "validate", help="检查案例文件",
        description="检查案例文件是否符合格式，一次列出所有问题。\n\n"
                    "例：casebook validate\n    casebook validate cases/my-case.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    validate.add_argument("paths", nargs="*", type=Path, help="文件或目录（默认 cases/）")
    validate.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    validate.add_argument("--strict", action="store_true",
                          help="把提醒（如未附原文的成效）也算作错误，退出码为 1")
    validate.set_defaults(run=run_validate)

    build = commands.add_parser(
        "build", help="生成网站到 site/",
        description="检查案例并生成网站。先生成到临时目录，全部成功后才替换 site/，失败时原来的 site/ 保持不变。")
    build.add_argument("--site-dir", type=Path, default=None, help="输出目录（默认 site/）")
    build.set_defaults(run=run_build)

    schema = commands.add_parser(
        "schema", help="根据 case_schema.yaml 重写编辑器 schema、投稿表单和 CONTRIBUTING.md 的字段说明",
        description="重写 schema/case.schema.json、GitHub 投稿表单 .github/ISSUE_TEMPLATE/submit-case.yml "
                    "和 CONTRIBUTING.md 中的字段说明。修改标签表或 schema 后运行。")
    schema.add_argument("--check", action="store_true", help="只检查是否需要重写；需要时退出码为 1")
    schema.set_defaults(run=run_schema)

    new = commands.add_parser(
        "new", help="新建一个案例文件",
        description="生成一个带注释的案例模板。没给的参数会在终端里逐项询问。\n\n"
                    "例：casebook new --title 晋江市推行网格加妇联 --province 福建省 --city 泉州市 --county 晋江市",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag, label in NEW_CASE_FIELDS:
        new.add_argument(f"--{flag}", help=label)
    new.add_argument("--id", help="案例编号（默认自动生成）")
    new.set_defaults(run=run_new)

    draft = commands.add_parser(
        "draft", help="从存档原文生成案例草稿",
        description="读取 sources/ 中的一篇存档原文，把其中每个数字写成一条数据（数值、单位、限定词、写出它的那一小句），"
                    "生成案例草稿；案例编号取自 --output 的文件名。\n\n"
                    "例：casebook draft --source sources/ijjnews-jinjiang-grid-womens-federation.md\n"
                    "    casebook draft --source sources/x.md --output cases/x.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    draft.add_argument("--source", type=Path, required=True, help="存档原文文件（sources/*.md）")
    draft.add_argument("--output", type=Path, default=None, help="写入的文件（默认打印到屏幕）")
    draft.set_defaults(run=run_draft)

    migrate = commands.add_parser(
        "migrate-outcomes", help="把只有文字的成效改写为 text、status、quote 三项",
        description="为只有文字的成效在存档原文中查找依据：找到几乎包含这条成效全部字词的原句时，"
                    "把它改写为 text、status、quote 三项，status 留空由人按原文的说法填写；找不到的保持原样并列出。"
                    "只改动这些行，文件中的注释和顺序不变。\n\n例：casebook migrate-outcomes\n"
                    "    casebook migrate-outcomes cases/my-case.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    migrate.add_argument("paths", nargs="*", type=Path, help="文件或目录（默认 cases/）")
    migrate.set_defaults(run=run_migrate_outcomes)
    intake = commands.add_parser(
        "intake", help="把投稿表单的内容写成案例文件和存档原文",
        description="读取投稿：GitHub 投稿表单生成的 issue 正文，或网站投稿页下载的投稿文件；"
                    "写出 cases/<id>.yaml 和 sources/<id>.md，并像 casebook validate 一样检查。"
                    "有任何问题时逐条列出（写明是表单的哪一栏），不写入任何文件。"
                    "退出码：0 已写入，1 投稿有问题，2 内部错误。\n\n"
                    "例：casebook intake issue.md\n    casebook intake 投稿-某某案例.yaml\n"
                    "    gh issue view 12 --json body -q .body | casebook intake -",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    intake.add_argument("submission", help="投稿文件；- 表示从标准输入读取")
    intake.add_argument("--update", action="store_true", help="案例或存档已存在时覆盖（更新已收录的案例）")
    intake.add_argument("--json", action="store_true", help="输出 JSON：写入的文件或问题列表")
    intake.add_argument("--comment", type=Path, default=None,
                        help="另把给投稿人的留言（Markdown，投稿中的文字都显示为代码）写入这个文件")
    intake.set_defaults(run=run_intake)

    index = commands.add_parser("index", help="建立检索索引", description="从案例建立离线检索索引（内容没变时不重建）。")
    index.add_argument("--index-dir", type=Path, default=None, help="索引目录（默认 build/index）")
    index.set_defaults(run=run_index)

    search = commands.add_parser(
        "search", help="检索案例",
        description="按关键词或一句话检索案例，简体繁体均可。\n\n例：casebook search 积分制\n"
                    "    casebook search 網格員 --province 福建省\n    casebook search 怎样调动居民参与小区治理的积极性 --json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    search.add_argument("query", nargs="+", help="检索词")
    search.add_argument("--province", help="只看这个省份，如 福建省")
    search.add_argument("--tag", help="只看这个标签，如 积分制")
    search.add_argument("--level", help="只看这个层级，如 县")
    search.add_argument("--year", type=int, help="只看这一年开始的做法")
    search.add_argument("--limit", type=int, default=10, help="最多显示几条（默认 10）")
    search.add_argument("--json", action="store_true", help="输出 JSON")
    search.add_argument("--index-dir", type=Path, default=None, help=argparse.SUPPRESS)
    search.set_defaults(run=run_search)

    similar = commands.add_parser(
        "similar", help="查找可比案例",
        description="列出与某个案例最可比的案例和理由。\n\n例：casebook similar jinjiang-grid-womens-groups",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    similar.add_argument("id", help="案例编号")
    similar.add_argument("--limit", type=int, default=None, help="最多显示几条（默认与案例页上相同）")
    similar.add_argument("--why", action="store_true", help="列出每个案例得分的构成（机制、主体、问题、领域、文字、层级、城乡）")
    similar.add_argument("--json", action="store_true", help="输出 JSON")
    similar.add_argument("--index-dir", type=Path, default=None, help=argparse.SUPPRESS)
    similar.set_defaults(run=run_similar)
    return parser


def run_validate(args) -> int:
    project = Project.find()
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    loaded, problems = check_paths(project, args.paths or [project.cases_dir], vocabulary)
    errors, warnings = errors_and_warnings(problems, args.strict)
    if args.format == "json":
        print(format_problems(errors + warnings, "json"))
    elif errors:
        print(format_problems(errors + warnings), file=sys.stderr)
        counts = [f"{len(found)} 个{name}" for found, name in ((errors, "问题"), (warnings, "提醒")) if found]
        print(f"\n{'、'.join(counts)}，涉及 {len({p.path for p in errors + warnings})} 个文件。", file=sys.stderr)
    else:
        if warnings:
            print(format_problems(warnings) + "\n", file=sys.stderr)
        reminder = f"另有 {len(warnings)} 个提醒（见上；不影响生成网站，加 --strict 时算作错误）。" if warnings else ""
        print(f"全部 {len(loaded)} 个案例文件检查通过。{reminder}")
    return 1 if errors else 0


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


def run_new(args) -> int:
    from .scaffold import new_case_id, write_new_case

    project = Project.find()
    vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
    values = {}
    for field, label in NEW_CASE_FIELDS:
        value = getattr(args, field)
        if value is None and sys.stdin.isatty():
            value = input(f"{label}：").strip()
        values[field] = (value or "").strip()
    if not values["title"]:
        return _usage_error("请给出标题：--title 标题")
    if values["province"] not in vocabulary.province_names:
        return _usage_error(f"省份 “{values['province']}”不是省级行政区全称，例如：福建省、北京市、新疆维吾尔自治区")
    case_id = args.id or new_case_id(project, vocabulary, values["province"], values["title"],
                                     values["city"], values["county"])
    try:
        path = write_new_case(project, case_id, **values)
    except FileExistsError:
        return _usage_error(f"cases/{case_id}.yaml 已经存在，请换一个 --id")
    print(f"已生成 {path.relative_to(project.root)}。填好空着的字段后运行：casebook validate {path.relative_to(project.root)}")
    return 0


def run_draft(args) -> int:
    from .draft import draft_case
    from .provenance import load_archive
    from .schema import base_schema

    source_path = args.source.resolve()
    if not source_path.is_file():
        return _usage_error(f"找不到存档原文 {args.source}")
    archive, problems = load_archive(source_path.parent, Project.find(source_path.parent).root)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    source = archive.get(source_path.stem)
    if source is None:
        return _usage_error(f"{args.source} 不是存档原文（应为 sources/ 中的 .md 文件）")
    if args.output is None:
        print(draft_case(source, source.id).text, end="")
        return 0
    # The file name is the case's id (the validator insists): check it before writing anything.
    case_id, id_rule = args.output.stem, base_schema()["properties"]["id"]
    if (args.output.suffix != ".yaml" or not re.fullmatch(id_rule["pattern"], case_id)
            or len(case_id) > id_rule["maxLength"]):
        return _usage_error(f"--output {args.output}：案例文件名就是案例编号，只能用小写英文字母、数字和连字符"
                            f"（最多 {id_rule['maxLength']} 个），以 .yaml 结尾，如 cases/jinjiang-grid-womens-groups.yaml")
    if args.output.exists():
        return _usage_error(f"{args.output} 已经存在，不会覆盖；请换一个 --output")
    if not args.output.parent.is_dir():
        return _usage_error(f"找不到文件夹 {args.output.parent}；案例文件放在仓库的 cases/ 文件夹里")
    draft = draft_case(source, case_id)
    args.output.write_text(draft.text, encoding="utf-8")
    print(f"已生成 {args.output}：从原文找到 {len(draft.figures)} 个数字，每条都要核对（kind、period 是推测，标有“# 待核对”）。")
    print(f"还要你自己写：{'、'.join(draft.to_write)}。")
    print(f"写好后运行：casebook validate {args.output}")
    return 0


def run_migrate_outcomes(args) -> int:
    from .load import find_case_files
    from .migrate import migrate_file
    from .provenance import load_archive

    project = Project.find()
    files, problems = find_case_files(args.paths or [project.cases_dir])
    archive, archive_problems = load_archive(project.sources_dir, project.root)
    if problems or archive_problems:
        print(format_problems(problems + archive_problems), file=sys.stderr)
        return 1
    converted, missed, failed = 0, [], []
    for path in files:
        try:
            results = migrate_file(path, archive, project.cases_dir)
        except ValueError as error:
            failed.append(str(error))
            continue
        shown = _shown_path(project, path)
        for result in results:
            if result.quote:
                converted += 1
                print(f"{shown}:{result.line}: outcomes[{result.index}]：已补上原文依据，请填写 status")
            else:
                missed.append(f"{shown}:{result.line}: outcomes[{result.index}]：存档原文中找不到依据，保持原样："
                              f"“{result.text}”")
    if missed:
        print("\n以下成效找不到足够相近的原句，请人工核对原文后改写（或改写这条成效）：", file=sys.stderr)
        print("\n".join(missed), file=sys.stderr)
    for message in failed:
        print(message, file=sys.stderr)
    print(f"\n改写 {converted} 条，保持原样 {len(missed)} 条。"
          + ("改写的成效 status 为空：请按原文的说法逐条填写，然后运行 casebook validate。" if converted else ""))
    return 1 if failed else 0


def _shown_path(project: Project, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.root.resolve()))
    except ValueError:
        return str(path)

def run_intake(args) -> int:
    """0: written; 1: problems, each named by its form field; 2: intake itself failed, its
    traceback on standard error and only ``INTERNAL_ERROR`` in the comment."""
    from .intake import INTERNAL_ERROR, IntakeFailed, comment, intake, read_submission

    if args.submission != "-" and not Path(args.submission).is_file():
        return _usage_error(f"找不到投稿文件 {args.submission}")
    try:
        if args.submission == "-":
            text = read_submission(sys.stdin.buffer)
        else:
            with open(args.submission, "rb") as stream:
                text = read_submission(stream)
        project = Project.find()
        vocabulary = load_vocabulary(project.taxonomy_path, project.provinces_path)
        written = intake(text, project, vocabulary, update=args.update)
    except IntakeFailed as failed:
        _write_comment(args.comment, comment([], failed.problems))
        if args.json:
            print(json.dumps({"written": [], "problems": [p.as_dict() for p in failed.problems]},
                             ensure_ascii=False, indent=2))
        else:
            print(f"投稿有 {len(failed.problems)} 个问题，没有写入任何文件。请按提示修改表单中的这些栏目：",
                  file=sys.stderr)
            print("\n".join(str(problem) for problem in failed.problems), file=sys.stderr)
        return 1
    except Exception:  # a fault of intake or of the repository, not of the submission: for the maintainers' eyes only
        traceback.print_exc()
        print(INTERNAL_ERROR, file=sys.stderr)
        _write_comment(args.comment, INTERNAL_ERROR + "\n")
        return 2
    shown = [path.relative_to(project.root).as_posix() for path in written]
    _write_comment(args.comment, comment(shown, []))
    if args.json:
        print(json.dumps({"written": shown, "problems": []}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(f"已写入 {path}" for path in shown))
    return 0


def _write_comment(path: Path | None, text: str) -> None:
    if path:
        path.write_text(text, encoding="utf-8")


def run_index(args) -> int:
    from .catalog import CatalogError, read_catalog
    from .index import IndexBuildFailed, ensure_index

    project = Project.find()
    try:
        catalog = read_catalog(project)
    except CatalogError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return 1
    index_dir = args.index_dir or project.index_dir
    try:
        built = ensure_index(catalog, index_dir, project.dictionary_path)
    except IndexBuildFailed as error:
        print(f"casebook: {error}", file=sys.stderr)
        return 1
    print(f"{'已建立' if built else '已是最新'}：{index_dir}（{len(catalog.cases)} 个案例）")
    return 0


def _open_index(args):
    from .index import CaseIndex

    project = Project.find()
    return CaseIndex(args.index_dir or project.index_dir)


def _usage_error(message: str) -> int:
    print(f"casebook: {message}", file=sys.stderr)
    return 2


def run_search(args) -> int:
    from .index import IndexMissing

    query = " ".join(args.query).strip()
    if not query:
        return _usage_error("检索词是空的。例：casebook search 积分制")
    if args.limit < 1:
        return _usage_error("--limit 至少为 1")
    try:
        case_index = _open_index(args)
    except IndexMissing as error:
        return _usage_error(str(error))
    for field, value in (("province", args.province), ("tag", args.tag), ("level", args.level),
                         ("year", args.year and str(args.year))):
        if value and value not in case_index.facet_values(field):
            known = "、".join(sorted(case_index.facet_values(field)))
            return _usage_error(f"--{field} “{value}”没有对应的案例。可用的值：{known}")
    hits = case_index.search(query, province=args.province, tag=args.tag, level=args.level,
                             year=args.year, limit=args.limit)
    if args.json:
        print(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
    elif not hits:
        print("没有找到案例。可以换个说法，或去掉筛选条件。")
    for rank, hit in enumerate(hits if not args.json else [], start=1):
        print(f"{rank}. {hit.title}  [{hit.id}]\n   {hit.region} · {hit.level} · 相关度 {hit.score:.2f}\n   {hit.snippet}")
    return 0


def run_similar(args) -> int:
    from .catalog import CatalogError, read_catalog
    from .comparables import SIGNAL_LABELS, ComparableFinder, UnknownCase, read_key_terms

    if args.limit is not None and args.limit < 1:
        return _usage_error("--limit 至少为 1")
    project = Project.find()
    index_dir = args.index_dir or project.index_dir
    if not (index_dir / "key_terms.json").exists():
        return _usage_error(f"找不到检索索引 {index_dir}。请先运行 casebook index（或 make build）")
    try:
        catalog = read_catalog(project)
    except CatalogError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return 1
    try:
        found = ComparableFinder(catalog, read_key_terms(index_dir)).similar(args.id, limit=args.limit)
    except UnknownCase:
        return _usage_error(f"没有编号为 “{args.id}” 的案例。用 casebook search 查找案例编号")
    if args.json:
        print(json.dumps({"comparable": [c.as_dict() for c in found.close],
                          "related": [c.as_dict() for c in found.related]}, ensure_ascii=False, indent=2))
        return 0
    if not found.close:
        print(f"库中暂无做法相近的案例（可比度都低于 {catalog.config.comparables.threshold}）。")
        if found.related:
            print("同类主体、同地区或针对同样问题的案例：")
    for rank, comparable in enumerate(found.close or found.related, start=1):
        print(f"{rank}. {comparable.title}  [{comparable.id}]\n   {comparable.region}\n   " + "；".join(comparable.reasons))
        if args.why and comparable.breakdown:
            parts = [f"{SIGNAL_LABELS.get(signal, signal)} {points:.3f}"
                     for signal, points in comparable.breakdown.items() if points]
            print(f"   可比度 {comparable.score:.3f} = " + " + ".join(parts))
    return 0


def run_schema(args) -> int:
    project = Project.find()
    wanted = files_from_schema(project)
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
