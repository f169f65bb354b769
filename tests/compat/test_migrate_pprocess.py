"""``compat.migrate`` on pprocess code: the 1:1 uses rewritten, the rest listed and kept working."""

from __future__ import annotations

import multiprocessing
import shutil
import textwrap

import pytest

from compat.migrate import _legacy_imports, migrate_source  # libcst: imported lazily
from tests.compat._helpers import LEGACY, run_python, warning_lines
from tests.compat.test_pprocess import BACKGROUND_COLLECTED, BACKGROUND_STARTED, PROGRAMS

libcst = pytest.importorskip("libcst", reason="the migrate extra (libcst) is not installed")

METHODS = multiprocessing.get_all_start_methods()


def migrate(source: str):
    return migrate_source(textwrap.dedent(source))


def lines_and_names(findings) -> list[tuple[int, str]]:
    return [(f.line, f.message.split(" ")[0]) for f in findings]


def test_pmap_and_cores_become_pool_imap_and_cpu_count():
    result = migrate("""\
        import pprocess

        # squares, four at a time
        squares = pprocess.pmap(square, range(10), limit=4)  # indexable
        for cube in pprocess.pmap(cube_of, items, n):
            print(cube)
        else:
            print("no break")
        print(sum(pprocess.pmap(square, [1, 2])), pprocess.get_number_of_cores())
        wrapped = pprocess.pmap(sequence=items, callable=pprocess.MakeParallel(f), limit=None)
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent import processing

        # squares, four at a time
        with processing.Pool(4) as pool:
            squares = list(pool.imap(square, range(10)))  # indexable
        with processing.Pool(n) as pool:
            for cube in pool.imap(cube_of, items):
                print(cube)
            else:
                print("no break")
        with processing.Pool() as pool:
            print(sum(pool.imap(square, [1, 2])), processing.cpu_count())
        with processing.Pool() as pool:
            wrapped = list(pool.imap(f, items))
    """)
    assert result.findings == []


def test_names_imported_by_name_and_a_return_in_a_function():
    result = migrate("""\
        from pprocess import pmap, get_number_of_cores as cores

        def squares(items):
            return pmap(square, items, limit=cores())
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent import processing

        def squares(items):
            with processing.Pool(processing.cpu_count()) as pool:
                return list(pool.imap(square, items))
    """)


def test_what_has_no_spelling_is_listed_and_runs_through_compat():
    result = migrate("""\
        import pprocess
        from pprocess import Map, pmap

        class Rows(pprocess.Exchange):
            def store_data(self, channel):
                self.rows.append(channel.receive())

        results = Map(limit=2)
        lazy = (x for x in pmap(f, xs))
        squares = pmap(f, xs)
        if pmap(f, xs):
            pprocess.start(g, 1)
    """)
    assert result.source == textwrap.dedent("""\
        from compat import pprocess
        from compat.pprocess import Map, pmap
        from concurrent import processing

        class Rows(pprocess.Exchange):
            def store_data(self, channel):
                self.rows.append(channel.receive())

        results = Map(limit=2)
        lazy = (x for x in pmap(f, xs))
        with processing.Pool() as pool:
            squares = list(pool.imap(f, xs))
        if pmap(f, xs):
            pprocess.start(g, 1)
    """)
    assert lines_and_names(result.findings) == [
        (4, "pprocess.Exchange()"), (8, "pprocess.Map()"), (9, "pprocess.pmap()"),
        (11, "pprocess.pmap()"), (12, "pprocess.start()")]
    assert result.findings[0].message.endswith(
        "watch the Connection ends of your pipes with concurrent.processing.connection.wait() "
        "instead; left to run through compat.pprocess")
    assert "calls it once with plain arguments" in result.findings[2].message


def test_rerunning_changes_nothing_and_lists_what_is_left_again():
    once = migrate_source((LEGACY / "pprocess_exchanges.py").read_text())
    twice = migrate_source(once.source)
    assert twice.source == once.source
    assert [f.message for f in twice.findings] == [f.message for f in once.findings]
    assert len(twice.findings) == 10


def test_pmap_calls_that_cannot_be_rewritten_are_listed():
    source = textwrap.dedent("""\
        import pprocess
        both = pprocess.pmap(f, pprocess.pmap(g, xs))
        spread = pprocess.pmap(*arguments)
        later = lambda: pprocess.pmap(f, xs)
        a = pprocess.pmap(f, xs); b = 2
        while pprocess.pmap(f, xs):
            pass
    """)
    result = migrate_source(source)
    assert result.source == source.replace("import pprocess", "from compat import pprocess")
    assert [f.line for f in result.findings] == [2, 2, 3, 4, 5, 6]


def test_new_names_never_clash_with_the_programs_own():
    result = migrate("""\
        import pprocess
        processing = "busy"
        pool = []
        values = pprocess.pmap(f, pool)
    """)
    assert result.source == textwrap.dedent("""\
        import concurrent.processing
        processing = "busy"
        pool = []
        with concurrent.processing.Pool() as pool2:
            values = list(pool2.imap(f, pool))
    """)


def test_import_forms():
    result = migrate("""\
        import os, pprocess as pp
        from compat import pprocess
        import compat.pprocess

        def work():
            try:
                import pprocess as inner
            except ImportError:
                raise
            return inner.get_number_of_cores()

        pp.pmap(f, xs)
        pprocess.Queue()
        compat.pprocess.exit(channel)
    """)
    assert result.source == textwrap.dedent("""\
        import os
        from concurrent import processing
        from compat import pprocess
        import compat.pprocess

        def work():
            try:
                from concurrent import processing
            except ImportError:
                raise
            return processing.cpu_count()

        with processing.Pool() as pool:
            list(pool.imap(f, xs))
        pprocess.Queue()
        compat.pprocess.exit(channel)
    """)
    assert [f.line for f in result.findings] == [13, 14]


def test_with_pyprocessing_in_the_same_file():
    result = migrate("""\
        import processing
        import pprocess
        queue = processing.Queue()
        print(processing.cpuCount() == pprocess.get_number_of_cores())
    """)
    assert result.source == textwrap.dedent("""\
        from concurrent import processing
        queue = processing.Queue()
        print(processing.cpu_count() == processing.cpu_count())
    """)


def test_a_star_import_is_reported_once_and_left_alone():
    source = "from pprocess import *\nresults = pmap(f, xs)\n"
    result = migrate_source(source)
    assert result.source == source
    assert [f.line for f in result.findings] == [1]
    assert "import them by name" in result.findings[0].message


def test_code_without_pprocess_is_untouched():
    source = "import os\npmap = map\nprint(list(pmap(abs, [-1])))\n"
    assert migrate_source(source).source == source


# -- round trips: migrate the legacy programs, then run them with plain python --------------------

@pytest.mark.parametrize("method", METHODS)
def test_migrated_pmap_program_runs_plainly_with_the_same_output_and_no_warning(tmp_path,
                                                                               method):
    copy = tmp_path / "pprocess_pmap.py"
    shutil.copy(LEGACY / "pprocess_pmap.py", copy)
    migrated = run_python("-m", "compat.migrate", str(copy), "--write")
    assert (migrated.returncode, migrated.stderr) == (0, "")  # nothing left for a person
    text = copy.read_text()
    assert _legacy_imports(libcst.parse_module(text)) == set()
    assert "import compat" not in text and "from compat" not in text
    result = run_python("-W", "default", str(copy), method)
    assert result.returncode == 0, result.stderr
    assert result.stdout == PROGRAMS["pprocess_pmap"][0], result.stderr
    assert warning_lines(result.stderr) == []
    again = run_python("-m", "compat.migrate", str(copy), "--write")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


@pytest.mark.parametrize("name", sorted(set(PROGRAMS) - {"pprocess_pmap"}))
def test_migrated_programs_list_what_is_left_and_still_run(tmp_path, name):
    copy = tmp_path / f"{name}.py"
    shutil.copy(LEGACY / f"{name}.py", copy)
    migrated = run_python("-m", "compat.migrate", str(copy), "--write")
    assert migrated.returncode == 0 and migrated.stdout == f"rewrote {copy}\n"
    listed = migrated.stderr.splitlines()
    assert listed and all(line.startswith(f"{copy}:") and "left to run through compat.pprocess"
                          in line for line in listed)
    assert "from compat import pprocess\n" in copy.read_text()
    result = run_python(str(copy), "spawn")
    assert result.returncode == 0, result.stderr
    assert result.stdout == PROGRAMS[name][0], result.stderr
    again = run_python("-m", "compat.migrate", str(copy), "--write")
    assert (again.returncode, again.stdout) == (0, "")  # lines now count the added import
    assert [line.split(": ", 1)[1] for line in again.stderr.splitlines()] == \
        [line.split(": ", 1)[1] for line in listed]


def test_migrated_background_program_still_runs(tmp_path):
    copy = tmp_path / "pprocess_background.py"
    shutil.copy(LEGACY / "pprocess_background.py", copy)
    assert run_python("-m", "compat.migrate", str(copy), "--write").returncode == 0
    work = tmp_path / "work"
    work.mkdir()
    result = run_python(str(copy), "spawn", "both", cwd=work)
    assert result.returncode == 0, result.stderr
    assert result.stdout == BACKGROUND_STARTED + BACKGROUND_COLLECTED
    assert list(work.iterdir()) == []
