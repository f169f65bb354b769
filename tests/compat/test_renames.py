"""The one rename table: every entry is shimmed, worded like CPython, and points at a real name."""

from __future__ import annotations

import importlib
import re

import pytest

from compat import LegacyNameWarning
from compat.renames import MODULES, RENAMES, Kind, by_legacy, for_owner, migration_table
from tests.compat._helpers import run_python


def _ids(entries):
    return [f"{entry.module}.{entry.old}" for entry in entries]


FUNCTIONS = [entry for entry in RENAMES if entry.owner is None]
METHODS = [entry for entry in RENAMES if entry.owner is not None]


def test_messages_read_like_cpythons_own():
    assert by_legacy("threading", "currentThread").message == \
        "currentThread() is deprecated, use current_thread() instead"
    assert by_legacy("threading", "Thread.getName").message == \
        "getName() is deprecated, get the name attribute instead"
    assert by_legacy("threading", "Thread.setDaemon").message == \
        "setDaemon() is deprecated, set the daemon attribute instead"
    assert by_legacy("processing", "currentProcess").message == \
        "processing.currentProcess() is deprecated, use concurrent.processing.current_process() " \
        "instead"
    assert by_legacy("processing", "Queue.putNoWait").message == \
        "processing.Queue.putNoWait() is deprecated, use put_nowait() instead"
    assert by_legacy("pprocess", "pmap").message == \
        "pprocess.pmap() is deprecated, use concurrent.processing.Pool.imap() instead"
    assert by_legacy("pprocess", "get_number_of_cores").message == \
        "pprocess.get_number_of_cores() is deprecated, use concurrent.processing.cpu_count() " \
        "instead"


def test_entries_are_unique():
    keys = [(entry.module, entry.old) for entry in RENAMES]
    assert len(keys) == len(set(keys))


def test_unknown_name_is_a_clear_error():
    with pytest.raises(KeyError, match="no legacy name 'getname' in module 'threading'"):
        by_legacy("threading", "getname")


@pytest.mark.parametrize("legacy", sorted(MODULES))
def test_every_legacy_module_has_a_shim_and_a_target(legacy):
    importlib.import_module(f"compat.{legacy}")
    importlib.import_module(MODULES[legacy])


@pytest.mark.parametrize("entry", FUNCTIONS, ids=_ids(FUNCTIONS))
def test_functions_are_shimmed_and_their_replacement_exists(entry):
    shim_module = importlib.import_module(f"compat.{entry.module}")
    if entry.kind is Kind.CONSTANT:  # a value, which warns when read
        with pytest.warns(LegacyNameWarning, match=f"^{re.escape(entry.message)}$"):
            value = getattr(shim_module, entry.old)
        assert value == getattr(importlib.import_module(entry.new_module), entry.new)
        return
    assert callable(getattr(shim_module, entry.old))
    if entry.kind is not Kind.MANUAL:
        new_module = importlib.import_module(entry.new_module)
        owner, _, name = entry.new.rpartition(".")
        assert hasattr(new_module, owner or name), f"{entry.new_module} lacks {entry.new}"
        if owner:  # "Pool.imap": Pool is a factory, as in multiprocessing; its class is pool.Pool
            cls = getattr(importlib.import_module(f"{entry.new_module}.{owner.lower()}"), owner)
            assert hasattr(cls, name), f"{cls} lacks {name}"


def _compat_class(entry):
    shim_module = importlib.import_module(f"compat.{entry.module}")
    owner = entry.owner
    if owner == "Connection":  # connections live in the connection submodule
        shim_module = importlib.import_module(f"compat.{entry.module}.connection")
    if owner == "Synchronized":  # the stdlib's wrapper, given the legacy methods when made
        return type(shim_module.Value("i", 0))
    return getattr(shim_module, owner)


@pytest.mark.parametrize("entry", METHODS, ids=_ids(METHODS))
def test_methods_are_shimmed_and_their_replacement_exists(entry):
    cls = _compat_class(entry)
    assert entry.name in vars(cls), f"{cls} lacks the legacy method {entry.name}"
    if entry.kind is Kind.MANUAL:
        return
    new_class = cls.__mro__[1]  # the concurrent.* class the legacy one extends
    first = entry.new.split("().")[0]
    assert hasattr(new_class, first), f"{new_class} lacks {first}"


def test_for_owner_lists_the_methods_of_one_class():
    names = {entry.name for entry in for_owner("threading", "Thread")}
    assert names == {"getName", "setName", "isDaemon", "setDaemon", "isAlive"}


def test_migration_table_rows_cover_every_entry_and_module():
    rows = migration_table()
    assert len(rows) == len(RENAMES) + len(MODULES)
    assert ("threading.currentThread()", "concurrent.threading.current_thread()", "") in rows
    assert ("processing.Process.getPid()", "Process.pid", "") in rows
    assert ("import processing.dummy", "import concurrent.threading", "") in rows
    assert any(old == "processing.LocalManager()" and new == "(by hand)" and note
               for old, new, note in rows)


def test_the_table_prints_for_the_docs():
    result = run_python("-m", "compat.renames")
    assert result.returncode == 0, result.stderr
    assert "threading.currentThread() | concurrent.threading.current_thread() | " in \
        result.stdout.splitlines()
