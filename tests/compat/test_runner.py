"""``python -m compat SCRIPT``: legacy programs run unchanged, warnings once per call site."""

from __future__ import annotations

import multiprocessing.connection
import textwrap

import pytest

from tests.compat._helpers import LEGACY, START_METHODS, run_python, warnings_in

# program -> (expected stdout, expected {(line, legacy spelling)} warnings, uses processes)
EXPECTED = {
    "camel_threads": ("""\
main thread: MainThread
ping alive after join: False, daemon: False
pong alive after join: False, daemon: False
turns: ping pong ping pong ping pong
timer fired: True
live threads: ['MainThread'] (count 1)
local value: 42
""", {(12, "setName()"), (13, "setDaemon()"), (19, "currentThread()"), (19, "getName()"),
      (27, "notifyAll()"), (33, "currentThread()"), (33, "getName()"), (42, "getName()"),
      (42, "isAlive()"), (42, "isDaemon()"), (50, "isSet()"), (52, "getName()"),
      (53, "activeCount()")}, False),
    "pool_squares": ("""\
map: [0, 1, 4, 9, 16, 25, 36, 49]
mapAsync: [0, 1, 4, 9, 16]
applyAsync: 42
apply: 3
imap: [0, 1, 4, 9]
imapUnordered: [0, 1, 4, 9, 16, 25]
cpus known: True
""", {(19, "processing.Pool.mapAsync()"), (21, "processing.Pool.applyAsync()"),
      (25, "processing.Pool.imapUnordered()"), (28, "processing.cpuCount()")}, True),
    "queue_workers": ("""\
results: [0, 10, 20, 30, 40, 50]
named workers: True
worker-0 exit code 0, alive False, has pid True
worker-1 exit code 0, alive False, has pid True
children left: 0
empty queue raises Empty
main is MainProcess
""", {(10, "processing.currentProcess()"), (10, "processing.Process.getName()"),
      (20, "processing.Process.setName()"), (21, "processing.Process.setDaemon()"),
      (25, "processing.Queue.putNoWait()"), (35, "processing.Process.getName()"),
      (35, "processing.Process.getExitCode()"), (35, "processing.Process.isAlive()"),
      (35, "processing.Process.getPid()"), (36, "processing.activeChildren()"),
      (38, "processing.Queue.getNoWait()"), (42, "processing.Queue.joinThread()"),
      (44, "processing.Queue.joinThread()"), (45, "processing.currentProcess()"),
      (45, "processing.Process.getName()")}, True),
    "queue_benchmark": ("""\
processes: 2000 items, checksum 1999000
threads: 2000 items, checksum 1999000
exit codes: [0, 0]
""", {(31, "processing.Process.getExitCode()"),
      (31, "processing.dummy.Process.getExitCode()")}, True),
    "sync_modes": ("""\
processes: counter 100, exit codes [0, 0]
processes: condition woken
processes: semaphore True True False
threads: counter 100, exit codes [0, 0]
threads: condition woken
threads: semaphore True True False
manager: counter 100, exit codes [0, 0]
manager: condition woken
manager: semaphore True True False
event set: False
""", {(44, "processing.Process.getExitCode()"), (44, "processing.dummy.Process.getExitCode()"),
      (52, "processing.Condition.notifyAll()"), (52, "processing.dummy.Condition.notifyAll()"),
      (73, "processing.Event.isSet()")}, True),
    "custom_manager": ("""\
total: 435
exit codes: [0, 0, 0]
""", {(21, "processing.managers.CreatorMethod()"),
      (39, "processing.Process.getExitCode()")}, True),
    "pool_lifecycle": ("""\
workers: 3, alive: [True, True, True]
applyAsync: ['job0', 'job1', 'job2', 'job3']
imap: [0, 1, 8, 27, 64, 125]
imapUnordered: [0, 1, 8, 27, 64, 125]
chunked map agrees: True
apply: ZeroDivisionError
map: ZeroDivisionError
imap: ZeroDivisionError
next() one by one: [-0.33, -0.5, -1.0, 'error', 1.0, 0.5]
callbacks: [8, 0, 1, 8, 27]
unfinished when idle: 0
get(timeout) raises TimeoutError: True
unfinished with a slow task: 1
terminated
close then join: [1, 8]
""", {(24, "processing.Process.isAlive()"), (25, "processing.Pool.applyAsync()"),
      (28, "processing.Pool.imapUnordered()"), (49, "processing.Pool.applyAsync()"),
      (50, "processing.Pool.mapAsync()"), (54, "processing.Pool.applyAsync()")}, True),
    "authkey_values": ("""\
authkeys: [('Process-1', 'bytes', True), ('Process-2', 'bytes', True), \
('Process-3', 'bytes', True)]
counter 3, table [10, 20, 30]
""" + "".join(f"hello over {family}\n" for family in multiprocessing.connection.families),
        {(12, "processing.currentProcess()"), (13, "processing.Process.getAuthKey()"),
         (13, "processing.Process.getName()"), (14, "processing.Synchronized.getlock()"),
         (17, "processing.Synchronized.getobj()"), (20, "processing.Synchronized.getlock()"),
         (21, "processing.Synchronized.getobj()"), (22, "processing.Synchronized.getlock()"),
         (41, "processing.Process.getAuthKey()"), (41, "processing.currentProcess()"),
         (54, "processing.Queue.jointhread()")}, True),
}
# Programs that compat.migrate cannot finish alone: as EXPECTED, plus the lines it reports.
NEEDS_A_PERSON = {
    "shelf_manager": ("""\
added: 1 2
shelf: ['cup', 'jar'], methods ['add', 'peek']
by name: ['cup', 'jar']
unexposed: RemoteError
view: [] 0, methods ['peek', '_count']
ticket: 7, methods ['number']
countdown: [3, 2, 1]
plain: 2 1
""", {(46, "processing.managers.BaseProxy._callMethod()"),
      (50, "processing.managers.CreatorMethod()"), (51, "processing.managers.CreatorMethod()"),
      (52, "processing.managers.CreatorMethod()"), (53, "processing.managers.CreatorMethod()"),
      (54, "processing.managers.CreatorMethod()"),
      (68, "processing.managers.BaseProxy._callMethod()"),
      (70, "processing.managers.BaseProxy._callMethod()"),
      (78, "processing.managers.BaseProxy._callMethod()"), (83, "processing.freezeSupport()")},
        True, [46, 78, 78]),
    "process_status": ("""\
levels: 0 5 10 20 25
logger level: 25
before start: <Process(Process-1, initial)>
child says: <Process(Process-1, started)>
after join: <Process(Process-1, stopped)>
running: <Process(Process-2, started daemon)>
terminated: <Process(Process-2, stopped[SIGTERM] daemon)>, by SIGTERM: True
main: <_MainProcess(MainProcess, started)>
putmany: ['a', 'b', 'c']
""", {(8, "processing.SUBDEBUG"), (8, "processing.SUBWARNING"),
      (12, "processing.currentProcess()"), (16, "processing.enableLogging()"),
      (17, "processing.getLogger()"), (18, "processing.DEBUG"), (18, "processing.NOTSET"),
      (19, "processing.INFO"), (32, "processing.Process.setDaemon()"),
      (37, "processing.Process.getExitCode()"), (38, "processing.currentProcess()"),
      (41, "processing.Queue.putmany()"), (44, "processing.Queue.canceljoin()"),
      (46, "processing.NOTSET"), (46, "processing.enableLogging()")},
        True, [16, 18, 18, 18, 19, 19, 41, 46]),
}
PROGRAMS = {**EXPECTED, **{name: expected[:3] for name, expected in NEEDS_A_PERSON.items()}}


def _cases():
    for name, (_, _, processes) in PROGRAMS.items():
        for method in START_METHODS if processes else (None,):
            yield pytest.param(name, method, id=f"{name}-{method or 'threads'}")


@pytest.mark.parametrize(("name", "method"), list(_cases()))
def test_legacy_program_runs_unchanged(name, method):
    stdout, warnings, _ = PROGRAMS[name]
    args = [method] if method else []
    result = run_python("-m", "compat", str(LEGACY / f"{name}.py"), *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == stdout, result.stderr
    assert warnings_in(result.stderr) == warnings


def test_each_call_site_warns_once(tmp_path):
    script = tmp_path / "loop.py"
    script.write_text(textwrap.dedent("""\
        import threading
        for _ in range(3):
            threading.currentThread()
        threading.currentThread()
    """))
    result = run_python("-m", "compat", str(script))
    assert result.returncode == 0, result.stderr
    reports = [line for line in result.stderr.splitlines() if "LegacyNameWarning" in line]
    assert reports == [
        f"{script}:3: LegacyNameWarning: currentThread() is deprecated, use current_thread() "
        "instead",
        f"{script}:4: LegacyNameWarning: currentThread() is deprecated, use current_thread() "
        "instead",
    ]


def test_exit_status_argv_and_output_are_the_programs(tmp_path):
    script = tmp_path / "status.py"
    script.write_text("import sys\nprint(sys.argv, __name__)\nsys.exit(7)\n")
    result = run_python("-m", "compat", str(script), "a", "--flag")
    assert result.returncode == 7
    assert result.stdout == f"[{str(script)!r}, 'a', '--flag'] __main__\n"
    assert result.stderr == ""


def test_uncaught_exception_exits_1_with_the_traceback(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text("raise ValueError('bad thing')\n")
    result = run_python("-m", "compat", str(script))
    assert result.returncode == 1
    assert "ValueError: bad thing" in result.stderr


def test_legacy_imports_resolve_to_compat(tmp_path):
    (tmp_path / "helper.py").write_text("import threading\nTHREADING = threading\n")
    script = tmp_path / "imports.py"
    script.write_text(textwrap.dedent("""\
        import processing, processing.dummy, threading, helper
        from processing import currentProcess
        from processing.dummy import Pool
        from threading import currentThread
        import compat.processing, compat.processing.dummy, compat.threading
        print(processing is compat.processing, processing.dummy is compat.processing.dummy)
        print(threading is compat.threading, helper.THREADING is compat.threading)
        print(Pool is compat.processing.dummy.Pool, currentThread is compat.threading.currentThread)
        import multiprocessing.util, sys
        print(sys.modules["threading"] is not compat.threading)
    """))
    result = run_python("-m", "compat", str(script))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "True True\nTrue True\nTrue True\nTrue\n"


def test_unknown_legacy_submodule_names_the_known_ones(tmp_path):
    script = tmp_path / "unknown.py"
    script.write_text("import processing.nothere\n")
    result = run_python("-m", "compat", str(script))
    assert result.returncode == 1
    assert "No module named 'processing.nothere': compat knows the legacy modules" in result.stderr


def test_missing_script_is_a_clear_error(tmp_path):
    result = run_python("-m", "compat", str(tmp_path / "absent.py"))
    assert result.returncode == 1
    assert "can't open file" in result.stderr and "absent.py" in result.stderr


def test_plain_import_follows_standard_warning_filters(tmp_path):
    # Outside the runner, a legacy use in an imported module is silent by Python's defaults,
    # and shown when it comes from __main__.
    (tmp_path / "lib.py").write_text("import compat.threading\ncompat.threading.currentThread()\n")
    script = tmp_path / "main.py"
    script.write_text("import lib, compat.threading\ncompat.threading.activeCount()\n")
    result = run_python(str(script))
    assert result.returncode == 0, result.stderr
    assert warnings_in(result.stderr) == {(2, "activeCount()")}


def test_stand_in_main_refuses_to_run_without_a_script():
    result = run_python("-m", "compat._script")
    assert result.returncode == 1
    assert "COMPAT_LEGACY_SCRIPT is not set" in result.stderr
