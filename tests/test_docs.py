"""The documentation: every example it shows runs and prints what the page says, and it builds.

Each ``docs/examples/NAME.py`` runs in a fresh interpreter and must print exactly
``docs/examples/NAME.out`` (the pages show both with ``literalinclude``). The Sphinx build runs
with warnings as errors, as the tox env ``docs`` does; it is skipped when Sphinx or the theme is
not installed (``pip install -e '.[docs]'``).
"""

from __future__ import annotations

import html as html_module
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.py"))

# What an example needs beyond the standard library and this project, and why it may be absent.
REQUIRES = {
    "migrate_source.py": ("module", "libcst", "the 'migrate' extra is not installed"),
    "remote_manager_tls.py": ("command", "openssl", "the openssl command is not installed"),
    "scaling_out.py": ("module", "distributed", "the 'distributed' extra is not installed"),
    "scaling_out_connect.py": ("module", "distributed", "the 'distributed' extra is not installed"),
}
# Extra command lines to run an example with: (arguments, (old, new) applied to the .out text).
VARIANTS = {
    "backend_switch.py": [(["--threads"], ("concurrent.processing", "concurrent.threading"))],
}
# Warnings raised inside third-party imports that are not ours to fix; all others are errors.
IGNORED_WARNINGS = ["ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"]


def _missing(example: Path) -> str | None:
    need = REQUIRES.get(example.name)
    if need is None:
        return None
    kind, name, reason = need
    found = (importlib.util.find_spec(name) is not None if kind == "module"
             else shutil.which(name) is not None)
    return None if found else reason


def _run(example: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("COVERAGE_PROCESS_START", None)
    command = [sys.executable, "-W", "error"]
    for spec in IGNORED_WARNINGS:
        command += ["-W", spec]
    return subprocess.run([*command, str(example), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=90)


def _cases():
    for example in EXAMPLE_FILES:
        yield pytest.param(example, [], None, id=example.stem)
        for args, replace in VARIANTS.get(example.name, []):
            yield pytest.param(example, args, replace, id=f"{example.stem} {' '.join(args)}")


def test_there_are_examples():
    assert len(EXAMPLE_FILES) >= 8, EXAMPLE_FILES


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("example, args, replace", list(_cases()))
def test_example_prints_what_the_docs_show(example, args, replace, tmp_path):
    reason = _missing(example)
    if reason:
        pytest.skip(f"{example.name}: {reason}")
    expected = example.with_suffix(".out").read_text(encoding="utf-8")
    if replace:
        expected = expected.replace(*replace)
    done = _run(example, args, tmp_path)
    assert done.returncode == 0, f"{example.name} failed:\n{done.stdout}\n{done.stderr}"
    assert done.stdout == expected, (
        f"{example.name} printed:\n{done.stdout}\nstderr:\n{done.stderr}")
    assert "Traceback" not in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == [], "the example left files behind"


def _pages() -> list[Path]:
    return [path for path in DOCS.rglob("*.rst") if "_build" not in path.parts]


def test_every_example_is_shown_with_its_output():
    text = "\n".join(page.read_text(encoding="utf-8") for page in _pages())
    shown = set(re.findall(r"literalinclude:: /?(?:\.\./)*examples/(\S+)", text))
    for example in EXAMPLE_FILES:
        assert example.name in shown, f"no page includes {example.name}"
        assert example.with_suffix(".out").name in shown, f"no page shows {example.stem}.out"
        assert example.with_suffix(".out").exists()


def test_pages_carry_no_untested_python():
    """Python code on a page comes from an example file the tests run, never typed inline."""
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"code-block::\s*(python|pycon|py)\b", text), page
        assert ">>> " not in text, page


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_docs_build_with_warnings_as_errors(tmp_path):
    if not (_have("sphinx") and _have("furo")):
        pytest.skip("sphinx and furo are not installed (pip install -e '.[docs]')")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=570,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    html = tmp_path / "html"

    # The migration tables come from compat.renames: every legacy spelling is on the page.
    from compat.renames import MODULES, RENAMES

    migrating = _text(html / "guides" / "migrating.html")
    for entry in RENAMES:
        legacy = f"{entry.module}.{entry.old}()" if entry.owner is None else f"{entry.old}()"
        assert legacy in migrating, legacy
    for old, new in MODULES.items():
        assert f"import {old}\n" in migrating and f"import {new}\n" in migrating, old

    # The benchmark tables come from docs/_data/bench.json (the cluster section has no table).
    benchmarks = _text(html / "guides" / "benchmarks.html")
    document = _bench_document()
    for test in {f["test"] for f in document["figures"] if f["section"] != "cluster"}:
        assert test in benchmarks, test

    # Each reference page lists its module's public names.
    from concurrent import threading

    reference = (html / "reference" / "threading.html").read_text(encoding="utf-8")
    for name in threading.__all__:  # submodules are listed as links to their own pages
        assert f'id="concurrent.threading.{name}"' in reference or isinstance(
            getattr(threading, name), types.ModuleType), name


def _text(page: Path) -> str:
    """A built page's text: tags dropped (a table cell ends its line), entities decoded."""
    markup = page.read_text(encoding="utf-8")
    markup = re.sub(r"</(td|th|p)>", "\n", markup)
    return html_module.unescape(re.sub(r"<[^>]+>", "", markup))


def _bench_document() -> dict:
    return json.loads((DOCS / "_data" / "bench.json").read_text(encoding="utf-8"))


def test_recorded_bench_is_a_bench_json_document():
    """docs/_data/bench.json has the shape ``python -m concurrent bench --json`` writes."""
    document = _bench_document()
    assert {"meta", "tests", "figures"} <= set(document)
    sections = {figure["section"] for figure in document["figures"]}
    # The cluster section is there when the run had the [distributed] extra; no table shows it.
    assert sections - {"cluster"} == {"workloads", "throughput", "payloads", "startup"}, sections
    for figure in document["figures"]:
        assert {"section", "test", "param", "param_is", "mode", "unit", "median",
                "unavailable", "vs_stdlib"} <= set(figure)
        assert figure["test"] in document["tests"]
        assert (figure["median"] is None) == bool(figure["unavailable"])


def test_the_benchmarks_page_shows_a_figure_of_each_recorded_section():
    """docs/figures/bench holds one small SVG per table, from the run the tables show."""
    document = _bench_document()
    page = (DOCS / "guides" / "benchmarks.rst").read_text(encoding="utf-8")
    shown = set(re.findall(r"figure:: /figures/bench/(\S+)\.svg", page))
    tables = set(re.findall(r"bench-table:: (\S+)", page))
    assert shown == tables, (shown, tables)
    recorded = {figure["section"] for figure in document["figures"]}
    for section in shown:
        assert section in recorded, section
        figure = DOCS / "figures" / "bench" / f"{section}.svg"
        text = figure.read_text(encoding="utf-8")
        assert len(text) < 150_000, f"{figure} is {len(text)} bytes"
        assert f"Python {document['meta']['python']}, " in text  # the same run's machine
        assert f"start method {document['meta']['start_method']}" in text


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_python_inventory_can_be_regenerated_offline(tmp_path):
    if not _have("sphinx"):
        pytest.skip("sphinx is not installed (pip install -e '.[docs]')")
    output = tmp_path / "python.inv"
    done = subprocess.run(
        [sys.executable, str(DOCS / "tools" / "make_python_inventory.py"), "--generate",
         "--output", str(output)],
        capture_output=True, text=True, timeout=110,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert output.read_bytes().startswith(b"# Sphinx inventory version 2")
    shipped = DOCS / "_intersphinx" / "python3.11.inv"
    done = subprocess.run(
        [sys.executable, str(DOCS / "tools" / "make_python_inventory.py"), "--from",
         str(shipped), "--output", str(tmp_path / "copy.inv")],
        capture_output=True, text=True, timeout=110,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "copy.inv").read_bytes() == shipped.read_bytes()
