"""The bench runs the interpreter backend beside threads and processes (its ratio against
threading), and reports it unavailable, with the reason, where it cannot run."""

import multiprocessing
import sys

import pytest

from concurrent._bench import _payloads, _runner, _startup, _throughput
from concurrent._bench._modes import (
    OURS_INTERPRETING,
    STDLIB_PROCESSING,
    STDLIB_THREADING,
    UnavailableError,
    default_start_method,
    load_backend,
)
from concurrent._bench._report import format_table, to_json
from concurrent._bench._results import INTERPRETER_CASE, Results
from tests.interpreting.conftest import needs_interpreters

TINY = _runner.Sizes(fibonacci=15, primes_below=2_000, file_bytes=10_000, file_reads=10,
                     http_requests=1, queue_items=200)


class _Silent:
    def step(self, label: str) -> None:
        pass


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="this Python has concurrent.interpreters")
def test_before_314_the_mode_is_reported_unavailable_with_the_reason():
    with pytest.raises(UnavailableError, match=r"needs Python 3\.14 or newer"):
        load_backend(OURS_INTERPRETING, default_start_method())


@needs_interpreters
def test_workloads_run_on_interpreters_beside_threads():
    backends = {mode: load_backend(mode, default_start_method())
                for mode in (STDLIB_THREADING, OURS_INTERPRETING)}
    results = Results(meta={"repeat": 1})
    with _runner.prepared_workloads(["empty", "fibonacci", "queue"], TINY) as workloads:
        _runner.run_workloads(results, workloads, [1, 2], backends, 1, _Silent(), timeout=60)
    ours = [figure for figure in results.figures if figure.mode == OURS_INTERPRETING]
    assert len(ours) == 6 and all(figure.ok for figure in ours), [f.unavailable for f in ours]
    assert all(results.vs_stdlib(figure) > 0 for figure in ours)
    assert to_json(results)["figures"][-1]["vs_stdlib"]["baseline"] == STDLIB_THREADING
    table = format_table(results)
    assert "concurrent.interpreting's vs is against threading" in table


@needs_interpreters
def test_throughput_and_payloads_on_interpreters():
    backends = {OURS_INTERPRETING: load_backend(OURS_INTERPRETING, default_start_method())}
    results = Results(meta={"repeat": 1})
    counts = {"queue": 200, "pipe": 200, "lock": 1000, "condition": 20, "manager_list": 20}
    _throughput.run_throughput(results, list(counts), counts, backends, 1, _Silent(), timeout=60)
    assert all(figure.ok for figure in results.figures), [f.unavailable for f in results.figures]
    _payloads.run_payloads(results, [1], ["Queue", "Pipe"], backends, 1, _Silent(),
                           with_numpy=_payloads.numpy_available(), timeout=60)
    assert results.find("payloads", "Queue", "bytes 1 MB", OURS_INTERPRETING).ok
    if _payloads.numpy_available():
        refused = results.find("payloads", "Pipe", "numpy 1 MB", OURS_INTERPRETING)
        assert refused.unavailable.startswith("numpy does not load in an interpreter")


@needs_interpreters
def test_startup_rows_put_an_interpreter_worker_beside_spawn():
    sizes = _startup.Sizes(1, 5, {method: 1 for method in (*multiprocessing.get_all_start_methods(),
                                                           INTERPRETER_CASE)})
    backends = {mode: load_backend(mode, default_start_method())
                for mode in (STDLIB_THREADING, STDLIB_PROCESSING, OURS_INTERPRETING)}
    results = Results(meta={"repeat": 1})
    _startup.run_startup(results, sizes, backends, 1, _Silent(), timeout=60)
    for test, case in (("import", _startup.IMPORT_CASE), ("queue_create", "Queue()")):
        figure = results.find("startup", test, case, OURS_INTERPRETING)
        assert figure.ok and results.baseline(figure).mode == STDLIB_THREADING
    for test in ("start_join", "first_start_join"):
        figure = results.find("startup", test, INTERPRETER_CASE, OURS_INTERPRETING)
        assert figure.ok and len(figure.samples) == 1, figure.unavailable
        assert results.find("startup", test, INTERPRETER_CASE, STDLIB_PROCESSING) is None
        baseline = results.baseline(figure)
        assert (baseline.param, baseline.mode) == ("spawn", STDLIB_PROCESSING)
        assert results.vs_stdlib(figure) > 0
    versus = next(document["vs_stdlib"] for document in to_json(results)["figures"]
                  if document["test"] == "start_join" and document["mode"] == OURS_INTERPRETING)
    assert versus["baseline"] == STDLIB_PROCESSING and versus["baseline_param"] == "spawn"
    assert "its start-up rows: against multiprocessing under spawn" in format_table(results)
