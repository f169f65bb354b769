"""Build this project into throw-away virtual environments, the way users install it.

The wheels are built in-process with hatchling (a ``dev`` dependency), so no network is needed;
``pip`` in the fresh venv then installs them exactly as ``pip install .`` / ``pip install -e .``
would.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(kind: str, out_dir: Path) -> Path:
    """Build a ``wheel`` or ``editable`` wheel of the checkout into ``out_dir``; return its path."""
    code = (
        "import sys, hatchling.build as b; "
        f"print(b.build_{kind}(sys.argv[1]))"
    )
    name = subprocess.run(
        [sys.executable, "-c", code, str(out_dir)],
        cwd=ROOT, check=True, capture_output=True, text=True, timeout=120,
    ).stdout.strip().splitlines()[-1]
    return out_dir / name


def make_venv(path: Path) -> Path:
    """Create a fresh venv with pip; return its interpreter."""
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path / "bin" / "python"


def pip(python: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", "-q", *args],
        check=True, capture_output=True, text=True, timeout=180,
        env={**os.environ, "PIP_NO_INDEX": "1"},
    )


def site_packages(python: Path) -> Path:
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, timeout=60,
    )
    return Path(out.stdout.strip())
