"""Where a casebook's files live, relative to its root (the folder with mkdocs.yml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The project containing ``start`` (default: the working directory)."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file() and (folder / "cases").is_dir():
                return cls(folder)
        return cls(here)

    @property
    def cases_dir(self) -> Path:
        return self.root / "cases"

    @property
    def sources_dir(self) -> Path:
        """The archived source articles, one Markdown file each."""
        return self.root / "sources"

    @property
    def taxonomy_path(self) -> Path:
        return self.root / "data" / "taxonomy.yaml"

    @property
    def provinces_path(self) -> Path:
        return self.root / "data" / "provinces.yaml"

    @property
    def dictionary_path(self) -> Path:
        """Governance terms for jieba, shared by the site search and the Whoosh index."""
        return self.root / "data" / "dictionary.txt"

    @property
    def editor_schema_path(self) -> Path:
        return self.root / "schema" / "case.schema.json"

    @property
    def contributing_path(self) -> Path:
        return self.root / "CONTRIBUTING.md"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def index_dir(self) -> Path:
        return self.build_dir / "index"
