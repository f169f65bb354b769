"""The namespace bridge in each install mode: wheel, editable, and a plain checkout.

Every mode must import ``concurrent.futures`` beside our subpackages in either order, in the
parent and in spawn/forkserver children.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bridge import venvs

ROOT = venvs.ROOT
PROBE = Path(__file__).with_name("probe.py")
ORDERS = ("stdlib-first", "ours-first")
BRIDGE_FILES = ("_concurrent_bridge.py", "concurrent_bridge.pth", "concurrent_bridge.start")


def run_probe(python, order, *flags, cwd, as_module=False):
    target = ["-m", "tests.bridge.probe"] if as_module else [str(PROBE)]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COV_CORE_SOURCE")}
    out = subprocess.run(
        [str(python), *flags, *target, order],
        cwd=cwd, env=env, check=True, capture_output=True, text=True, timeout=120,
    )
    return json.loads(out.stdout)


def assert_imports_from(report, expected_dir):
    """Our subpackages come from ``expected_dir``; ``concurrent.futures`` from the stdlib."""
    stdlib_futures = Path(subprocess.run(
        [sys.executable, "-S", "-c", "import concurrent.futures as f; print(f.__file__)"],
        cwd="/", check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip())
    files = report["files"]
    assert Path(files.pop("concurrent.futures")).name == stdlib_futures.name
    interpreters = files.pop("concurrent.interpreters", None)  # the stdlib's, 3.14+
    if sys.version_info >= (3, 14):
        assert Path(interpreters).parent == stdlib_futures.parent.parent / "interpreters"
    for name, path in files.items():
        assert Path(path).is_relative_to(expected_dir), (name, path, expected_dir)
    for method, result in report["children"].items():
        assert isinstance(result, list), f"{method} child failed: {result}"
        ours, futures = map(Path, result)
        assert ours.is_relative_to(expected_dir), (method, ours)
        assert futures.name == "__init__.py" and futures.parent.name == "futures"


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    wheel = venvs.build("wheel", base)
    python = venvs.make_venv(base / "venv")
    venvs.pip(python, "install", "--no-deps", str(wheel))
    return python


@pytest.fixture(scope="module")
def editable_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("editable")
    wheel = venvs.build("editable", base)
    python = venvs.make_venv(base / "venv")
    venvs.pip(python, "install", "--no-deps", str(wheel))
    return python


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("flags", [(), ("-I",), ("-s",)], ids=["plain", "isolated", "no-user-site"])
def test_wheel_install(wheel_env, order, flags, tmp_path):
    site = venvs.site_packages(wheel_env)
    report = run_probe(wheel_env, order, *flags, cwd=tmp_path)
    assert_imports_from(report, site / "concurrent")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_wheel_contents(wheel_env):
    site = venvs.site_packages(wheel_env)
    for name in BRIDGE_FILES:
        assert (site / name).is_file(), name
    assert (site / "concurrent" / "py.typed").is_file()
    assert (site / "compat" / "__init__.py").is_file()
    # The checkout-only __init__ must not ship: the stdlib's concurrent package stays in charge.
    assert not (site / "concurrent" / "__init__.py").exists()


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize("order", ORDERS)
def test_editable_install(editable_env, order, tmp_path):
    report = run_probe(editable_env, order, cwd=tmp_path)
    assert_imports_from(report, ROOT / "concurrent")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_uninstall_leaves_nothing_behind(tmp_path):
    wheel = venvs.build("wheel", tmp_path)
    python = venvs.make_venv(tmp_path / "venv")
    venvs.pip(python, "install", "--no-deps", str(wheel))
    venvs.pip(python, "uninstall", "-y", "concurrent-pep371")
    site = venvs.site_packages(python)
    leftovers = [name for name in (*BRIDGE_FILES, "concurrent", "compat") if (site / name).exists()]
    assert leftovers == []
    check = subprocess.run(
        [str(python), "-c", "import concurrent.futures\n"
         "try:\n import concurrent.processing\nexcept ImportError:\n print('gone')"],
        cwd=tmp_path, check=True, capture_output=True, text=True, timeout=60,
    )
    assert check.stdout.strip() == "gone"


@pytest.mark.parametrize("order", ORDERS)
def test_checkout_without_site_packages(order):
    # -S: no site-packages, so nothing installed can help; only the checkout's own bridge works.
    report = run_probe(sys.executable, order, "-S", cwd=ROOT, as_module=True)
    assert_imports_from(report, ROOT / "concurrent")


@pytest.mark.timeout(180)
@pytest.mark.parametrize("pytest_args", [
    ["-m", "pytest"],
    ["-c", "import sys, pytest; sys.exit(pytest.console_main())"],
    ["-m", "pytest", "--import-mode=importlib"],
    ["-m", "pytest", "-p", "asyncio"],
], ids=["python-m-pytest", "console-script", "importlib-mode", "asyncio-preimported"])
def test_pytest_from_checkout(pytest_args):
    probe = "tests/bridge/checkout_probe.py"
    out = subprocess.run(
        [sys.executable, *pytest_args, "-q", "-p", "no:cacheprovider", probe],
        cwd=ROOT, capture_output=True, text=True, timeout=150,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed" in out.stdout
