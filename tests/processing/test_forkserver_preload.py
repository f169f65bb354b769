"""The fork server preloads our modules for our children, after the user's own preload list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from multiprocessing import forkserver

import pytest

import concurrent.processing as processing
from concurrent.processing import _forkserver

pytestmark = pytest.mark.skipif("forkserver" not in processing.get_all_start_methods(),
                                reason="this platform has no forkserver start method")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "forkserver_probe.py")
OURS = ("concurrent.processing", "concurrent.processing.process", "concurrent.processing.queues",
        "concurrent.processing._pool.worker")


def _probe(first: str, *preload: str) -> dict:
    """Run the probe in a fresh interpreter (its own fork server); its JSON report."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, PROBE, first, *preload], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["first_exitcode"] == 0 and result["exitcode"] == 0
    return result["preloaded"]


@pytest.fixture
def server(monkeypatch):
    """multiprocessing's fork server object, its preload settings restored afterwards."""
    server = forkserver._forkserver
    monkeypatch.setattr(server, "_preload_modules", list(server._preload_modules))
    if hasattr(server, "_preload_on_error"):  # 3.15+
        monkeypatch.setattr(server, "_preload_on_error", server._preload_on_error)
    return server


def test_a_server_our_process_started_has_our_modules():
    preloaded = _probe("ours")
    assert all(preloaded[name] for name in OURS), preloaded


def test_a_server_multiprocessing_started_does_not():
    """The control: a child that unpickles nothing of ours does not import our modules."""
    preloaded = _probe("stdlib")
    assert not any(preloaded[name] for name in OURS), preloaded


def test_the_users_preload_is_kept_and_a_missing_module_breaks_nothing():
    preloaded = _probe("ours", "__main__", "colorsys", "no_such_module_to_preload")
    assert preloaded["colorsys"], preloaded  # the user's module: preloaded as they asked
    assert all(preloaded[name] for name in OURS), preloaded


def test_ours_go_after_the_users_once_without_changing_their_list(server):
    theirs = ["__main__", "colorsys"]
    processing.set_forkserver_preload(theirs)
    _forkserver.add_ours()
    _forkserver.add_ours()
    assert server._preload_modules == [*theirs, *_forkserver.PRELOAD]
    assert theirs == ["__main__", "colorsys"]


def test_nothing_is_added_when_the_user_chose_to_hear_about_failures(server, monkeypatch):
    """3.15's on_error="warn"/"fail": a module of ours must not warn or fail in their place."""
    processing.set_forkserver_preload(["__main__"])  # on 3.15 this resets on_error: first
    monkeypatch.setattr(server, "_preload_on_error", "fail", raising=False)
    _forkserver.add_ours()
    assert server._preload_modules == ["__main__"]
