"""Shared by the compat tests: run programs in a child interpreter and read its warnings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

LEGACY = Path(__file__).parent / "legacy"
ROOT = Path(__file__).parents[2]
START_METHODS = ("fork", "spawn", "forkserver")
# Every legacy program below runs in a few seconds; the bound keeps a hang from eating the suite.
RUN_TIMEOUT = 50

_WARNING = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<category>\w+): (?P<message>.*)$")


def clean_env() -> dict[str, str]:
    """The environment without inherited warning settings, so each run starts from defaults.

    The checkout comes first on ``PYTHONPATH``: ``python -m compat`` puts the script's directory
    in ``sys.path[0]``, so without it a spawn or forkserver child would import ``compat`` from
    wherever the package is installed, not the code under test.
    """
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    env.pop("COMPAT_LEGACY_SCRIPT", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_python(*args: str, cwd: str | os.PathLike | None = None) -> subprocess.CompletedProcess:
    """``python ARGS`` in a child interpreter, bounded, output captured as text."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, env=clean_env(), cwd=cwd)


def warnings_in(stderr: str, category: str = "LegacyNameWarning") -> set[tuple[int, str]]:
    """The distinct (line, legacy spelling) pairs of ``category`` warnings printed on stderr."""
    found = set()
    for text in stderr.splitlines():
        match = _WARNING.match(text)
        if match and match["category"] == category:
            found.add((int(match["line"]), match["message"].split(" is deprecated")[0]))
    return found


def warning_lines(stderr: str) -> list[str]:
    """Every line of stderr that reports a warning of any category."""
    return [text for text in stderr.splitlines()
            if (match := _WARNING.match(text)) and match["category"].endswith("Warning")]
