"""``compat.migrate``: legacy code rewritten to concurrent.* names, formatting kept, idempotent."""

from __future__ import annotations

import shutil
import textwrap

import pytest

from compat.migrate import INSTALL_HINT, _legacy_imports, migrate_source  # libcst: imported lazily
from tests.compat._helpers import LEGACY, run_python, warning_lines
from tests.compat.test_runner import EXPECTED, NEEDS_A_PERSON

libcst = pytest.importorskip("libcst", reason="the migrate extra (libcst) is not installed")


def migrate(source: str):
    return migrate_source(textwrap.dedent(source))


def test_module_functions_follow_import_aliases():
    result = migrate("""\
        import threading
        import processing as p
        from threading import currentThread as ct, activeCount
        print(threading.currentThread(), p.currentProcess(), ct(), activeCount())
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent import threading
        from concurrent import processing as p
        from concurrent.threading import current_thread as ct, active_count
        print(threading.current_thread(), p.current_process(), ct(), active_count())
    """)
    assert result.findings == []


def test_methods_getters_and_setters():
    result = migrate("""\
        from threading import Thread, Event, Condition
        t = Thread()
        t.setDaemon(True)   # a daemon
        t.setName('w')
        print(t.getName(), t.isDaemon(), t.isAlive(), Event().isSet())
        Condition().notifyAll()
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent.threading import Thread, Event, Condition
        t = Thread()
        t.daemon = True   # a daemon
        t.name = 'w'
        print(t.name, t.daemon, t.is_alive(), Event().is_set())
        Condition().notify_all()
    """)


def test_setter_inside_an_expression_is_reported_not_rewritten():
    result = migrate("""\
        import threading
        t = threading.Thread()
        x = t.setDaemon(True)
    """)
    assert "x = t.setDaemon(True)" in result.source
    assert [(f.line, f.message.split(" is deprecated")[0]) for f in result.findings] == [
        (3, "setDaemon()")]


def test_processing_modules_and_submodules():
    result = migrate("""\
        import processing.dummy
        from processing import dummy as d, Process
        from processing.connection import Listener, deliverChallenge
        import processing.managers as mgr
        pool = processing.dummy.Pool(2)
        pool.mapAsync(abs, [1]).get()
        deliverChallenge(c, b'k'); d.currentProcess().getPid()
        mgr.BaseManager(address=('', 0)).serveForever()
    """)
    assert result.source == textwrap.dedent("""\
        import concurrent.threading
        from concurrent.processing import Process
        from concurrent import threading as d
        from concurrent.processing.connection import Listener, deliver_challenge
        from concurrent.processing import managers as mgr
        pool = concurrent.threading.Pool(2)
        pool.map_async(abs, [1]).get()
        deliver_challenge(c, b'k'); d.current_process().pid
        mgr.BaseManager(address=('', 0)).get_server().serve_forever()
    """)


def test_creator_method_becomes_register():
    result = migrate("""\
        from processing.managers import BaseManager, CreatorMethod

        class M(BaseManager):
            Foo = CreatorMethod(Foo)  # served type
            Bar = CreatorMethod(Bar, proxytype=BarProxy, typeid='bar')


        m = M()
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent.processing.managers import BaseManager

        class M(BaseManager):
            pass

        M.register('Foo', Foo)
        M.register('bar', Bar, proxytype=BarProxy)


        m = M()
    """)


def test_creator_method_keeps_what_the_class_exposes():
    # 0.52's CreatorMethod read exposed from the callable's __exposed__; register() does not.
    result = migrate("""\
        from processing.managers import BaseManager, CreatorMethod

        class Ticket(object):
            __exposed__ = ('number',)

        class M(BaseManager):
            Ticket = CreatorMethod(Ticket)
            Other = CreatorMethod(Ticket, exposed=('cancel',))
    """)
    assert "M.register('Ticket', Ticket, exposed=Ticket.__exposed__)\n" in result.source
    assert "M.register('Other', Ticket, exposed=('cancel',))\n" in result.source


def test_what_cannot_be_rewritten_is_listed_and_keeps_working_through_compat():
    result = migrate("""\
        from processing import LocalManager, enableLogging, Queue
        m = LocalManager()
        enableLogging(10, MyHandler)
        enableLogging(20)
        q = Queue()
        q.putMany([1, 2])
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent.processing import log_to_stderr, Queue
        from compat.processing import LocalManager, enableLogging
        m = LocalManager()
        enableLogging(10, MyHandler)
        log_to_stderr(20)
        q = Queue()
        q.putMany([1, 2])
    """)
    assert [f.line for f in result.findings] == [2, 3, 6]
    assert "call put() for each item" in result.findings[2].message


def test_authkey_getter_keeps_a_value_that_can_be_sent():
    result = migrate("""\
        import processing
        q = processing.Queue()
        q.put(processing.currentProcess().getAuthKey())
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent import processing
        q = processing.Queue()
        q.put(bytes(processing.current_process().authkey))
    """)
    assert result.findings == []


def test_objects_from_submodules_get_their_package_s_renames():
    result = migrate("""\
        from processing.sharedctypes import Value
        v = Value('i', 1)
        with v.getlock():
            v.getobj().value += 1
    """)
    assert "with v.get_lock():\n    v.get_obj().value += 1\n" in result.source
    assert result.findings == []


def test_logging_levels_are_reported_for_their_new_module():
    result = migrate("""\
        import processing
        from processing import SUBWARNING
        processing.enableLogging(level=processing.NOTSET)
        print(SUBWARNING)
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent import processing
        from compat.processing import SUBWARNING
        processing.log_to_stderr(level=processing.NOTSET)
        print(SUBWARNING)
    """)
    assert [(f.line, f.message) for f in result.findings] == [
        (3, "processing.NOTSET is deprecated, use logging.NOTSET instead; rewrite this use by "
            "hand"),
        (4, "processing.SUBWARNING is deprecated, use multiprocessing.util.SUBWARNING instead; "
            "left to run through compat")]


def test_call_method_next_gets_its_python3_name_and_a_finding():
    result = migrate("""\
        from processing.managers import BaseProxy

        class GeneratorProxy(BaseProxy):
            def __next__(self):
                return self._callMethod("next")

            def other(self):
                return self._callMethod('f', (1,))
    """)
    assert 'return self._callmethod("__next__")' in result.source
    assert "return self._callmethod('f', (1,))" in result.source
    assert [(f.line, f.message) for f in result.findings] == [
        (5, "processing.managers.BaseProxy._callMethod('next') now calls '__next__': expose "
            "'__next__' (in the proxy type's _exposed_ or register()'s exposed=), as a manager "
            "exposes only public methods unless told")]


def test_unknown_module_attribute_is_reported():
    result = migrate("import threading\nthreading._sleep(1)\n")
    assert [f.line for f in result.findings] == [2]
    assert "threading._sleep has no equivalent in concurrent.threading" in \
        result.findings[0].message


def test_star_import_is_reported_and_left_alone():
    source = "from processing import *\np = Process()\n"
    result = migrate_source(source)
    assert result.source == source
    assert [f.line for f in result.findings] == [1]
    assert "import them by name" in result.findings[0].message


def test_code_without_legacy_imports_is_untouched():
    source = "import os\nt.getName()  # not traced to a legacy module\n"
    assert migrate_source(source).source == source


def test_rerunning_changes_nothing():
    once = migrate_source((LEGACY / "queue_workers.py").read_text()).source
    assert migrate_source(once).source == once


def test_cli_modes(tmp_path):
    target = tmp_path / "prog.py"
    original = "import threading\nprint(threading.currentThread().getName())\n"
    target.write_text(original)

    listed = run_python("-m", "compat.migrate", str(tmp_path))
    assert (listed.returncode, listed.stdout) == (0, f"would rewrite {target}\n")
    assert target.read_text() == original

    diff = run_python("-m", "compat.migrate", str(target), "--diff")
    assert diff.returncode == 0
    assert "-print(threading.currentThread().getName())" in diff.stdout
    assert "+print(threading.current_thread().name)" in diff.stdout

    written = run_python("-m", "compat.migrate", str(target), "--write")
    assert (written.returncode, written.stdout) == (0, f"rewrote {target}\n")
    assert target.read_text() == ("from concurrent import threading\n"
                                  "print(threading.current_thread().name)\n")
    again = run_python("-m", "compat.migrate", str(target), "--write")
    assert (again.returncode, again.stdout) == (0, "")


def test_cli_reports_findings_with_file_and_line(tmp_path):
    target = tmp_path / "prog.py"
    target.write_text("from processing import LocalManager\n\nm = LocalManager()\n")
    result = run_python("-m", "compat.migrate", str(target))
    assert result.stderr.startswith(f"{target}:3: processing.LocalManager() is deprecated")


def test_cli_rejects_bad_paths_and_unparsable_files(tmp_path):
    missing = run_python("-m", "compat.migrate", str(tmp_path / "nope.py"))
    assert missing.returncode == 1
    assert "no such file or directory" in missing.stderr and "nope.py" in missing.stderr
    broken = tmp_path / "broken.py"
    broken.write_text("import threading\ndef (:\n")
    result = run_python("-m", "compat.migrate", str(broken), "--write")
    assert result.returncode == 1
    assert f"{broken}: cannot parse, left unchanged" in result.stderr
    assert broken.read_text() == "import threading\ndef (:\n"


def test_without_libcst_it_says_how_to_install(tmp_path):
    # A None entry in sys.modules makes `import libcst` fail, as when the extra is missing.
    result = run_python("-c", "import sys; sys.modules['libcst'] = None; "
                              "from compat.migrate import main; main(['x.py'])")
    assert result.returncode == 1
    assert INSTALL_HINT in result.stderr
    assert "compat.migrate needs libcst" in result.stderr


def _migrated_cases():
    for name, (_, _, processes) in EXPECTED.items():
        yield pytest.param(name, "spawn" if processes else None, id=name)


@pytest.mark.parametrize(("name", "method"), list(_migrated_cases()))
def test_migrated_program_runs_plainly_with_same_output_and_no_warning(tmp_path, name, method):
    copy = tmp_path / f"{name}.py"
    shutil.copy(LEGACY / f"{name}.py", copy)
    migrated = run_python("-m", "compat.migrate", str(copy), "--write")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stderr == ""  # nothing left for a person to do
    text = copy.read_text()
    assert _legacy_imports(libcst.parse_module(text)) == set()
    assert "import compat" not in text and "from compat" not in text
    result = run_python("-W", "default", str(copy), *([method] if method else []))
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED[name][0], result.stderr
    assert warning_lines(result.stderr) == []


@pytest.mark.parametrize("name", sorted(NEEDS_A_PERSON))
def test_what_a_program_needs_from_a_person_is_reported_by_line(name):
    result = migrate_source((LEGACY / f"{name}.py").read_text())
    assert [finding.line for finding in result.findings] == NEEDS_A_PERSON[name][3]
    assert migrate_source(result.source).source == result.source  # rerunning changes nothing
