"""The casebook's adapter to MkDocs and Material: the only package that imports either.

``plugin.CasebookPlugin`` wires the pipeline (``casebook``) into MkDocs' events; ``pages`` turns
the pipeline's rendered pages and files into MkDocs ``Page`` and ``File`` objects. Moving to a
successor of MkDocs 1.x means rewriting this package and nothing else.
"""
