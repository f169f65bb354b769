"""compat.pprocess: pprocess 0.5.1's API on concurrent.processing, its warnings and guarantees.

The legacy programs in ``legacy/pprocess_*.py`` (written here, one per style of pprocess use)
run under ``python -m compat`` with each start method and must print the same results in the
same order; the tests below them check the shim's edges in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import textwrap
import time
import warnings
from contextlib import contextmanager

import pytest

import compat.pprocess as pprocess
import concurrent.processing as new
from compat import LegacyNameWarning
from compat.renames import by_legacy
from tests.compat import _pprocess_targets as targets
from tests.compat._helpers import LEGACY, START_METHODS, run_python, warnings_in

# program -> (expected stdout, expected {(line, legacy spelling)} warnings)
PROGRAMS = {
    "pprocess_start": ("""\
conversation: heard [4, 3, 2, 1], then ('total', 100)
child pid known: True
the child's error arrives: KeyError 'spam'
watching 3 channels
lengths: [('alpha', 5), ('beta', 4), ('delta', 5), ('epsilon', 7), ('gamma', 5), ('zeta', 4)]
nothing ready on an empty exchange: []
leaving a child unread
""", {(29, "pprocess.start()"), (39, "pprocess.start()"), (45, "pprocess.Exchange()"),
      (47, "pprocess.start()"), (57, "pprocess.start()")}),
    "pprocess_create": ("""\
doubled by a created process: [10, 12, 14]
Map of created processes, in creation order: [0, 1, 4, 9, 16, 25]
Queue of created processes: [0, 1, 8, 27, 64]
Exchange of created processes: [('a', 1), ('b', 1), ('c', 1)]
""", {(9, "pprocess.Exchange()"), (18, "pprocess.create()"), (24, "pprocess.exit()"),
      (33, "pprocess.Map()"), (41, "pprocess.exit()"), (44, "pprocess.Queue()"),
      (49, "pprocess.exit()"), (52, "pprocess.Exchange()"), (58, "pprocess.exit()")}),
    "pprocess_exchanges": ("""\
Exchange.start with a limit: [[0, 1], [2, 3]]
busy at the limit: True
busy at the limit: True
Exchange.add_wait: [0, 3]
Map by index: 16 25, by slice: [1, 4, 9]
Map in call order: [0, 1, 4, 9, 16, 25]
Map called like map(): [9, 1, 4]
Queue holds 4 results: [0, 1, 4, 9]
continuous Queue: [(0, 0, 0), (0, 1, 1), (1, 0, 2), (1, 1, 3)]
reused Map: [0, 1, 4, 9, 16] in 2 processes
""", {(30, "pprocess.Exchange()"), (39, "pprocess.Exchange()"), (47, "pprocess.Exchange()"),
      (50, "pprocess.start()"), (55, "pprocess.Map()"), (56, "pprocess.MakeParallel()"),
      (61, "pprocess.Map()"), (63, "pprocess.Queue()"), (64, "pprocess.MakeParallel()"),
      (71, "pprocess.Queue()"), (77, "pprocess.Map()"), (78, "pprocess.MakeReusable()")}),
    "pprocess_pmap": ("""\
cores known: True
pmap in item order: [0, 1, 8, 27, 64]
row 0: [0, 1, 2]
row 1: [1, 2, 3]
last: 3
sizes: [1, 2, 3]
a MakeParallel callable: [8, 1]
no limit: 64
no limit: 125
""", {(20, "pprocess.get_number_of_cores()"), (23, "pprocess.pmap()"), (25, "pprocess.pmap()"),
      (30, "pprocess.pmap()"), (34, "pprocess.MakeParallel()"), (34, "pprocess.pmap()"),
      (35, "pprocess.pmap()")}),
    "pprocess_worker_death": ("""\
receive: ProcessLostError, exit code -9
Exchange: total 20, 1 lost
Map: [0, 10, 'lost', 30]
Queue: [-1, 0, 10, 30]
pmap: [0, 10, 'lost']
created process: exit code 5
""", {(25, "pprocess.Exchange()"), (31, "pprocess.start()"), (37, "pprocess.Exchange()"),
      (49, "pprocess.Map()"), (50, "pprocess.MakeParallel()"), (61, "pprocess.Queue()"),
      (62, "pprocess.MakeParallel()"), (76, "pprocess.pmap()"), (82, "pprocess.create()")}),
}

BACKGROUND_STARTED = ("started: ['kept.socket', 'part-0.socket', 'part-1.socket', "
                      "'part-2.socket', 'total.socket']\n")
BACKGROUND_COLLECTED = """\
BackgroundQueue: total(5) = 30
PersistentQueue: [(1, 0), (2, 3), (3, 9)]
PersistentExchange: [(4, 18)]
PersistentExchange.create: ['sent by a created process']
sockets left: []
"""
BACKGROUND_WARNINGS = {
    (23, "pprocess.PersistentExchange()"), (31, "pprocess.BackgroundCallable()"),
    (31, "pprocess.MakeParallel()"), (34, "pprocess.MakeParallel()"),
    (36, "pprocess.BackgroundCallable()"), (37, "pprocess.PersistentExchange()"),
    (38, "pprocess.MakeParallel()"), (44, "pprocess.BackgroundQueue()"),
    (46, "pprocess.PersistentQueue()"), (50, "pprocess.PersistentExchange()"),
    (55, "pprocess.PersistentExchange()"), (60, "pprocess.exit()")}


def _run_program(name: str, *args: str, cwd=None):
    result = run_python("-m", "compat", str(LEGACY / f"{name}.py"), *args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.mark.parametrize("method", START_METHODS)
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_legacy_program_prints_the_same_results_in_the_same_order(name, method):
    stdout, expected_warnings = PROGRAMS[name]
    result = _run_program(name, method)
    assert result.stdout == stdout, result.stderr
    assert warnings_in(result.stderr) == expected_warnings


def _drain_background(directory) -> None:
    """After a failure: collect what background processes still offer, so that they end."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNameWarning)
        for socket in directory.glob("*.socket"):
            try:
                list(pprocess.BackgroundQueue(str(socket)))
            except (OSError, EOFError):
                continue


@pytest.mark.parametrize("method", START_METHODS)
def test_background_processes_outlive_their_starter(tmp_path, method):
    try:
        started = _run_program("pprocess_background", method, "start", cwd=tmp_path)
        assert started.stdout == BACKGROUND_STARTED
        collected = _run_program("pprocess_background", method, "collect", cwd=tmp_path)
        assert collected.stdout == BACKGROUND_COLLECTED
        assert warnings_in(started.stderr) | warnings_in(collected.stderr) == \
            BACKGROUND_WARNINGS
    finally:
        _drain_background(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("method", START_METHODS)
def test_background_processes_started_and_collected_by_one_program(tmp_path, method):
    try:
        result = _run_program("pprocess_background", method, "both", cwd=tmp_path)
        assert result.stdout == BACKGROUND_STARTED + BACKGROUND_COLLECTED
        assert warnings_in(result.stderr) == BACKGROUND_WARNINGS
    finally:
        _drain_background(tmp_path)


# -- in this process ----------------------------------------------------------------------------

@contextmanager
def legacy_names():
    """Use legacy names without their warnings (tests about the warnings use pytest.warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyNameWarning)
        yield


@pytest.fixture(params=START_METHODS)
def start_method(request):
    """Run the test with each start method; no process may outlive the test."""
    before = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method(request.param, force=True)
    yield request.param
    multiprocessing.set_start_method(before, force=True)
    assert new.active_children() == []


def _background_queue_nowhere() -> None:
    with pytest.raises(OSError, match="no background process listens"):
        pprocess.BackgroundQueue("no.socket")


def test_every_pprocess_name_warns_with_its_table_entry():
    calls = {
        "get_number_of_cores": lambda: pprocess.get_number_of_cores(),
        "MakeParallel": lambda: pprocess.MakeParallel(abs),
        "MakeReusable": lambda: pprocess.MakeReusable(abs),
        "Exchange": lambda: pprocess.Exchange(),
        "Map": lambda: pprocess.Map(),
        "Queue": lambda: pprocess.Queue(),
        "PersistentQueue": lambda: pprocess.PersistentQueue(),
        "PersistentExchange": lambda: pprocess.PersistentExchange(),
        "BackgroundCallable": lambda: pprocess.BackgroundCallable("x.socket", abs),
        "Channel": lambda: pprocess.Channel(0, None),
        "BackgroundQueue": _background_queue_nowhere,
    }
    for name, call in calls.items():
        with pytest.warns(LegacyNameWarning) as record:
            call()
        assert [str(w.message) for w in record] == [by_legacy("pprocess", name).message]
        assert record[0].filename == __file__  # the caller's line, not the shim's


def test_python_m_compat_resolves_import_pprocess_to_the_shim(tmp_path):
    script = tmp_path / "imports.py"
    script.write_text(textwrap.dedent("""\
        import pprocess
        from pprocess import pmap, Exchange
        import compat.pprocess
        print(pprocess is compat.pprocess, pmap is compat.pprocess.pmap,
              Exchange is compat.pprocess.Exchange)
    """))
    result = run_python("-m", "compat", str(script))
    assert (result.returncode, result.stdout) == (0, "True True True\n"), result.stderr


def test_a_subclass_warns_where_it_is_defined_and_where_it_is_used():
    with pytest.warns(LegacyNameWarning, match=r"^pprocess\.Exchange\(\) is deprecated") as made:
        class Mine(pprocess.Exchange):
            def store_data(self, channel):
                self.got = channel.receive()
    with pytest.warns(LegacyNameWarning, match=r"^pprocess\.Exchange\(\) is deprecated") as used:
        Mine(limit=2)
    assert made[0].lineno == used[0].lineno - 4 and made[0].filename == __file__


def test_pmap_names_pool_imap():
    with pytest.warns(LegacyNameWarning, match=r"^pprocess\.pmap\(\) is deprecated, use "
                                               r"concurrent\.processing\.Pool\.imap\(\) instead$"):
        assert list(pprocess.pmap(targets.square, [3, 4], limit=1)) == [9, 16]


def test_channel_conversation_and_errors_sent_back(start_method):
    with legacy_names():
        channel = pprocess.start(targets.double_until_none)
    assert channel.pid > 0 and isinstance(channel, pprocess.Channel)
    answers = []
    for value in (1, 2, 3):
        channel.send(value)
        answers.append(channel.receive())
    channel.send(None)
    channel.wait()
    assert answers == [2, 4, 6]
    with legacy_names():
        failing = pprocess.start(targets.fail, "no such thing")
        raising = pprocess.start(targets.send_exception_object)
    with pytest.raises(ValueError, match="no such thing") as raised:
        failing.receive()
    assert any("raised in process" in note for note in raised.value.__notes__)
    with pytest.raises(KeyError, match="sent as data"):
        raising.receive()
    for done in (failing, raising):
        done.wait()


def test_a_dead_process_raises_instead_of_blocking(start_method):
    with legacy_names():
        killed = pprocess.start(targets.killed)
        exited = pprocess.start(targets.exit_with, 4)
        returned = pprocess.start(targets.return_at_once)
    with pytest.raises(pprocess.ProcessLostError, match="was killed by SIGKILL") as lost:
        killed.receive()
    assert isinstance(lost.value, EOFError) and isinstance(lost.value, new.WorkerLostError)
    assert (lost.value.pid, lost.value.exitcode) == (killed.pid, -9)
    with pytest.raises(pprocess.ProcessLostError, match="exited with status 4"):
        exited.send("anyone there?")
    with pytest.raises(EOFError, match="closed the channel"):
        returned.receive()
    for channel in (killed, exited, returned):
        channel.wait()


def test_an_exchange_watching_a_dead_process_raises_then_goes_on(start_method):
    with legacy_names():
        class Sum(pprocess.Exchange):
            def store_data(self, channel):
                self.total += channel.receive()

        exchange = Sum(limit=2)
    exchange.total = 0
    for target, args in [(targets.send_one, (1,)), (targets.killed, ()),
                         (targets.send_one, (10,))]:
        exchange.start(target, *args)
    with pytest.raises(pprocess.ProcessLostError, match="before it finished"):
        exchange.finish()
    exchange.finish()
    assert exchange.total == 11 and exchange.active() == []


def test_map_puts_errors_in_place_and_keeps_the_rest(start_method):
    with legacy_names():
        results = pprocess.Map(limit=2)
        call = results.manage(pprocess.MakeParallel(targets.square_unless_two))
    for n in range(4):
        call(n)
    with pytest.raises(pprocess.ProcessLostError, match="exited with status 3 before it sent "
                                                       "its result"):
        results[2]
    assert [results[0], results[1], results[3]] == [0, 1, 9]
    assert results[:2] == [0, 1]
    iterated = iter(results)
    assert [next(iterated), next(iterated)] == [0, 1]
    with pytest.raises(EOFError):
        next(iterated)
    assert list(iterated) == [9]


def test_reused_processes_take_queued_calls_in_order(start_method):
    with legacy_names():
        results = pprocess.Map(limit=2, reuse=1)
        call = results.manage(pprocess.MakeReusable(targets.square))
    for n in range(5):
        call(n)
    assert list(results) == [0, 1, 4, 9, 16]


def test_both_ends_sending_at_once_loses_nothing(start_method):
    with legacy_names():
        channel = pprocess.start(targets.send_while_sent_to)
    with pytest.raises(pprocess.AcknowledgementError, match="both ends sent at once"):
        channel.send("from the parent")
    assert channel.receive() == "from the child"  # kept, not dropped
    with pytest.raises(pprocess.AcknowledgementError):  # what the child raised in turn
        channel.receive()
    channel.wait()


def test_ready_is_bounded_by_its_timeout_in_milliseconds(start_method):
    with legacy_names():
        exchange = pprocess.Exchange()
        channel = pprocess.start(targets.double_until_none)
    assert exchange.ready(0) == [] and exchange.ready() == []  # nothing watched: no wait
    exchange.add(channel)
    assert exchange.ready(50) == []  # the child waits to be sent something
    channel.send(21)
    assert exchange.ready(30_000) == [channel]
    assert channel.receive() == 42
    channel.send(None)
    assert exchange.ready(30_000) == [] and exchange.active() == []  # ended: removed


def test_pmap_results_index_slice_and_report_a_lost_worker(start_method):
    with legacy_names():
        results = pprocess.pmap(targets.square_unless_two, range(5), limit=2)
    assert results[-1] == 16 and results[0:2] == [0, 1] and results[3] == 9
    with pytest.raises(new.WorkerLostError):
        results[2]
    with pytest.raises(IndexError, match="pmap result index 7 out of range: 5 results"):
        results[7]


def test_pmap_runs_each_item_in_a_process_of_its_own(start_method):
    with legacy_names():
        pids = list(pprocess.pmap(targets.pid_of, range(4), limit=2))
    assert len(set(pids)) == 4 and os.getpid() not in pids


def test_create_where_fork_is_missing_points_at_start(monkeypatch):
    monkeypatch.setattr(new, "get_all_start_methods", lambda: ["spawn"])
    with legacy_names(), pytest.raises(RuntimeError, match=r"cannot fork .*use start\("):
        pprocess.create()


@pytest.mark.parametrize("limit", [0, -1, 1.5, "2", True])
def test_a_bad_limit_is_refused(limit):
    with legacy_names():
        with pytest.raises(ValueError, match=f"limit must be a positive number .* not {limit!r}"):
            pprocess.Queue(limit=limit)
        with pytest.raises(ValueError, match="limit must be a positive number"):
            pprocess.pmap(abs, [1], limit=limit)


def test_misuse_is_a_clear_error():
    with legacy_names():
        with pytest.raises(TypeError, match="42 is not callable"):
            pprocess.MakeParallel(42)
        with pytest.raises(TypeError, match="'nope' is not callable"):
            pprocess.start("nope")
        with pytest.raises(TypeError, match="give it the channel that create\\(\\) returned"):
            pprocess.exit(None)
        with pytest.raises(TypeError, match="an exchange watches channels"):
            pprocess.Exchange().add("not a channel")
        with pytest.raises(NotImplementedError, match="Exchange has no store_data"):
            pprocess.Exchange().store_data(None)
        with pytest.raises(OSError, match="no background process listens at 'absent.socket'"):
            pprocess.BackgroundQueue("absent.socket")
        with pytest.raises(new.UnpicklableError, match="top level of a module"):
            pprocess.BackgroundCallable("never.socket", lambda channel: None)()
    assert not os.path.exists("never.socket")


def test_a_closed_channel_says_so(start_method):
    with legacy_names():
        channel = pprocess.start(targets.return_at_once)
    channel.close()
    with pytest.raises(OSError, match="is closed"):
        channel.receive()
    channel.wait()


def test_a_map_still_running_cannot_be_restarted(start_method):
    with legacy_names():
        results = pprocess.Map(limit=1)
    results(targets.square, [1, 2])
    with pytest.raises(RuntimeError, match="still has calls running"):
        results(targets.square, [3])
    assert list(results) == [1, 4]


def test_process_lost_error_pickles_with_its_details():
    error = pprocess.ProcessLostError("gone", name="w", pid=12, exitcode=-9)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is pprocess.ProcessLostError
    assert (str(again), again.name, again.pid, again.exitcode) == ("gone", "w", 12, -9)


def test_cores_are_cpu_count():
    with legacy_names():
        assert pprocess.get_number_of_cores() == new.cpu_count()


# -- fork-style and background processes, in this process -----------------------------------------

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="create() forks, and this platform cannot")


def _created(send) -> pprocess.Channel | None:
    """Fork; the created process sends ``send()`` and leaves at once (it never returns here)."""
    with legacy_names():
        channel = pprocess.create()
        if channel.pid == 0:
            try:
                channel.send(send())
            finally:
                pprocess.exit(channel)
    return channel


@needs_fork
def test_create_returns_in_both_processes():
    channel = _created(os.getpid)
    assert channel.pid > 0 and channel.receive() == channel.pid
    with pytest.raises(EOFError, match=f"created process {channel.pid} closed the channel"):
        channel.receive()
    channel.wait()


@needs_fork
def test_a_created_process_that_dies_is_reported_with_its_status():
    with legacy_names():
        channel = pprocess.create()
        if channel.pid == 0:
            os._exit(5)
    with pytest.raises(pprocess.ProcessLostError, match="exited with status 5") as lost:
        channel.receive()
    assert (lost.value.pid, lost.value.exitcode) == (channel.pid, 5)
    channel.wait(os.WNOHANG)  # reaped already: nothing to wait for


@needs_fork
def test_exchanges_create_within_their_limit():
    with legacy_names():
        results = pprocess.Map(limit=2)
        queue = pprocess.Queue(limit=1)
    for exchange in (results, queue):
        for n in range(3):
            channel = exchange.create()
            if channel is not None:  # the created process
                try:
                    channel.send(n * 10)
                finally:
                    with legacy_names():
                        pprocess.exit(channel)
    assert results[:] == [0, 10, 20]
    assert len(list(queue)) == 3 and len(queue) == 0


def test_background_processes_in_this_process(tmp_path, start_method, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with legacy_names():
        pprocess.BackgroundCallable("square.socket", pprocess.MakeParallel(targets.square))(7)
        assert list(pprocess.BackgroundQueue("square.socket")) == [49]
        keeper = pprocess.PersistentQueue(limit=1)
        keeper.manage("a.socket", pprocess.MakeParallel(targets.square))(2)
        keeper.start("b.socket", pprocess.MakeParallel(targets.square), 3)
        keeper.connect("a.socket")
        keeper.connect("b.socket")  # waits for room: stores a's result meanwhile
        assert sorted(keeper) == [4, 9]
        with pytest.raises(OSError, match="cannot listen at 'taken.socket'.*stale socket"):
            (tmp_path / "taken.socket").touch()
            pprocess.BackgroundCallable("taken.socket", targets.send_one)(1)
    _reap_background_processes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken.socket"]


def test_a_background_process_that_fails_reports_to_whoever_connects(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with legacy_names():
        pprocess.BackgroundCallable("fails.socket", targets.fail)("in the background")
        with pytest.raises(ValueError, match="in the background"):
            list(pprocess.BackgroundQueue("fails.socket"))
    _reap_background_processes()


@needs_fork
def test_a_persistent_exchange_creates_a_process_listening_at_an_address(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with legacy_names():
        class Keeper(pprocess.PersistentExchange):
            def store_data(self, channel):
                self.kept.append(channel.receive())

        keeper = Keeper(limit=1)
    keeper.kept = []
    channel = keeper.create("made.socket")
    if channel is not None:  # the created process
        try:
            channel.send("made")
        finally:
            with legacy_names():
                pprocess.exit(channel)
    keeper.finish()
    assert keeper.kept == ["made"] and list(tmp_path.iterdir()) == []


def _reap_background_processes() -> None:
    """Wait (bounded) for this process's background processes, which end once collected."""
    from compat.pprocess import _background

    deadline = time.monotonic() + 30
    while _background._daemons and time.monotonic() < deadline:
        _background._reap_daemons()
        time.sleep(0.02)  # polling a process's end: no event to wait on here
    assert _background._daemons == []


# -- exchanges' less common paths ----------------------------------------------------------------

def test_a_channel_closed_by_its_creator_leaves_the_exchange(start_method):
    with legacy_names():
        exchange = pprocess.Exchange(autoclose=0)
        channel = pprocess.start(targets.double_until_none)
    exchange.add(channel)
    channel.close()
    assert exchange.ready(0) == [] and exchange.active() == []
    channel.wait()
    with pytest.raises(ValueError, match="is not watched by this exchange"):
        exchange.remove(channel)


def test_a_continuous_map_puts_later_messages_last(start_method):
    with legacy_names():
        results = pprocess.Map(limit=1, continuous=1)
    results.start(targets.double_until_none)  # answers each number it is sent
    results.start(targets.send_one, "second")  # waits: the limit is one process
    channel = results.active()[0]
    channel.send(1)
    assert results[0] == 2
    channel.send(3)
    assert results[2] == 6  # the same process again: its result comes after the calls'
    channel.send(None)
    assert list(results) == [2, "second", 6]
    with pytest.raises(IndexError, match="Map index 5 out of range: 3 results"):
        results[5]


def test_a_dropped_pmap_result_stops_its_pool(start_method):
    with legacy_names():
        results = pprocess.pmap(targets.square, range(6), limit=2)
    assert results[0] == 0
    del results  # the pool's finalizer terminates it
    assert new.active_children() == []


def test_classes_show_their_constructors_signature():
    import inspect

    assert list(inspect.signature(pprocess.Map).parameters) == [
        "channels", "limit", "reuse", "continuous", "autoclose"]
    assert list(inspect.signature(pprocess.BackgroundCallable).parameters) == [
        "address", "callable"]
    with legacy_names():
        wrapped = pprocess.MakeParallel(abs)
    assert list(inspect.signature(wrapped).parameters) == ["channel", "args", "kw"]
