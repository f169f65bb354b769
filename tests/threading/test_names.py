"""concurrent.threading has the stdlib threading API under PEP 8 names, and no camelCase at all."""

import re
import subprocess
import sys
import threading

import pytest

import concurrent.threading as backend

CAMEL_CASE = re.compile(r"^_*[a-z]+[A-Z]")
STDLIB_PEP8 = sorted(name for name in threading.__all__ if not CAMEL_CASE.match(name))


def test_no_camel_case_name_in_the_module():
    assert [name for name in dir(backend) if CAMEL_CASE.match(name)] == []
    assert [name for name in backend.__all__ if CAMEL_CASE.match(name)] == []


@pytest.mark.parametrize("name", STDLIB_PEP8)
def test_every_stdlib_pep8_name_is_here(name):
    assert name in backend.__all__
    assert getattr(backend, name) is not None


def test_all_lists_only_existing_names():
    missing = [name for name in backend.__all__ if not hasattr(backend, name)]
    assert missing == []


@pytest.mark.parametrize("cls, hidden, replacement", [
    (backend.Thread, "getName", "name"),
    (backend.Thread, "setName", "name"),
    (backend.Thread, "isDaemon", "daemon"),
    (backend.Thread, "setDaemon", "daemon"),
    (backend.Thread, "isAlive", "is_alive"),
    (backend.Process, "getName", "name"),
    (backend.Timer, "setDaemon", "daemon"),
    (backend.Condition, "notifyAll", "notify_all"),
    (backend.Event, "isSet", "is_set"),
])
def test_camel_case_aliases_are_gone(cls, hidden, replacement):
    instance = cls(1, print) if cls is backend.Timer else cls()
    assert not hasattr(cls, hidden)
    assert not hasattr(instance, hidden)
    assert hidden not in dir(cls) and hidden not in dir(instance)
    with pytest.raises(AttributeError, match=replacement):
        getattr(instance, hidden)


def test_user_subclasses_stay_pep8_only():
    class Mine(backend.Thread):
        def run(self):
            pass

    assert not hasattr(Mine(), "getName")
    assert "run" in dir(Mine()) and "getName" not in dir(Mine())


def test_worker_is_thread():
    assert backend.Worker is backend.Thread
    assert issubclass(backend.Process, backend.Thread)


@pytest.mark.skipif(not hasattr(threading, "settrace_all_threads"), reason="Python 3.12+")
def test_all_threads_hooks_where_python_has_them():
    assert backend.settrace_all_threads is threading.settrace_all_threads
    assert backend.setprofile_all_threads is threading.setprofile_all_threads


def test_import_is_light():
    heavy = ("multiprocessing", "ctypes", "pickle", "concurrent.threading.pool",
             "concurrent.threading.managers", "concurrent.threading.connection")
    code = (f"import sys, concurrent.threading\n"
            f"print([m for m in {heavy!r} if m in sys.modules])")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               timeout=30)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


@pytest.mark.parametrize("name, module", [
    ("Pool", "concurrent.threading.pool"),
    ("Manager", "concurrent.threading"),
    ("Value", "concurrent.threading"),
    ("Array", "concurrent.threading"),
    ("Pipe", "concurrent.threading"),
    ("wait", "concurrent.threading"),
])
def test_lazy_names_resolve_to_the_backend_objects_members(name, module):
    # The module's contract names are the thread backend object's (its class, or its method),
    # each reporting its public module.
    assert getattr(backend, name) == getattr(backend.get_context(), name)
    assert getattr(backend, name).__module__ == module


def test_unknown_attribute_raises_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        backend.no_such_name  # noqa: B018


def test_the_original_excepthook_is_there_to_restore():
    # Tests and tools restore ``threading.excepthook`` from ``__excepthook__``.
    assert backend.__excepthook__ is threading.__excepthook__
    assert "__excepthook__" in dir(backend)


def test_each_timer_gets_fresh_default_arguments():
    first, second = backend.Timer(60, print), backend.Timer(60, print)
    first.args.append("only mine")
    first.kwargs["only"] = "mine"
    assert (second.args, second.kwargs) == ([], {})
