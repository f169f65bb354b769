"""The extra: without it, a clear ImportError; with it, nothing imports Dask until used."""

import subprocess
import sys

import pytest

from tests.conformance._helpers import JOIN_TIMEOUT


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)


def test_import_without_the_extra_names_it():
    out = _run("import sys; sys.modules['distributed'] = None\n"
               "try:\n    import concurrent.distributed\n"
               "except ImportError as exc:\n    print(exc)\n")
    assert out.returncode == 0, out.stderr
    assert "pip install 'concurrent-pep371[distributed]'" in out.stdout


def test_import_concurrent_and_other_backends_never_import_dask():
    out = _run("import concurrent, concurrent.threading, concurrent.distributed, sys\n"
               "print(sorted(m for m in sys.modules if m.split('.')[0] in "
               "('dask', 'distributed')))")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_info_shows_the_cluster_without_starting_one():
    out = subprocess.run([sys.executable, "-m", "concurrent", "info"], capture_output=True,
                         text=True, timeout=JOIN_TIMEOUT * 6, check=True)
    line = [text for text in out.stdout.splitlines() if text.startswith("cluster ")]
    assert line and "embedded LocalCluster on 127.0.0.1" in line[0], out.stdout
    assert "started on first use" in line[0]


def test_info_names_the_scheduler_from_the_environment():
    out = subprocess.run([sys.executable, "-m", "concurrent", "info"], capture_output=True,
                         text=True, timeout=60, check=True,
                         env={**__import__("os").environ,
                              "CONCURRENT_DISTRIBUTED_SCHEDULER": "tls://10.1.2.3:8786"})
    assert "scheduler tls://10.1.2.3:8786 (from $CONCURRENT_DISTRIBUTED_SCHEDULER)" in out.stdout


@pytest.mark.parametrize("name", ["Queue", "Lock", "Pool", "Process", "Event", "Connection"])
def test_public_objects_report_the_public_module(cluster, name):
    module = getattr(cluster, name).__module__
    assert module.startswith("concurrent.distributed")
    assert not any(part.startswith("_") for part in module.split(".")), module
