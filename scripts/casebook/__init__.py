"""The casebook: grassroots-governance case studies as YAML, rendered into a static site.

The pipeline runs one way, one module per stage:
``load`` (files -> data with positions) -> ``validate`` (schema -> problems)
-> ``model`` (typed cases) -> ``render`` (Jinja -> HTML pages) -> ``cli`` / the MkDocs plugin (``casebook_mkdocs``).
"""
