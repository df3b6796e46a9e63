"""Where each kind of page and file of the site lives, declared once.

A route is the path of the source file as MkDocs sees it (``cases/{id}.md`` for a page,
``api/cases/{id}.json`` for a file), with its keys in braces. The address a reader opens is
MkDocs' address of that file: ``cases/x/`` with directory URLs, ``cases/x.html`` in the offline
build (``use_directory_urls: false``). The adapter (``casebook_mkdocs``) derives both forms from
this table through MkDocs' own ``File``; the pipeline, the templates (``route(kind, *keys)``) and the
browser's scripts (the generated ``assets/javascripts/routes.js``) take their addresses from it.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from collections.abc import Callable, Mapping
from functools import reduce

ROUTES: dict[str, str] = {
    # Pages made from the cases (casebook.render).
    "home": "index.md",
    "case": "cases/{id}.md",
    "tag": "tags/{slug}.md",
    "tag_page": "tags/{slug}/{page}.md",  # pages 2, 3 … of a tag with many cases
    "tags": "tags/index.md",
    "province": "regions/{slug}.md",
    "regions": "regions/index.md",
    "source": "sources/{id}.md",
    "sources": "sources/index.md",
    "problem": "problems/{slug}.md",
    "problems": "problems/index.md",
    "practices": "practices/index.md",
    "actors": "actors/index.md",
    "pack": "packs/{slug}-{volume}.md",
    "submit": "submit/index.md",
    "year": "years/{year}.md",  # the cases of one year (Case.year, the finder's year filter)
    "years": "years/index.md",
    # Hand-written pages (docs/) that scripts and templates lead to.
    "page": "{name}.md",  # any of them by its file name (the search boxes' page results)
    "finder": "finder.md",
    "downloads": "downloads.md",
    "compare": "compare.md",
    "custom_pack": "packs/custom.md",
    "contributing": "contributing.md",
    # Files.
    "case_json": "api/cases/{id}.json",
    # A case on one page, for a trainer's course pack (packs/custom/): a fragment of HTML. Not
    # .html: the preview's server adds its reload script to every .html file it serves.
    "case_digest": "api/digests/{id}.htm",
    "citation": "cite/{id}.{format}",
    "cases_json": "downloads/cases.json",
    "cases_csv": "downloads/cases.csv",
    "metrics_csv": "downloads/metrics.csv",
    "codebook_csv": "downloads/codebook.csv",
    "schema_json": "downloads/case.schema.json",
    # The search boxes' index (casebook.finder), a file by its name, in a folder named by the
    # content of the whole index, so that a browser never mixes files of two builds.
    "finder_index": "finder-index/{version}/{path}.js",
}

# A function giving a source path's address below the site's root (``cases/x/`` or
# ``cases/x.html``), as the site generator places it.
Address = Callable[[str], str]


def keys_of(kind: str) -> tuple[str, ...]:
    """The names of a route's keys, in order: ``case`` -> (``id``,)."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(ROUTES[kind]) if name)


def route(kind: str, *keys) -> str:
    """The source path of one page or file: ``route("case", "x")`` -> ``cases/x.md``."""
    names = keys_of(kind)
    if len(keys) != len(names):
        raise TypeError(f"route {kind!r} takes {len(names)} key(s) {names}, got {len(keys)}")
    return ROUTES[kind].format(**dict(zip(names, map(str, keys), strict=True)))


def tag_route(slug: str, page: int = 1) -> str:
    """A tag's listing: its first page is the tag's own page, the others are numbered below it."""
    return route("tag", slug) if page == 1 else route("tag_page", slug, page)


def patterns(address: Address) -> dict[str, str]:
    """Every route in the build's address form, keys left in braces: ``{"case": "cases/{id}/"}``."""
    return {kind: address(pattern) for kind, pattern in sorted(ROUTES.items())}


def routes_script(address: Address, known: Mapping[str, str]) -> str:
    """``assets/javascripts/routes.js``: the route table in this build's address form, for the
    browser's scripts (the ``routes`` module, see casebook.js), with the ``known`` keys that are
    the same for the whole build (the search index's ``version``) filled in."""
    filled = {kind: reduce(lambda text, key: text.replace("{%s}" % key, known[key]), known, pattern)
              for kind, pattern in patterns(address).items()}
    table = json.dumps(filled, ensure_ascii=False, sort_keys=True, indent=1)
    return ("// Generated at build time by casebook.routes from its route table; do not edit.\n"
            f"casebook.provide(\"routes-table\", {table});\n")


ROUTES_SCRIPT = "assets/javascripts/routes.js"

# The names at the top of the built site that its own pages and folders take (index, cases,
# sources, assets …): a case id must be none of them. An id names files in folders that also
# hold such pages (sources/{id}.md beside sources/index.md, the listing of the archive), and
# would be ambiguous as any other of them.
RESERVED_NAMES = frozenset(pattern.split("/", 1)[0].split(".", 1)[0]
                           for pattern in (*ROUTES.values(), ROUTES_SCRIPT) if not pattern.startswith("{"))


def content_named(path: str, text: str) -> str:
    """A generated file's name with a hash of its content, as Material names its assets
    (``assets/javascripts/routes.js`` -> ``assets/javascripts/routes.1a2b3c4d.js``): a browser
    that cached the file of an older build never runs it with the pages of a newer one."""
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{content_hash(text)}{dot}{suffix}"


def content_hash(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:CONTENT_HASH_LENGTH]


CONTENT_HASH_LENGTH = 8


def match(kind: str, path: str) -> dict[str, str] | None:
    """The keys of ``path`` if it is a route of ``kind``: ``match("case", "cases/x.md")`` -> {"id": "x"}.
    A key is one folder's or file's name, but a ``path`` key may hold folders (``terms/3``)."""
    expression = "".join(re.escape(text) + (f"(?P<{name}>{'.+' if name == 'path' else '[^/]+'})" if name else "")
                         for text, name, _, _ in string.Formatter().parse(ROUTES[kind]))
    found = re.fullmatch(expression, path)
    return found.groupdict() if found else None
