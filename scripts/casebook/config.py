"""The casebook's settings, typed, with their defaults, in one place: ``CasebookConfig``.

Page limits (render), the search's field weights, BM25 parameters and bonuses (the Whoosh index
and the finder's browser engine alike), the comparable cases' weights and threshold, from how
many cases work is split over processes, and where a project keeps its files. ``mkdocs.yml``
may override any of them under the ``casebook`` plugin; the plugin gets them validated by
MkDocs, the ``casebook`` command reads the same entry (``read_config``), and tests and
benchmarks make a config of their own (``casebook_config``).

The class is MkDocs' ``Config``, as Material declares its plugins' options: validation, defaults
and error messages come from one declaration. It is the only MkDocs class the pipeline uses, and
only as a typed record: the stages read attributes from it.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as option
from mkdocs.config.base import Config, ValidationError
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from .schema import search_weights

PLUGIN_NAME = "casebook"  # its entry in mkdocs.yml's plugins (and pyproject.toml's entry point)


class Number(option.BaseConfigOption):
    """A number not below ``minimum``; a whole one when ``whole``."""

    def __init__(self, default: float, minimum: float = 0, whole: bool = False) -> None:
        super().__init__()
        self.default, self.minimum, self.whole = default, minimum, whole

    def run_validation(self, value: object) -> float:
        kinds = int if self.whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or value < self.minimum:
            raise ValidationError(f"应是不小于 {self.minimum} 的{'整数' if self.whole else '数'}，写的是 {value!r}")
        return value


def _count(default: int) -> Number:
    return Number(default, minimum=1, whole=True)


class Weights(option.BaseConfigOption[dict]):
    """Named weights, each a number: the defaults with what mkdocs.yml overrides. A name that is
    not among the defaults is an error (a typo would otherwise be silently ignored)."""

    def __init__(self, defaults) -> None:
        super().__init__()
        self.defaults = defaults  # a function: the searched fields come from the schema

    def run_validation(self, value: object) -> dict[str, float]:
        defaults = self.defaults()
        if value is None:
            return dict(defaults)
        if not isinstance(value, dict):
            raise ValidationError(f"应写成“名称: 权重”的映射，可用的名称：{'、'.join(defaults)}")
        unknown = [name for name in value if name not in defaults]
        if unknown:
            raise ValidationError(f"没有名为 {'、'.join(map(str, unknown))} 的权重，可用的名称：{'、'.join(defaults)}")
        wrong = [name for name, weight in value.items() if isinstance(weight, bool) or not isinstance(weight, (int, float))]
        if wrong:
            raise ValidationError(f"{'、'.join(wrong)} 的权重应是数字")
        return {**defaults, **{name: float(weight) for name, weight in value.items()}}


class PageLimits(Config):
    """How much one generated page holds, so that pages stay small as the library grows."""

    newest_on_home = _count(8)
    practices_per_mechanism = _count(10)   # on the practices page
    practices_per_problem_page = _count(60)  # each with its mechanisms and results: about 75 KB
    # A tag's training pack holds its newest cases, at most this many (all when it has fewer)...
    pack_max_cases = _count(20)
    # ...in volumes of about this much text, so a volume's page stays under 100 KB (checked by
    # make bench at 10,000 cases).
    pack_volume_characters = _count(13_000)
    # Above this many cases, a province page lists its cities and counties with counts instead.
    province_page_cases = _count(150)
    cases_per_tag_page = _count(100)       # about 40 KB
    glance_rows = _count(10)               # largest figures shown per unit on a tag page
    glance_units = _count(5)               # units shown, those with the most cases first
    source_page_figures = _count(40)       # figures shown in their sentences (about 60 KB)
    source_page_links = _count(100)        # further cases citing the source, by title only


class SearchSettings(Config):
    """The one ranking of both search engines: Whoosh (``casebook search``) and the finder's
    engine in the browser, which reads these values from the index the build writes (meta.js).
    Chosen on the relevance set by `python -m benchmarks.field_boosts`; written into the indexes,
    whose hashes cover them, so a change rebuilds them."""

    # Each searched field's weight: the schema's ``x-search``, overridden here by name.
    field_weights = Weights(search_weights)
    # BM25's term-frequency saturation. Weighted frequencies are several times raw counts, so the
    # usual 1.2 saturates after one mention.
    k1 = Number(8.0)
    b = Number(0.75)  # how much a long case's frequencies are discounted
    # Added for each tag the query names (by name or synonym), about the score of one
    # well-matched word.
    tag_mention_bonus = Number(4.0)
    # A case holding all of the query's words ranks above one holding some: its score is raised
    # by up to this share, by the share of the query's words it holds (a signal, not a filter: a
    # filter leaves a question of many words with no result).
    coverage_weight = Number(1.0)


def _comparable_weights() -> dict[str, float]:
    # Within a case's profile, each group of its tags (the taxonomy's groups; a group added to
    # the taxonomy counts 1.0 until weighed here) and its problems (问题); then the signals: the
    # profile, the key terms' text, and the same level and setting, which add their weight when
    # they are the same; "core": a tag named in the title or practice name counts this many times.
    return {"机制": 5.0, "主体": 2.0, "问题": 1.5, "领域": 1.0,
            "profile": 4.0, "text": 1.0, "level": 0.5, "setting": 0.5, "core": 2.0}


class ComparableSettings(Config):
    """Chosen on the judged set tests/search/comparables.yaml by
    `python -m benchmarks.comparable_weights`."""

    weights = Weights(_comparable_weights)
    threshold = Number(0.2)  # the lowest score called comparable
    shown = _count(5)           # comparable cases listed on a case page


class ParallelWork(Config):
    """From how many cases a stage splits its work over processes: below these, starting a
    process costs more than it saves (measured by `make bench`)."""

    check_from = _count(400)    # reading the catalog: half the case files checked in a second process
    analyse_from = _count(200)  # the index: the cases' texts segmented in a pool on every core


class ProjectPaths(Config):
    """Where a project keeps its files, relative to its root (the folder of mkdocs.yml)."""

    cases = option.Type(str, default="cases")
    sources = option.Type(str, default="sources")    # the archived source articles
    taxonomy = option.Type(str, default="data/taxonomy.yaml")
    provinces = option.Type(str, default="data/provinces.yaml")
    dictionary = option.Type(str, default="data/dictionary.txt")  # governance terms for jieba
    build = option.Type(str, default="build")        # the index, stage timings, bench results
    index = option.Type(str, default="build/index")  # the Whoosh index


class SubmissionSettings(Config):
    """The 在线投稿 page: to whom a contributor sends the file it saves, in the page's words (an
    e-mail address or a WeChat account, e.g. "邮箱 cases@example.org"). Unset, the page points to
    the repository's issues page."""

    send_to = option.Type(str, default="")


class CasebookConfig(Config):
    """The ``casebook`` plugin's options in mkdocs.yml, e.g.::

        plugins:
          - casebook:
              pages: {cases_per_tag_page: 50}
              search: {k1: 6.0, field_weights: {title: 8}}
    """

    pages = option.SubConfig(PageLimits)
    search = option.SubConfig(SearchSettings)
    comparables = option.SubConfig(ComparableSettings)
    parallel = option.SubConfig(ParallelWork)
    paths = option.SubConfig(ProjectPaths)
    submissions = option.SubConfig(SubmissionSettings)


def casebook_config(options: dict | None = None, source: str = "") -> CasebookConfig:
    """A validated config: the defaults with ``options`` (as written under the plugin in
    mkdocs.yml) over them; ConfigurationError naming every wrong option otherwise."""
    config = CasebookConfig(config_file_path=source)
    config.load_dict(options or {})
    problems = _unknown_names(options or {}, CasebookConfig)
    if not problems:  # MkDocs' warnings are about unknown names only
        errors, _ = config.validate()
        problems = [f"{name}：{error}" for name, error in errors]
    if problems:
        raise ConfigurationError(f"{source or 'casebook 设置'} 中 casebook 插件的设置有误：\n" + "\n".join(problems))
    return config


def _unknown_names(options: dict, config_class: type[Config], prefix: str = "") -> list[str]:
    """A misspelt option would be silently ignored: each is named, with the ones there are."""
    known = dict(config_class._schema)
    problems = []
    for name, value in options.items():
        if name not in known:
            problems.append(f"没有名为 {prefix}{name} 的设置，可用的：{'、'.join(known)}")
        elif isinstance(known[name], option.SubConfig) and isinstance(value, dict):
            problems += _unknown_names(value, known[name].config_class, f"{prefix}{name}.")
    return problems


def read_config(mkdocs_yml: Path) -> CasebookConfig:
    """The casebook plugin's settings in a project's mkdocs.yml, as `mkdocs build` reads them
    (the defaults when the file or the entry is missing)."""
    if not mkdocs_yml.is_file():
        return casebook_config()
    with mkdocs_yml.open("rb") as file:
        plugins = (yaml_load(file) or {}).get("plugins") or []
    entries = plugins.items() if isinstance(plugins, dict) else \
        (next(iter(entry.items())) if isinstance(entry, dict) else (entry, None) for entry in plugins)
    options = next((value for name, value in entries if name == PLUGIN_NAME), None)
    return casebook_config(options, str(mkdocs_yml))
