"""The seed examples and the backend-switch example run on interpreters by changing one import."""

import os
import pathlib
import subprocess
import sys

import pytest

from tests.interpreting.conftest import needs_interpreters

pytestmark = needs_interpreters
ROOT = pathlib.Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
EXPECTED = {
    "manager_pids.py": ["4 workers appended their pid", "every entry is a pid: True"],
    "palindromes.py": ["palindromes: level, racecar, rotor, stats, noon"],
    "prime_sieve.py": ["primes up to 40: 2 3 5 7 11 13 17 19 23 29 31 37"],
}
INTERPRETING = "from concurrent import interpreting as backend"


def _run(script: pathlib.Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=100, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_one_import_moves_a_seed_example_to_interpreters(name, tmp_path):
    source = (SEEDS / name).read_text()
    line = "from concurrent import distributed as backend"
    assert line in source
    moved = tmp_path / name
    moved.write_text(source.replace(line, INTERPRETING, 1))
    assert _run(moved) == EXPECTED[name]


def test_the_backend_switch_example_runs_on_interpreters(tmp_path):
    source = (ROOT / "examples" / "backend_switch.py").read_text()
    line = "from concurrent import threading as backend"
    assert source.count(line) == 1
    moved = tmp_path / "backend_switch.py"
    moved.write_text(source.replace(line, INTERPRETING, 1))
    assert _run(moved) == ["producers: 4", "numbers produced: 1000", "numbers consumed: 1000",
                           "primes found: 168"]
