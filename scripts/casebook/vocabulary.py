"""The controlled vocabularies: the taxonomy (tags and problems) and the province-level divisions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str
    group: str
    description: str
    synonyms: tuple[str, ...] = ()
    reason: str = ""  # what two cases sharing this tag both do, said after “同样”


@dataclass(frozen=True)
class TagGroup:
    name: str
    description: str


@dataclass(frozen=True)
class GovernanceProblem:
    """A problem a practice sets out to solve (a case's ``problems``)."""
    name: str
    slug: str
    description: str


@dataclass(frozen=True)
class Province:
    name: str
    slug: str


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[TagGroup, ...]
    tags: tuple[Tag, ...]
    provinces: tuple[Province, ...]
    problems: tuple[GovernanceProblem, ...] = ()

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags]

    @property
    def province_names(self) -> list[str]:
        return [province.name for province in self.provinces]

    def tag(self, name: str) -> Tag:
        return {tag.name: tag for tag in self.tags}[name]

    def problem(self, name: str) -> GovernanceProblem:
        return {problem.name: problem for problem in self.problems}[name]

    def province(self, name: str) -> Province:
        return {province.name: province for province in self.provinces}[name]

    def enum_for(self, source: str) -> list[str]:
        """Values for the schema keyword ``x-enum-from``."""
        return {"tags": self.tag_names, "provinces": self.province_names,
                "problems": [problem.name for problem in self.problems]}[source]


class VocabularyError(Exception):
    """The taxonomy or province file itself is broken; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_vocabulary(taxonomy_path: Path, provinces_path: Path) -> Vocabulary:
    problems: list[Problem] = []
    taxonomy = _read_yaml(taxonomy_path, problems) or {}
    province_rows = _read_yaml(provinces_path, problems) or []
    groups = tuple(TagGroup(g["name"], g.get("description", "")) for g in taxonomy.get("groups", []))
    group_names = {g.name for g in groups}
    tags: list[Tag] = []
    seen: dict[str, str] = {}
    where = taxonomy_path.as_posix()
    for index, row in enumerate(taxonomy.get("tags", [])):
        name, slug = str(row.get("name", "")), str(row.get("slug", ""))
        label = f"tags[{index}]"
        if not name or not row.get("description"):
            problems.append(Problem(where, 0, 0, label, "每个标签都要有 name 和 description"))
        if not SLUG.match(slug):
            problems.append(Problem(where, 0, 0, label, f"标签 {name} 的 slug “{slug}”应为小写英文和连字符"))
        if row.get("group") not in group_names:
            problems.append(Problem(where, 0, 0, label, f"标签 {name} 的 group 应为 {'、'.join(sorted(group_names))} 之一"))
        for key in (name, f"slug:{slug}"):
            if key in seen:
                problems.append(Problem(where, 0, 0, label, f"标签 {key} 与 {seen[key]} 重复"))
            seen[key] = label
        tags.append(Tag(name, slug, str(row.get("group")), str(row.get("description", "")),
                        tuple(str(s) for s in row.get("synonyms") or ()), str(row.get("reason", ""))))
    governance_problems: list[GovernanceProblem] = []
    for index, row in enumerate(taxonomy.get("problems", [])):
        name, slug = str(row.get("name", "")), str(row.get("slug", ""))
        label = f"problems[{index}]"
        if not name or not row.get("description"):
            problems.append(Problem(where, 0, 0, label, "每个问题都要有 name 和 description"))
        if not SLUG.match(slug):
            problems.append(Problem(where, 0, 0, label, f"问题 {name} 的 slug “{slug}”应为小写英文和连字符，用作问题页的网址"))
        if f"problem:{name}" in seen:
            problems.append(Problem(where, 0, 0, label, f"问题 {name} 重复"))
        elif f"problem-slug:{slug}" in seen:
            problems.append(Problem(where, 0, 0, label, f"问题 {name} 的 slug “{slug}”与 {seen[f'problem-slug:{slug}']} 重复"))
        seen[f"problem:{name}"] = seen[f"problem-slug:{slug}"] = label
        governance_problems.append(GovernanceProblem(name, slug, str(row.get("description", ""))))
    provinces = tuple(Province(str(p["name"]), str(p["slug"])) for p in province_rows)
    if problems:
        raise VocabularyError(problems)
    return Vocabulary(groups, tuple(tags), provinces, tuple(governance_problems))


def _read_yaml(path: Path, problems: list[Problem]):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(path.as_posix(), 0, 0, "", f"无法读取：{error}"))
        return None
