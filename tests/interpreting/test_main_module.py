"""Functions and classes of a script's ``__main__`` reach other interpreters by running the
script's top level again there, as ``__mp_main__`` (as spawn does), so the guard matters."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.interpreting.conftest import needs_interpreters

pytestmark = needs_interpreters
ROOT = Path(__file__).parents[2]


def run_script(source: str, timeout: float = 60, name: str = "program.py",
               directory: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``source`` as a script with the checkout importable."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(directory or scratch) / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.run([sys.executable, str(path)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout)


SCRIPT = """
    import sys
    from concurrent import interpreting as backend

    print(f"top level runs as {__name__}", file=sys.stderr)


    class Point:
        def __init__(self, x):
            self.x = x


    def double(point):
        return Point(point.x * 2)


    def producer(results):
        results.put(Point(21))


    if __name__ == "__main__":
        results = backend.Queue()
        worker = backend.Process(target=producer, args=(results,))
        worker.start()
        point = results.get(timeout=10)
        worker.join(10)
        print(type(point) is Point, point.x)
        with backend.Pool(1) as pool:
            print([p.x for p in pool.map(double, [Point(1), Point(2)])])
"""


def test_main_functions_and_classes_cross_both_ways():
    done = run_script(SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True 21", "[2, 4]"]
    # The guard kept the program from running again: the top level ran once as __main__,
    # then once in each interpreter that needed it (the worker, the pool's one) as __mp_main__.
    lines = done.stderr.splitlines()
    assert lines[0] == "top level runs as __main__"
    assert set(lines[1:]) == {"top level runs as __mp_main__"} and len(lines) == 3


def test_a_function_of_python_c_cannot_cross_and_says_why():
    code = textwrap.dedent("""
        from concurrent import interpreting as backend
        def work(): pass
        try:
            backend.Process(target=work).start()
        except Exception as exc:
            print(type(exc).__name__, exc)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("PicklingError ")
    assert "python -c" in done.stdout and "define it in a module" in done.stdout
