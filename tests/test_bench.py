"""``python -m concurrent bench``: argument checks, tiny real runs, outputs, and clean-up."""

import json
import math
import os
import queue
import socket
import subprocess
import sys
import threading
import time

import pytest

from concurrent._bench import (
    _cli,
    _comparison,
    _payloads,
    _runner,
    _startup,
    _throughput,
    _workloads,
)
from concurrent._bench._comparison import Point, compare
from concurrent._bench._httpserver import LocalHTTPServer
from concurrent._bench._modes import (
    OURS_INTERPRETING,
    OURS_PROCESSING,
    OURS_THREADING,
    STDLIB_PROCESSING,
    STDLIB_THREADING,
    Backend,
    UnavailableError,
    default_start_method,
    load_backend,
)
from concurrent._bench._plot import matplotlib_available
from concurrent._bench._progress import Progress
from concurrent._bench._report import format_table, to_json
from concurrent._bench._results import Results
from concurrent._bench._workers import BenchError
from tests.conftest import START_METHODS

STDLIB_MODES = (STDLIB_THREADING, STDLIB_PROCESSING)


def _children() -> set[int]:
    """This process's child pids, from /proc (every thread's list)."""
    pids: set[int] = set()
    task_dir = f"/proc/{os.getpid()}/task"
    for task in os.listdir(task_dir):
        try:
            with open(f"{task_dir}/{task}/children") as listing:
                pids.update(int(pid) for pid in listing.read().split())
        except OSError:
            continue
    return pids


def _is_stdlib_helper(pid: int) -> bool:
    """multiprocessing's resource tracker and fork server outlive a run by design."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read()
    except OSError:  # it has ended meanwhile
        return True
    return b"resource_tracker" in command or b"forkserver" in command


@pytest.fixture(autouse=True)
def no_new_children():
    """Every bench test must end with no child process it started still running."""
    if not os.path.isdir(f"/proc/{os.getpid()}/task"):
        pytest.skip("needs /proc to list child processes")
    before = _children()
    yield
    assert {pid for pid in _children() - before if not _is_stdlib_helper(pid)} == set()


def _stdlib_backends() -> dict:
    return {mode: load_backend(mode, default_start_method()) for mode in STDLIB_MODES}


class _Silent:
    def step(self, label: str) -> None:
        pass


# -- argument parsing and errors -------------------------------------------------------------

@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--workers", "0"], "'0'"),
        (["--workers", "two"], "'two'"),
        (["--repeat", "-1"], "'-1'"),
        (["--sections", "workloads,speed"], "'workloads,speed'"),
        (["--workloads", "fib"], "'fib'"),
        (["--modes", "asyncio"], "'asyncio'"),
        (["--start-method", "vfork"], "'vfork'"),
        (["--plot", "speed.pdf"], "'speed.pdf'"),
        (["--plot", "speed.svg"], "--plot now takes a directory"),
        (["--plot", "/no/such/dir/figures"], "'/no/such/dir'"),
        (["--plot-format", "png"], "--plot-format needs --plot DIR"),
        (["--from-json", "/no/such/bench.json"], "'/no/such/bench.json'"),
        (["--plot", "figures", "--plot-format", "pdf"], "'pdf'"),
        (["--json", "/no/such/dir/out.json"], "'/no/such/dir'"),
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_arguments_exit_2_naming_the_value(capsys, argv, named):
    with pytest.raises(SystemExit) as exited:
        _cli.main(argv)
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("usage: python -m concurrent bench")
    assert named in error


def test_defaults_and_lists_parse():
    args = _cli.build_parser().parse_args(["--workers", "1,2,2", "--modes", "threading"])
    assert args.workers == [1, 2]
    assert args.modes == [STDLIB_THREADING]
    assert args.sections == list(_cli.SECTIONS)
    assert args.repeat is None and not args.quick


def test_plot_to_an_existing_file_is_refused(capsys, tmp_path):
    taken = tmp_path / "figures"
    taken.write_text("")
    with pytest.raises(SystemExit) as exited:
        _cli.main(["--plot", str(taken)])
    assert exited.value.code == 2
    assert "not a directory" in capsys.readouterr().err


def test_plot_without_matplotlib_names_the_extra(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(_cli, "matplotlib_available", lambda: False)
    with pytest.raises(SystemExit) as exited:
        _cli.main(["--plot", str(tmp_path / "figures")])
    assert exited.value.code == 2
    assert "pip install 'concurrent-pep371[plot]'" in capsys.readouterr().err


@pytest.mark.skipif(matplotlib_available(), reason="matplotlib is installed here")
def test_plot_really_missing_matplotlib_is_refused_before_running(capsys, tmp_path):
    with pytest.raises(SystemExit):
        _cli.main(["--plot", str(tmp_path / "figures")])
    assert "concurrent-pep371[plot]" in capsys.readouterr().err
    assert not (tmp_path / "figures").exists()


# -- the workloads compute what they claim ---------------------------------------------------

def test_workload_functions_compute_real_results(tmp_path):
    assert _workloads.fibonacci(10) == 55
    assert _workloads.sum_primes(30) == 2 + 3 + 5 + 7 + 11 + 13 + 17 + 19 + 23 + 29
    path = str(tmp_path / "lines.txt")
    _workloads.write_text_file(path, 10_000)
    assert os.path.getsize(path) > 5_000
    assert _workloads.file_io(path, 50, seed=1) > 0
    assert _workloads.payload_size(b"abc") == 3
    assert _workloads.payload_size(memoryview(b"abcd")) == 4


# -- the HTTP server -------------------------------------------------------------------------

def test_http_server_serves_then_stops():
    server = LocalHTTPServer()
    with server:
        assert server.running
        received = _workloads.http_get(server.host, server.port, 3)
        assert received > 0 and received % 3 == 0
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=5).close()


def test_prepared_workloads_clean_up_file_and_server():
    with _runner.prepared_workloads(["file_io", "http"], _runner.QUICK_SIZES) as workloads:
        path = workloads[0].args[0]
        host, port = workloads[1].args[:2]
        assert os.path.exists(path)
        assert _workloads.http_get(host, port, 1) > 0
    assert not os.path.exists(path)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, port), timeout=5).close()


def test_unknown_workload_is_refused():
    with pytest.raises(ValueError, match="'fib'"):
        with _runner.prepared_workloads(["fib"], _runner.QUICK_SIZES):
            pass


# -- a tiny real run through the command line ------------------------------------------------

def _check_figure(document: dict, figures: dict) -> None:
    """A figure's median and best really summarize its samples, and its ratios follow."""
    samples = document["samples"]
    assert samples and all(value > 0 and math.isfinite(value) for value in samples)
    assert document["median"] == pytest.approx(sorted(samples)[len(samples) // 2])
    better = max if document["unit"] != "s" else min
    assert document["best"] == better(samples)
    ratio = document["vs_stdlib"]
    if ratio is not None:
        param = ratio.get("baseline_param", document["param"])  # interpreters: vs spawn
        baseline = figures[(document["test"], param, ratio["baseline"])]
        if document["unit"] == "s":
            expected = baseline["median"] / document["median"]
        else:
            expected = document["median"] / baseline["median"]
        assert ratio["ratio"] == pytest.approx(expected)
    if "speedup_vs_linear" in document:
        linear = figures[(document["test"], document["param"], "linear")]
        assert document["speedup_vs_linear"] == pytest.approx(linear["median"] / document["median"])


def test_tiny_run_prints_a_table_and_writes_real_json(capsys, tmp_path):
    out = tmp_path / "bench.json"
    status = _cli.main([
        "--sections", "workloads", "--workloads", "empty,fibonacci,queue",
        "--workers", "1,2", "--repeat", "1", "--json", str(out),
    ])
    assert status == 0
    table = capsys.readouterr().out
    for text in ("PEP 371 workloads", "fibonacci: fibonacci(", "linear", "threading",
                 "multiprocessing", OURS_THREADING, OURS_PROCESSING, "vs"):
        assert text in table
    document = json.loads(out.read_text())
    assert document["meta"]["workers"] == [1, 2] and document["meta"]["repeat"] == 1
    figures = {(f["test"], f["param"], f["mode"]): f for f in document["figures"]}
    for test in ("empty", "fibonacci", "queue"):
        for workers in (1, 2):
            for mode in ("linear", *STDLIB_MODES):
                assert figures[(test, workers, mode)]["unavailable"] is None
    for figure in document["figures"]:
        if figure["unavailable"] is None:
            _check_figure(figure, figures)
        else:
            # Only the interpreter backend may be missing, and only where Python lacks it.
            assert figure["mode"] == OURS_INTERPRETING and sys.version_info < (3, 14)
            assert figure["median"] is None and figure["vs_stdlib"] is None
            assert f"{figure['mode']}: unavailable: {figure['unavailable']}" in table


def test_a_saved_run_is_reported_again_without_running(capsys, tmp_path):
    saved = tmp_path / "bench.json"
    status = _cli.main(["--sections", "workloads,throughput", "--workloads", "empty",
                        "--benchmarks", "lock", "--workers", "1", "--repeat", "2", "--modes",
                        "threading,concurrent.threading", "--json", str(saved)])
    assert status == 0
    table = capsys.readouterr().out.replace(f"wrote {saved}\n", "")
    assert _cli.main(["--from-json", str(saved)]) == 0
    assert capsys.readouterr().out == table  # every figure, ratio and note as first printed


def test_a_file_that_is_not_a_saved_run_is_refused_with_status_1(capsys, tmp_path):
    for text in ("{not json", json.dumps({"meta": {}})):
        path = tmp_path / "bad.json"
        path.write_text(text)
        assert _cli.main(["--from-json", str(path)]) == 1
        assert f"cannot read {path}" in capsys.readouterr().err


def test_spawn_run_through_the_real_command(tmp_path):
    out = tmp_path / "spawn.json"
    command = [sys.executable, "-m", "concurrent", "bench", "--start-method", "spawn",
               "--sections", "workloads", "--workloads", "fibonacci", "--workers", "2",
               "--repeat", "1", "--modes", "multiprocessing", "--json", str(out)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=50,
                              cwd=os.path.dirname(os.path.dirname(__file__)))
    assert finished.returncode == 0, finished.stderr
    assert "start method spawn" in finished.stdout
    assert finished.stderr == ""  # no progress line: stderr is not a terminal
    document = json.loads(out.read_text())
    assert document["meta"]["start_method"] == "spawn"
    (figure,) = [f for f in document["figures"] if f["mode"] == "multiprocessing"]
    assert figure["samples"][0] > 0


# -- the other sections, called directly with tiny sizes -------------------------------------

TINY_COUNTS = {"queue": 200, "queue_256": 200, "queue_4x4": 200, "pipe": 200, "lock": 1000,
               "rlock": 1000, "condition": 50, "manager_list": 50, "manager_dict": 50,
               "value": 500, "array": 500, "imap": 320, "imap_unordered": 320}


def test_throughput_figures_are_real_rates():
    results = Results(meta={"repeat": 1})
    counts = TINY_COUNTS
    assert set(counts) == set(_throughput.THROUGHPUT_NAMES)
    _throughput.run_throughput(results, _throughput.THROUGHPUT_NAMES, counts,
                               _stdlib_backends(), 1, _Silent(), timeout=30)
    assert len(results.figures) == len(counts) * len(STDLIB_MODES)
    for figure in results.figures:
        assert figure.ok, figure.unavailable
        assert figure.unit == "ops/s" and figure.samples[0] > 0
    assert "pyprocessing's benchmarks" in format_table(results)


@pytest.mark.parametrize("method", START_METHODS)
def test_shared_values_and_imap_rows_on_our_backends(method):
    """Each sample checked its result: every increment landed, every imap result came back."""
    results = Results(meta={"repeat": 1})
    modes = (OURS_PROCESSING, OURS_THREADING)
    backends = {mode: load_backend(mode, method) for mode in modes}
    names = ["value", "array", "imap", "imap_unordered"]
    _throughput.run_throughput(results, names, TINY_COUNTS, backends, 1, _Silent(), timeout=30)
    assert len(results.figures) == len(names) * len(modes)
    for figure in results.figures:
        assert figure.ok, figure.unavailable
        assert figure.samples[0] > 0


@pytest.mark.parametrize("method", START_METHODS)
def test_many_producers_and_consumers_row_counts_every_message(method):
    results = Results(meta={"repeat": 1})
    modes = (OURS_PROCESSING, OURS_THREADING)
    backends = {mode: load_backend(mode, method) for mode in modes}
    _throughput.run_throughput(results, ["queue_4x4"], {"queue_4x4": 400}, backends, 1,
                               _Silent(), timeout=30)
    assert len(results.figures) == len(modes)
    for figure in results.figures:  # a lost or doubled message would have failed the figure
        assert figure.ok, figure.unavailable
        assert figure.samples[0] > 0


def _puts_too_few(queue, count, item):
    """A producer that stops early, as one that died would."""
    queue.put(_workloads.READY)
    queue.put(item)


def _produces_nothing(channel, control, go, count, timeout):
    control.put(_workloads.READY)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("row", ["queue", "queue_256", "queue_4x4"])
def test_a_queue_row_whose_producer_stops_early_fails_at_its_deadline(monkeypatch, row):
    """The consumers take items with a plain ``get()``, as users write it; the deadline still
    ends the row with a ``BenchError`` and leaves no worker waiting."""
    monkeypatch.setattr(_throughput, "put_copies", _puts_too_few)
    monkeypatch.setattr(_throughput, "produce_messages", _produces_nothing)
    backend = load_backend(STDLIB_THREADING, None)
    before = threading.active_count()
    began = time.monotonic()
    with pytest.raises((BenchError, queue.Empty)):  # queue_4x4: no consumer reported in time
        _throughput.MEASURES[row](backend, 8, 1.0)
    assert time.monotonic() - began < 10
    assert threading.active_count() == before


def test_payload_figures_are_real_and_fractions_of_memcpy():
    results = Results(meta={"repeat": 1})
    _payloads.run_payloads(results, [1], _payloads.CHANNELS, _stdlib_backends(), 1, _Silent(),
                           with_numpy=False, timeout=30)
    assert len(results.figures) == len(_payloads.CHANNELS) * len(STDLIB_MODES)
    memcpy = results.memcpy_mb_s("bytes 1 MB")
    assert memcpy > 0
    for figure in results.figures:
        assert figure.ok, figure.unavailable
        assert figure.param == "bytes 1 MB" and figure.samples[0] > 0
        assert results.memcpy_fraction(figure) == pytest.approx(figure.median / memcpy)
    document = to_json(results)
    assert document["memcpy_mb_s"]["bytes 1 MB"]["median"] == memcpy
    assert "Large payloads" in format_table(results)


@pytest.mark.skipif(not _payloads.numpy_available(), reason="numpy is not installed")
def test_numpy_payloads_through_a_process_pipe():
    results = Results()
    backends = {STDLIB_PROCESSING: load_backend(STDLIB_PROCESSING, default_start_method())}
    _payloads.run_payloads(results, [1], ["Pipe"], backends, 1, _Silent(), with_numpy=True,
                           timeout=30)
    numpy_figure = results.find("payloads", "Pipe", "numpy 1 MB", STDLIB_PROCESSING)
    assert numpy_figure.ok and numpy_figure.samples[0] > 0


@pytest.mark.parametrize("method", START_METHODS)
def test_manager_payloads_through_our_processing_backend(method):
    results = Results()
    backends = {OURS_PROCESSING: load_backend(OURS_PROCESSING, method)}
    _payloads.run_payloads(results, [1], ["Manager"], backends, 1, _Silent(),
                           with_numpy=_payloads.numpy_available(), timeout=30)
    labels = ["bytes 1 MB"] + (["numpy 1 MB"] if _payloads.numpy_available() else [])
    for label in labels:  # each figure checked the size that came back
        figure = results.find("payloads", "Manager", label, OURS_PROCESSING)
        assert figure.ok, figure.unavailable
        assert figure.samples[0] > 0


# -- the start-up section ---------------------------------------------------------------------

TINY_STARTUP = _startup.Sizes(1, 5, {method: 1 for method in START_METHODS})


def test_startup_rows_compare_each_start_method_in_fresh_programs():
    results = Results(meta={"repeat": 1})
    backends = {mode: load_backend(mode, default_start_method())
                for mode in (STDLIB_THREADING, STDLIB_PROCESSING, OURS_PROCESSING)}
    _startup.run_startup(results, TINY_STARTUP, backends, 1, _Silent(), timeout=60)
    for mode in backends:
        for test, case in (("import", _startup.IMPORT_CASE), ("queue_create", "Queue()")):
            figure = results.find("startup", test, case, mode)
            assert figure.ok and 0 < figure.samples[0] < 10, (test, mode, figure)
    for method in START_METHODS:
        for test in ("start_join", "first_start_join"):
            for mode in (STDLIB_PROCESSING, OURS_PROCESSING):
                figure = results.find("startup", test, method, mode)
                assert figure.ok and len(figure.samples) == 1, (test, method, figure)
            assert results.find("startup", test, method, STDLIB_THREADING) is None
    table = format_table(results)
    assert "Start-up costs" in table and "first_start_join" in table
    start_join = next(line for line in table.splitlines() if line.startswith("start_join"))
    assert start_join.split()[:3] == ["start_join", START_METHODS[0], "-"]  # no thread figure
    document = to_json(results)
    assert {figure["param_is"] for figure in document["figures"]} == {"case"}


def test_a_failing_fresh_interpreter_is_a_bench_error_naming_it():
    with pytest.raises(BenchError, match="no_such_module_for_the_bench"):
        _startup._import("no_such_module_for_the_bench", 1, _startup.fresh_env(), 30)


def test_a_failing_start_join_of_ours_fails_its_first_figure_too(monkeypatch):
    def failing(*args):
        raise BenchError("start_join broke")

    monkeypatch.setattr(_startup, "_start_join", failing)
    results = Results(meta={"repeat": 1})
    backends = {OURS_PROCESSING: load_backend(OURS_PROCESSING, default_start_method())}
    _startup.run_startup(results, TINY_STARTUP, backends, 1, _Silent(), timeout=30)
    for test in ("start_join", "first_start_join"):
        figure = results.find("startup", test, "spawn", OURS_PROCESSING)
        assert figure.unavailable == "failed: BenchError: start_join broke"
    document = to_json(results)
    assert all((f["median"] is None) == bool(f["unavailable"]) for f in document["figures"])


# -- unavailable modes are reported, never faked ---------------------------------------------

def test_unavailable_backend_and_missing_name_are_reported():
    threading_backend = load_backend(STDLIB_THREADING, default_start_method())
    without_queue = dict(threading_backend.names)
    del without_queue["Queue"]
    backends = {
        STDLIB_THREADING: threading_backend,
        OURS_THREADING: Backend(OURS_THREADING, False, without_queue, OURS_THREADING),
        STDLIB_PROCESSING: threading_backend,
        OURS_PROCESSING: UnavailableError("concurrent.processing has no get_context yet"),
    }
    backends[STDLIB_PROCESSING] = load_backend(STDLIB_PROCESSING, default_start_method())
    results = Results(meta={"repeat": 1})
    with _runner.prepared_workloads(["empty", "queue"], _runner.QUICK_SIZES) as workloads:
        _runner.run_workloads(results, workloads, [1], backends, 1, _Silent(), timeout=30)
    empty = results.find("workloads", "empty", 1, OURS_THREADING)
    queue = results.find("workloads", "queue", 1, OURS_THREADING)
    assert empty.ok and empty.samples[0] > 0
    assert not queue.ok and queue.unavailable == "concurrent.threading has no Queue yet"
    processing = results.find("workloads", "empty", 1, OURS_PROCESSING)
    assert processing.samples == [] and results.vs_stdlib(processing) is None
    table = format_table(results)
    assert "concurrent.threading: unavailable: concurrent.threading has no Queue yet" in table
    assert "concurrent.processing: unavailable: concurrent.processing has no get_context" in table


def test_a_failing_backend_of_ours_is_reported_not_raised():
    def broken(*args, **kwargs):
        raise OSError("half-built backend")

    names = dict(load_backend(STDLIB_THREADING, default_start_method()).names, Worker=broken)
    backends = {OURS_THREADING: Backend(OURS_THREADING, "thread", names, OURS_THREADING)}
    results = Results()
    with _runner.prepared_workloads(["empty"], _runner.QUICK_SIZES) as workloads:
        _runner.run_workloads(results, workloads, [1], backends, 1, _Silent(), timeout=30)
    figure = results.find("workloads", "empty", 1, OURS_THREADING)
    assert figure.unavailable == "failed: OSError: half-built backend"


def test_a_stdlib_failure_stops_the_run_with_status_1(capsys, monkeypatch):
    def failing(workload, workers):
        raise BenchError(f"linear {workload.name} broke")

    monkeypatch.setattr(_runner, "_time_linear", failing)
    status = _cli.main(["--sections", "workloads", "--workloads", "empty", "--workers", "1",
                        "--repeat", "1", "--modes", "threading"])
    assert status == 1
    captured = capsys.readouterr()
    assert "python -m concurrent bench: failed: linear empty broke" in captured.err
    assert captured.out == ""


def test_ratios_follow_the_medians():
    results = Results()
    for mode, samples in ((STDLIB_THREADING, [2.0, 4.0, 3.0]), (OURS_THREADING, [1.0, 1.5, 9.0])):
        results.figure("workloads", "fib", 2, mode, "s").samples.extend(samples)
    results.figure("workloads", "fib", 2, "linear", "s").samples.append(6.0)
    ours = results.find("workloads", "fib", 2, OURS_THREADING)
    assert (ours.median, ours.best) == (1.5, 1.0)
    assert results.vs_stdlib(ours) == pytest.approx(3.0 / 1.5)
    assert results.speedup(ours) == pytest.approx(6.0 / 1.5)
    for mode, rate in ((STDLIB_THREADING, 100.0), (OURS_THREADING, 250.0)):
        results.figure("throughput", "lock", 10, mode, "ops/s").samples.append(rate)
    assert results.vs_stdlib(results.find("throughput", "lock", 10, OURS_THREADING)) == 2.5


# -- progress line and plot ------------------------------------------------------------------

class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty, self.written = tty, []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.written.append(text)

    def flush(self) -> None:
        pass


def test_progress_line_only_on_a_terminal():
    quiet, live = _Stream(False), _Stream(True)
    for stream in (quiet, live):
        progress = Progress(2, stream)
        progress.step("fibonacci, 2 worker(s), threading")
        progress.finish()
    assert quiet.written == []
    assert live.written[0].startswith("\r") and "[1/2]" in live.written[0]
    assert "fibonacci, 2 worker(s), threading" in live.written[0]
    assert live.written[-1] == "\r\x1b[K"


def _two_sided_results() -> Results:
    results = Results(meta={"repeat": 3})
    rows = (("workloads", "fib", 2, "s", [2.0, 4.0, 3.0], [1.0, 1.5, 9.0]),
            ("throughput", "lock", 10, "ops/s", [100.0, 80.0, 120.0], [250.0, 200.0, 300.0]))
    for section, test, param, unit, theirs, ours in rows:
        results.figure(section, test, param, STDLIB_THREADING, unit).samples.extend(theirs)
        results.figure(section, test, param, OURS_THREADING, unit).samples.extend(ours)
    results.figure("workloads", "fib", 2, "linear", "s").samples.append(6.0)
    broken = results.figure("throughput", "rlock", 10, OURS_THREADING, "ops/s")
    broken.unavailable = "failed"
    results.figure("throughput", "rlock", 10, STDLIB_THREADING, "ops/s").samples.append(1.0)
    return results


def test_comparison_is_relative_speed_with_the_spread_of_both_sides():
    results = _two_sided_results()
    (pair,) = compare(results, "workloads")  # linear has no baseline: no pair of its own
    assert (pair.stdlib_mode, pair.our_mode) == (STDLIB_THREADING, OURS_THREADING)
    (row,) = pair.rows
    assert row.label == "fib, 2 workers"
    # Seconds become speeds: the stdlib's median (3 s) over each sample.
    assert row.stdlib == pytest.approx(Point(1.0, 3.0 / 4.0, 3.0 / 2.0))
    assert row.ours == pytest.approx(Point(3.0 / 1.5, 3.0 / 9.0, 3.0 / 1.0))
    assert row.ours.median == pytest.approx(results.vs_stdlib(
        results.find("workloads", "fib", 2, OURS_THREADING)))
    (pair,) = compare(results, "throughput")
    assert [row.label for row in pair.rows] == ["lock"]  # the failed rlock row is left out
    assert pair.rows[0].ours == pytest.approx(Point(2.5, 2.0, 3.0))
    assert compare(results, "payloads") == []
    for test, payload in (("Queue", "1 MB"), ("Pipe", "1 MB"), ("Queue", "16 MB")):
        for mode in (STDLIB_THREADING, OURS_THREADING):
            results.figure("payloads", test, payload, mode, "MB/s").samples.append(1.0)
    (pair,) = compare(results, "payloads")  # grouped by test, as the tables are
    assert [row.label for row in pair.rows] == ["Queue, 1 MB", "Queue, 16 MB", "Pipe, 1 MB"]
    assert _comparison.label(results.find("workloads", "fib", 2, "linear")) == "fib, 2 workers"


@pytest.mark.skipif(not matplotlib_available(), reason="matplotlib (the plot extra) not installed")
def test_plots_of_recorded_results_one_per_section(tmp_path):
    from concurrent._bench._plot import write_plots

    written = write_plots(_two_sided_results(), str(tmp_path / "new"), "svg")
    assert written == [str(tmp_path / "new" / "workloads.svg"),
                       str(tmp_path / "new" / "throughput.svg")]
    text = (tmp_path / "new" / "workloads.svg").read_text()
    for shown in ("fib, 2 workers", "2.00x", "concurrent.threading"):  # text stays text
        assert shown in text
    again = write_plots(_two_sided_results(), str(tmp_path / "again"), "svg")
    assert (tmp_path / "again" / "workloads.svg").read_text() == text  # no date, no random ids
    assert len(again) == 2


@pytest.mark.skipif(not matplotlib_available(), reason="matplotlib (the plot extra) not installed")
@pytest.mark.parametrize("image_format", ["png", "svg"])
def test_plot_writes_a_figure_per_section_that_ran(tmp_path, capsys, image_format):
    figures = tmp_path / "figures"
    status = _cli.main(["--sections", "workloads,throughput", "--workloads", "empty",
                        "--benchmarks", "lock,value", "--workers", "1", "--repeat", "2",
                        "--modes", "threading,concurrent.threading", "--plot", str(figures),
                        "--plot-format", image_format])
    assert status == 0
    out = capsys.readouterr().out
    assert sorted(path.name for path in figures.iterdir()) == [
        f"throughput.{image_format}", f"workloads.{image_format}"]
    for path in figures.iterdir():
        assert f"wrote {path}" in out
        head = path.read_bytes()[:200]
        assert head.startswith(b"\x89PNG") if image_format == "png" else b"<svg" in head
