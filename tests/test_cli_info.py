"""``python -m concurrent info``: what a bug report or a benchmark needs to name the machine."""

import multiprocessing
import os
import platform
import subprocess
import sys

import pytest

from concurrent.__main__ import format_info, main
from concurrent._shared import __version__


def test_info_names_version_python_cpus_and_start_methods():
    text = format_info()
    assert text.splitlines()[0] == f"concurrent {__version__}"
    assert f"Python {platform.python_version()} (CPython, GIL)" in text
    assert f"cpu_count: {os.cpu_count()}" in text
    assert f"start methods: {', '.join(multiprocessing.get_all_start_methods())}" in text
    default = multiprocessing.get_context().get_start_method()
    assert f"default start method: {default}" in text
    for backend in ("concurrent.threading", "concurrent.processing"):
        assert f"  {backend}: " in text


def test_info_command_runs_as_module(tmp_path):
    out = subprocess.run([sys.executable, "-m", "concurrent", "info"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.startswith(f"concurrent {__version__}\n")


def test_unknown_command_and_extra_arguments_are_rejected(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["frobnicate"])
    assert excinfo.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["info", "--bogus"])
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
