"""The seed examples (PEP 371's Manager pid list, the palindrome Pool.map, the Pipe prime sieve)
run unchanged on the cluster, and on threads by changing only their import line."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "examples" / "seeds"
IMPORT = "from concurrent import distributed as backend"
EXPECTED = {
    "manager_pids.py": ["4 workers appended their pid", "every entry is a pid: True"],
    "palindromes.py": ["palindromes: level, racecar, rotor, stats, noon"],
    "prime_sieve.py": ["primes up to 40: 2 3 5 7 11 13 17 19 23 29 31 37"],
}


def _run(script: pathlib.Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONCURRENT_DISTRIBUTED_SCHEDULER", None)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=100, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_example_runs_on_the_cluster(name):
    assert IMPORT in (SEEDS / name).read_text()
    assert _run(SEEDS / name) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_one_import_moves_it_to_threads(name, tmp_path):
    source = (SEEDS / name).read_text()
    moved = tmp_path / name
    moved.write_text(source.replace(IMPORT, "from concurrent import threading as backend", 1))
    assert _run(moved) == EXPECTED[name]
