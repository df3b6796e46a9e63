"""The casebook: grassroots-governance case studies as YAML, rendered into a static site.

The pipeline runs one way, one module per stage, numbered in the order a build starts them
(docs/architecture.md draws them with their processes): 1 ``load`` (files -> data with positions),
2 ``validate`` (schema -> problems), 3 ``model`` (typed cases), together ``catalog.read_catalog``;
4 ``index`` (Whoosh, and each case's key terms); 5 ``comparables``; 6 ``render`` (Jinja -> HTML
pages). ``export``, ``finder`` and ``citation`` make files from the catalog alone. ``cli`` and the
MkDocs plugin (``casebook_mkdocs``) run them.
"""
