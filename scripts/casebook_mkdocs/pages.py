"""Generated pages and files as MkDocs objects, and MkDocs' own addresses for them."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from casebook.render import Links, RenderedPage


@lru_cache(maxsize=2)  # one function per addressing scheme, so memoized pages stay valid
def file_links(use_directory_urls: bool) -> Links:
    """Links between generated pages as MkDocs addresses them (``cases/x/`` with directory URLs,
    ``cases/x.html`` in the offline build): taken from MkDocs' ``File``, not re-implemented."""

    @lru_cache(maxsize=None)
    def file_of(src_uri: str) -> File:
        return File(src_uri, src_dir=None, dest_dir="", use_directory_urls=use_directory_urls)

    def link(from_uri: str, to_uri: str) -> str:
        return file_of(to_uri).url_relative_to(file_of(from_uri))

    return link


class GeneratedFile(File):
    """A file made in memory by the casebook. ``changed`` says whether its content differs from
    what the previous build of the same process wrote: ``mkdocs serve --dirty`` then writes only
    the files that changed (MkDocs asks ``is_modified``), whatever made them."""

    changed: bool = True

    def is_modified(self) -> bool:
        return self.changed


class GeneratedPage(Page):
    """A page whose HTML, metadata and table of contents were made by the casebook.

    It never passes through Markdown: ``read_source`` and ``render`` hand MkDocs what the page
    already carries. Title and metadata are set at once, so the page has a title in the
    navigation even in a dirty build that does not read it again.
    """

    def __init__(self, title: str | None, rendered: RenderedPage, file: File, config: MkDocsConfig):
        super().__init__(title, file, config)
        self.rendered = rendered
        self.markdown = ""
        self.meta = dict(rendered.meta)

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = dict(self.rendered.meta)

    def render(self, config: MkDocsConfig, files) -> None:
        self.content = self.rendered.html
        self.toc = get_toc([{"level": 2, "id": anchor, "name": name, "children": []}
                            for anchor, name in self.rendered.toc])


def generated_file(config: MkDocsConfig, src_uri: str, content: str | bytes, in_nav: bool = True) -> GeneratedFile:
    # Pages that are not in the nav are kept out of it explicitly: a nav listing every case would
    # be copied into every page (measured: 283 MB instead of 25 MB for 1,000 cases).
    inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
    return GeneratedFile.generated(config, src_uri, content=content, inclusion=inclusion)


def nav_titles(nav) -> dict[str, str]:
    """``{src_uri: title}`` of the pages named in mkdocs.yml's ``nav``, whose titles they keep."""
    titles: dict[str, str] = {}
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    titles[value] = title
                else:
                    titles.update(nav_titles(value))
    return titles


# A Markdown link to a path: not to an address (scheme:), an anchor or the site's root.
_RELATIVE_LINK = re.compile(r"\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^)\s]+)\)")


def repository_folder(config: MkDocsConfig) -> str:
    """The address of the repository's root folder as its host shows files (``…/blob/main/``),
    from ``repo_url`` and ``edit_uri`` (``edit/main/docs/``: GitHub's and GitLab's edit and view
    addresses differ only in that word)."""
    viewed = urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri.replace("edit/", "blob/", 1))
    return urljoin(viewed, "../")


def with_repository_links(markdown: str, repository: str) -> str:
    """A file of the repository shown on the site, with its relative links (``cases/x.yaml``,
    ``../../issues/new``: relative to the file as the repository's host shows it) turned into
    addresses in the repository, where they lead on the site too."""
    return _RELATIVE_LINK.sub(lambda match: f"]({urljoin(repository, match.group(1))})", markdown)
