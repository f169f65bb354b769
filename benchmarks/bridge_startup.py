"""What the namespace bridge adds to every interpreter start-up (``python -c pass``).

Builds the wheel, installs it into a fresh venv per interpreter, then times ``python -c pass``
with the bridge's ``.pth`` present and with it renamed away, interleaved, and prints the medians.

    python benchmarks/bridge_startup.py [--runs 200] [PYTHON ...]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.bridge import venvs


def time_start(python: Path) -> float:
    begin = time.perf_counter()
    subprocess.run([str(python), "-c", "pass"], check=True)
    return time.perf_counter() - begin


def measure(base_python: str, runs: int, workdir: Path) -> tuple[str, float, float]:
    version = subprocess.run(
        [base_python, "-c", "import platform; print(platform.python_version())"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    wheel = venvs.build("wheel", workdir)
    env_dir = workdir / f"venv-{version}"
    subprocess.run([base_python, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    venvs.pip(python, "install", "--no-deps", str(wheel))
    pth = venvs.site_packages(python) / "concurrent_bridge.pth"
    disabled = pth.with_suffix(".disabled")
    with_bridge, without_bridge = [], []
    for _ in range(runs):
        with_bridge.append(time_start(python))
        pth.rename(disabled)
        without_bridge.append(time_start(python))
        disabled.rename(pth)
    return version, statistics.median(with_bridge), statistics.median(without_bridge)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("pythons", nargs="*", default=[sys.executable])
    args = parser.parse_args()
    print(f"{'python':<8} {'with bridge':>12} {'without':>10} {'added':>9}")
    for base in args.pythons:
        with tempfile.TemporaryDirectory() as tmp:
            version, with_ms, without_ms = measure(base, args.runs, Path(tmp))
        print(f"{version:<8} {with_ms * 1e3:>10.2f}ms {without_ms * 1e3:>8.2f}ms "
              f"{(with_ms - without_ms) * 1e3:>+7.2f}ms")


if __name__ == "__main__":
    main()
