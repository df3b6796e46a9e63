"""A deterministic generator of valid synthetic cases, made by varying the real ones."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from casebook.vocabulary import Vocabulary


def write_synthetic_cases(real_case_files: list[Path], vocabulary: Vocabulary, count: int,
                          destination: Path, seed: int = 20261123) -> None:
    """Write ``count`` valid cases into ``destination``: real cases with other ids, regions,
    tags and text lengths. The same arguments always give the same files."""
    rng = random.Random(seed)
    originals = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(real_case_files)]
    destination.mkdir(parents=True, exist_ok=True)
    tag_names = vocabulary.tag_names
    provinces = vocabulary.province_names
    for index in range(count):
        case = yaml.safe_load(yaml.safe_dump(originals[index % len(originals)]))  # deep copy
        case["id"] = f"{case['id']}-{index:05d}"
        case["title"] = f"{case['title'][:70]}（{index}）"
        region = case["region"]
        region["province"] = provinces[rng.randrange(len(provinces))]
        region["city"] = f"样例{rng.randrange(12)}市"
        region["county"] = f"样例{rng.randrange(40)}县"
        case["tags"] = rng.sample(tag_names, rng.randint(2, 6))
        case["background"] = "\n\n".join([case["background"]] * rng.randint(1, 3))
        (destination / f"{case['id']}.yaml").write_text(
            yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
