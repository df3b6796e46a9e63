"""`casebook new`: a commented case file that already validates except for what is left to fill."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from .project import Project
from .vocabulary import Vocabulary

# Fields left empty (`summary:`) are reported by `casebook validate` until they are filled in.
TEMPLATE = """\
# yaml-language-server: $schema=../schema/case.schema.json
# 新案例模板：按注释填写空着的字段，然后运行 casebook validate 检查。
# 字段说明见 CONTRIBUTING.md；完整的例子见 cases/jinjiang-grid-womens-groups.yaml。
id: {id}
title: {title}
# 摘要：两三句话，用自己的话概括做法和成效。
summary:
region:
  province: {province}
  city: {city}
  county: {county}
  # town: 乡镇或街道
  # community: 村或社区
  # 城乡类型：城市、农村 或 城乡结合
  setting:
# 实施层级：省、市、县、乡镇街道、村社区、小区楼栋 或 企业和单位
level:
# 实施时间（原文没有写就删掉这三行）
period:
  start:
  ongoing: true
# 背景：要解决什么问题
background:
practice:
  name:
  description:
  measures:
    - title:
      detail:
  actors:
    - name:
      role:
# 原文中的每个数字写一条；quote 是原文原话，必须包含这个数字
metrics:
  - label:
    value:
    unit:
    quote:
outcomes:
  -
lessons:
  -
# 原文 或 编者归纳
lessons_origin:
# 标签只能从 data/taxonomy.yaml 中选
tags: []
sources:
  - title: {source}
    publisher:
    # date: 2024-12-09
    # url: https://...
"""


def new_case_id(project: Project, vocabulary: Vocabulary, province: str, *parts: str) -> str:
    """``<province slug>-<short hash>``: ASCII, stable for the same input, unique in cases/."""
    stem = f"{vocabulary.province(province).slug}-{hashlib.sha1('|'.join(parts).encode()).hexdigest()[:6]}"
    candidate, counter = stem, 2
    while (project.cases_dir / f"{candidate}.yaml").exists():
        candidate, counter = f"{stem}-{counter}", counter + 1
    return candidate


def write_new_case(project: Project, case_id: str, *, title: str, province: str, city: str = "",
                   county: str = "", source: str = "") -> Path:
    path = project.cases_dir / f"{case_id}.yaml"
    if path.exists():
        raise FileExistsError(path)
    text = TEMPLATE.format(id=case_id, title=_scalar(title), province=_scalar(province),
                           city=_scalar(city), county=_scalar(county), source=_scalar(source))
    path.write_text(text, encoding="utf-8")
    return path


def _scalar(value: str) -> str:
    """A YAML scalar for ``value``, quoted when needed; empty when there is no value."""
    if not value:
        return ""
    return yaml.safe_dump(value, allow_unicode=True, width=1000).strip().removesuffix("...").strip()
