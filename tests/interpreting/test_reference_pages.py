"""The reference pages of concurrent.interpreting are written ahead (the docs build on any
Python, the module imports on 3.14+): they must be what its ``__all__`` and docstrings give."""

import importlib.util
from pathlib import Path

from tests.interpreting.conftest import needs_interpreters

pytestmark = needs_interpreters
TOOL = Path(__file__).parents[2] / "docs" / "tools" / "make_interpreting_reference.py"


def test_the_reference_pages_are_current():
    spec = importlib.util.spec_from_file_location("make_interpreting_reference", TOOL)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    homes = tool._homes()
    for modname, (page, _, _) in tool.PAGES.items():
        path = Path(tool.DOCS) / "reference" / page
        assert path.read_text(encoding="utf-8") == tool.render(modname, homes), (
            f"{path} is stale: run python docs/tools/make_interpreting_reference.py on 3.14+")
