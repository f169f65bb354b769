"""Programs written for processes run unchanged on every backend, by changing one import."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conformance.backends import BACKENDS

PROGRAMS = Path(__file__).parent / "programs"
ROOT = Path(__file__).parents[2]
MODULES = sorted({param.values[0]().module.__name__ for param in BACKENDS})


@pytest.mark.parametrize("module", MODULES)
def test_a_grep_that_sets_the_start_method_gives_the_same_output(module, tmp_path):
    files = []
    for index in range(12):
        path = tmp_path / f"file{index:02d}.txt"
        path.write_text("".join(f"line {n} of {index}{' needle' * (n % 5 == index % 5)}\n"
                                for n in range(40)), encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        [sys.executable, str(PROGRAMS / "grep_files.py"), module, "needle", *files],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    expected = [f"{path}:{n + 1}:line {n} of {index} needle"
                for index, path in enumerate(files) for n in range(40) if n % 5 == index % 5]
    assert done.stdout.splitlines() == expected
