"""The bench's cluster section: concurrent.distributed measured beside concurrent.processing."""

import io

import pytest

from concurrent._bench import _scaleout
from concurrent._bench._modes import LINEAR, OURS_DISTRIBUTED, OURS_PROCESSING
from concurrent._bench._progress import Progress
from concurrent._bench._report import format_table
from concurrent._bench._results import Results
from tests.conftest import QUICK_METHOD


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_cluster_rows_are_real_and_compared_with_our_process_backend(cluster):
    results = Results(meta={"repeat": 1})
    _scaleout.run_scaleout(results, {"task_overhead": 40, "cpu_map": 18}, QUICK_METHOD, 1,
                           Progress(_scaleout.count_steps(1), io.StringIO()))
    size = _scaleout.workers()
    for test in _scaleout.DESCRIPTIONS:
        for mode in (OURS_PROCESSING, OURS_DISTRIBUTED):
            figure = results.find(_scaleout.SECTION, test, size, mode)
            assert figure is not None and figure.ok, (test, mode, figure)
        ours = results.find(_scaleout.SECTION, test, size, OURS_DISTRIBUTED)
        assert results.vs_stdlib(ours) > 0  # over concurrent.processing, same run
    assert results.find(_scaleout.SECTION, "cpu_map", size, LINEAR).ok
    table = format_table(results)
    assert "Scaling out: concurrent.distributed" in table and "unavailable" not in table
    assert f"vs: {OURS_DISTRIBUTED}'s speed / {OURS_PROCESSING}'s in the same run" in table


def test_an_unavailable_cluster_is_reported_not_raised(monkeypatch):
    def refuse(mode, size, start_method):
        if mode == OURS_DISTRIBUTED:
            raise ImportError("no cluster here")
        return _scaleout.__dict__["_real_pool"](mode, size, start_method)

    monkeypatch.setitem(_scaleout.__dict__, "_real_pool", _scaleout._pool)
    monkeypatch.setattr(_scaleout, "_pool", refuse)
    results = Results(meta={"repeat": 1})
    _scaleout.run_scaleout(results, {"task_overhead": 10, "cpu_map": 10}, QUICK_METHOD, 1,
                           Progress(1, io.StringIO()))
    lines = _scaleout.format_section(results, 1)
    assert any("unavailable: ImportError: no cluster here" in line for line in lines)
    assert _scaleout.format_section(Results(), 1) == []
