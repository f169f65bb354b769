"""Sphinx configuration of the concurrent documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html`` (the tox env ``docs``).
The build needs no network: Python's inventory for intersphinx ships in ``_intersphinx/``.
"""

import os
import sys

DOCS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(DOCS)

# Document the checkout (or the installed copy when the docs are built from an sdist).
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(DOCS, "_ext"))
if "concurrent" in sys.modules:  # the stdlib's package came first: add the checkout's portion
    _portion = os.path.join(ROOT, "concurrent")
    if _portion not in sys.modules["concurrent"].__path__:
        sys.modules["concurrent"].__path__.insert(0, _portion)

from concurrent._shared import __version__  # noqa: E402

project = "concurrent"
author = "the concurrent developers"
copyright = "the concurrent developers; Python documentation inventory © Python Software Foundation"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "apidoc",
    "tables",
]

exclude_patterns = ["_build", "examples", "tools", "_data", "_intersphinx", "README.md"]
templates_path = []
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme = "furo"
html_title = f"concurrent {release}"

# Python's objects, linked without network: refresh with docs/tools/make_python_inventory.py.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3.11",
               os.path.join(DOCS, "_intersphinx", "python3.11.inv")),
}

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True
autodoc_inherit_docstrings = True

default_role = "py:obj"
primary_domain = "py"

# The benchmark page reads this file (regenerate: docs/tools/regenerate_bench.py).
bench_json = os.path.join(DOCS, "_data", "bench.json")

# The modules the reference documents, in the order that decides where an object exported by
# several of them is described in full (the others link there).
apidoc_modules = [
    "concurrent._shared",
    "concurrent.threading",
    "concurrent.threading.connection",
    "concurrent.threading.managers",
    "concurrent.threading.pool",
    "concurrent.threading.sharedctypes",
    "concurrent.processing",
    "concurrent.processing.connection",
    "concurrent.processing.managers",
    "concurrent.processing.pool",
    "concurrent.processing.shared_memory",
    "concurrent.processing.sharedctypes",
    "concurrent.distributed",
    "concurrent.distributed.connection",
    "concurrent.distributed.managers",
    "concurrent.distributed.pool",
    "concurrent.distributed.sharedctypes",
    "compat",
    "compat.threading",
    "compat.processing",
    "compat.processing.dummy",
    "compat.pprocess",
    "compat.renames",
    "compat.migrate",
]
