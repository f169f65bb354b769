"""Each package's public names come from its one export table: ``__all__``, ``dir()``, lazy
loading and the type stubs agree, and every public object reports its public module."""

import importlib
import importlib.util
import pickle
import subprocess
import sys
import types
from pathlib import Path

import pytest

from concurrent._shared._machinery import stubs
from concurrent._shared._machinery.exports import available

ROOT = Path(__file__).parents[1]
PUBLIC_MODULES = [
    "concurrent._shared", "concurrent.threading", "concurrent.threading.connection",
    "concurrent.threading.managers", "concurrent.threading.pool",
    "concurrent.threading.sharedctypes", "concurrent.processing",
    "concurrent.processing.connection", "concurrent.processing.context",
    "concurrent.processing.managers", "concurrent.processing.pool",
    "concurrent.processing.process", "concurrent.processing.queues",
    "concurrent.processing.shared_memory", "concurrent.processing.sharedctypes",
    "concurrent.processing.synchronize", "compat",
]
# concurrent.distributed imports only with its extra ([distributed]) installed, and
# concurrent.interpreting only on Python 3.14+ (tests/interpreting checks its ImportError before).
HAVE_DISTRIBUTED = importlib.util.find_spec("distributed") is not None
HAVE_INTERPRETERS = sys.version_info >= (3, 14)
PACKAGES = [package for package in stubs.PACKAGES
            if (package != "concurrent.distributed" or HAVE_DISTRIBUTED)
            and (package != "concurrent.interpreting" or HAVE_INTERPRETERS)]
if HAVE_DISTRIBUTED:
    PUBLIC_MODULES += [
        "concurrent.distributed", "concurrent.distributed.connection",
        "concurrent.distributed.managers", "concurrent.distributed.pool",
        "concurrent.distributed.sharedctypes",
    ]
if HAVE_INTERPRETERS:
    PUBLIC_MODULES += [
        "concurrent.interpreting", "concurrent.interpreting.connection",
        "concurrent.interpreting.managers", "concurrent.interpreting.pool",
        "concurrent.interpreting.sharedctypes",
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_stub_is_generated_from_the_export_table(package):
    with open(stubs.stub_path(package), encoding="utf-8") as file:
        assert file.read() == stubs.current_stub(package), (
            "stale stub: run python -m concurrent._shared._machinery.stubs")


@pytest.mark.parametrize("package", PACKAGES)
def test_all_and_dir_are_the_table(package):
    module = importlib.import_module(package)
    assert module.__all__ == available(module._EXPORTS)
    assert dir(module) == sorted(module.__all__)
    assert "TYPE_CHECKING" not in dir(module)
    for name in module.__all__:
        assert getattr(module, name) is not None, name


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_a_package_loads_nothing_of_its_table(package):
    code = (f"import sys, {package} as m\n"
            f"print(sorted(n for n, e in m._EXPORTS.items() if e.module.startswith('.') and "
            f"'{package}' + e.module in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def _public_objects():
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attribute in module.__all__:
            obj = getattr(module, attribute)
            if not isinstance(obj, types.ModuleType):
                yield name, attribute, obj


@pytest.mark.parametrize("module, name, obj", list(_public_objects()),
                         ids=lambda value: value if isinstance(value, str) else "")
def test_public_objects_report_a_public_module(module, name, obj):
    home = getattr(obj, "__module__", None)
    if home is None or not home.startswith(("concurrent", "compat")):
        return  # a value, or an object the stdlib defines (re-exported as it is)
    parts = home.split(".")
    assert not any(part.startswith("_") for part in parts[1:] if part != "_shared"), home
    if isinstance(obj, type) or isinstance(obj, types.FunctionType):
        # Found where it says it lives: reprs, tracebacks and pickles name a real path.
        found = importlib.import_module(home)
        for part in obj.__qualname__.split("."):
            found = getattr(found, part)
        assert found is obj
        assert pickle.loads(pickle.dumps(obj)) is obj


def test_reprs_name_the_public_class():
    import concurrent.processing as processing
    import concurrent.threading as threading

    assert repr(threading.Semaphore()).startswith("<concurrent.threading.Semaphore at")
    assert repr(threading.Queue()).startswith("<concurrent.threading.Queue object")
    assert str(processing.WorkerLostError) == "<class 'concurrent._shared.WorkerLostError'>"
    assert repr(processing.get_context("spawn").Queue()).startswith(
        "<concurrent.processing.queues.Queue")


@pytest.mark.parametrize("name", [name for name in PUBLIC_MODULES if name != "compat"])
def test_dir_lists_the_documented_names_only(name):
    module = importlib.import_module(name)
    assert dir(module) == sorted(module.__all__)
    assert "TYPE_CHECKING" not in module.__all__
