"""The finder's static index: the analysis finder.js mirrors, and what the files hold."""

import json
import re

from casebook.catalog import read_catalog
from casebook.finder import finder_files, shard_of, tokens


def test_tokens_are_character_pairs_folded_to_simplified():
    assert tokens("網格員") == ["网格", "格员"]
    assert tokens("ＡＢＣ 12 积") == ["abc", "12", "积"]


def test_shard_hash_is_fnv1a_as_in_finder_js():
    # 0x811c9dc5 ^ ord("a") * 0x01000193 mod 2**32, the FNV-1a test vector for "a"
    assert shard_of("a", 2**32) == 0xE40C292C


def test_every_pair_of_a_case_is_in_its_shard(project):
    catalog = read_catalog(project)
    files = finder_files(catalog)
    meta = json.loads(re.search(r",(\{.*\})\);", files["finder-index/meta.js"]).group(1))
    assert meta["count"] == len(catalog.cases)
    for token in tokens(catalog.cases[0].title):
        shard = files[f"finder-index/terms/{shard_of(token, meta['shards'])}.js"]
        assert json.dumps(token, ensure_ascii=False) in shard
