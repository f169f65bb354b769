"""The examples run and print what they promise, on every backend they claim to support."""

import os
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
THREADING_IMPORT = "from concurrent import threading as backend"
PROCESSING_IMPORT = "from concurrent import processing as backend"
BACKEND_SWITCH_NAMES = ("Queue", "Lock", "Value", "Process", "Pool", "set_start_method")
MAIN_GUARD = 'if __name__ == "__main__":\n    main()\n'

BACKEND_SWITCH_OUTPUT = [
    "producers: 4",
    "numbers produced: 1000",
    "numbers consumed: 1000",
    "primes found: 168",
]


def _missing_names(module_name: str, names) -> list[str]:
    try:
        module = __import__(module_name, fromlist=["_"])
    except ImportError:
        return list(names)
    missing = []
    for name in names:
        try:
            getattr(module, name)
        except Exception:  # a lazily loaded name whose module is not there yet
            missing.append(name)
    return missing


def _run(script: pathlib.Path) -> list[str]:
    # The checkout goes first on the path, so the example imports this tree's backends also
    # where the project is not installed.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(EXAMPLES.parent), env.get("PYTHONPATH")]))
    completed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                               timeout=50, cwd=EXAMPLES.parent, env=env)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    return completed.stdout.splitlines()


@pytest.mark.parametrize("backend, start_method", [
    ("threading", None),
    ("processing", "fork"),
    ("processing", "spawn"),
    ("processing", "forkserver"),
])
def test_backend_switch_runs_on_both_backends(backend, start_method, tmp_path):
    source = (EXAMPLES / "backend_switch.py").read_text()
    import_lines = [line for line in source.splitlines() if line.startswith(THREADING_IMPORT)]
    assert len(import_lines) == 1, "the example must switch backends with exactly one import line"
    assert source.endswith(MAIN_GUARD)
    if backend == "processing":
        missing = _missing_names("concurrent.processing", BACKEND_SWITCH_NAMES)
        if missing:
            pytest.skip(f"concurrent.processing does not provide {', '.join(missing)} yet")
        source = source.replace(THREADING_IMPORT, PROCESSING_IMPORT, 1)
        # The start method is the test's choice, not the example's: set it before main() runs.
        source = source.replace(
            MAIN_GUARD,
            f'if __name__ == "__main__":\n    backend.set_start_method({start_method!r})\n'
            "    main()\n")
    script = tmp_path / "backend_switch.py"
    script.write_text(source)
    assert _run(script) == BACKEND_SWITCH_OUTPUT
