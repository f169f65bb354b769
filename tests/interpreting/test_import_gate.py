"""Before Python 3.14 there is no concurrent.interpreters: the package says what it needs."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="this Python has concurrent.interpreters")
def test_importing_it_before_314_raises_an_import_error_that_names_the_version():
    with pytest.raises(ImportError, match=r"needs Python 3\.14 or newer") as caught:
        importlib.import_module("concurrent.interpreting")
    assert caught.value.name == "concurrent.interpreting"
    assert f"this is Python 3.{sys.version_info.minor}" in str(caught.value)
    assert "concurrent.threading or concurrent.processing" in str(caught.value)
    done = subprocess.run([sys.executable, "-c", "import concurrent.interpreting"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "ImportError: concurrent.interpreting needs Python 3.14 or newer" in done.stderr


@pytest.mark.skipif(sys.version_info < (3, 14), reason="needs concurrent.interpreters")
def test_from_314_it_imports_beside_the_stdlib_package():
    import concurrent.interpreters
    import concurrent.interpreting

    assert concurrent.interpreting.get_context().module is concurrent.interpreting
    assert concurrent.interpreters.create  # the stdlib's package is still reached


def test_info_reports_it():
    from concurrent.__main__ import format_info

    line = next(line for line in format_info().splitlines()
                if line.startswith("  concurrent.interpreting: "))
    if sys.version_info >= (3, 14):
        assert "available (" in line
    else:
        assert "unavailable (concurrent.interpreting needs Python 3.14 or newer" in line
