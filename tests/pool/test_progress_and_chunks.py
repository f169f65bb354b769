"""progress= reporting and the automatic chunk size."""

import io

import pytest

from concurrent._shared._machinery.pool.chunks import ChunkSizer, map_chunksize
from concurrent._shared._machinery.pool.progress import ProgressBar, make_reporter
from concurrent._shared._machinery.pool.results import IMapIterator, Outcome
from concurrent.processing.pool import Pool
from tests.conftest import QUICK_METHOD
from tests.pool import _targets
from tests.pool.conftest import get_context


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("call", ["map", "starmap", "imap", "imap_unordered"])
def test_progress_callable_counts_up_to_total(shared_pool, call):
    seen = []
    func = _targets.add if call == "starmap" else _targets.square
    items = [(x, 1) for x in range(30)] if call == "starmap" else list(range(30))
    result = getattr(shared_pool, call)(func, items, progress=lambda d, t: seen.append((d, t)))
    assert len(list(result)) == 30
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == 30
    assert {t for _, t in seen} == {30}


def test_chunks_that_arrive_early_count_once_each_in_order():
    # Chunks 2 and 3 wait for chunk 1, then all three are handed out at once: the progress
    # counts (and the pool's _cache) must add each chunk's own size once.
    seen, cache = [], {}
    results = IMapIterator(True, lambda done, total: seen.append((done, total)), 7, cache=cache)
    results.deliver(4, 3, Outcome.OK, [40, 50, 60])
    results.deliver(2, 2, Outcome.OK, [20, 30])
    assert cache and list(results._chunks) == []
    results.deliver(0, 2, Outcome.OK, [0, 10])
    assert seen == [(3, 7), (5, 7), (7, 7)] and cache == {}
    assert list(results) == [0, 10, 20, 30, 40, 50, 60]


def test_progress_true_is_silent_without_a_terminal(capfd):
    with Pool(1, context=get_context(QUICK_METHOD)) as pool:
        assert pool.map(_targets.square, range(5), progress=True) == [0, 1, 4, 9, 16]
    assert capfd.readouterr().err == ""
    assert make_reporter(True, io.StringIO()) is None


def test_map_progress_true_draws_on_a_terminal_stderr(shared_pool, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert shared_pool.map(_targets.square, range(20), progress=True) == [
        x * x for x in range(20)]
    assert "20/20" in terminal.getvalue() and terminal.getvalue().endswith("\n")


def test_progress_bar_draws_on_a_terminal():
    stream = _Terminal()
    bar = make_reporter(True, stream)
    assert isinstance(bar, ProgressBar)
    bar(0, 4)
    bar(4, 4)
    text = stream.getvalue()
    assert text.endswith("\n")
    assert "4/4" in text and "[" + "#" * 30 + "]" in text
    assert "ETA" in ProgressBar(stream).render(1, 4, 2.0)
    assert "3 done" in ProgressBar(stream).render(3, None, 1.0)


def test_map_chunksize_rule():
    assert map_chunksize(0, 2) == 1
    assert map_chunksize(100, 2) == 13
    assert map_chunksize(3, 8) == 1


def test_chunk_sizer_grows_for_fast_tasks_and_stays_small_for_slow():
    fast = ChunkSizer(2)
    for _ in range(20):
        fast.record(fast.next_size(), fast.next_size() * 1e-6)
    assert fast.next_size() == 4096
    slow = ChunkSizer(2)
    for _ in range(20):
        slow.record(slow.next_size(), slow.next_size() * 0.5)
    assert slow.next_size() == 1
    bounded = ChunkSizer(2, length=80)
    for _ in range(20):
        bounded.record(bounded.next_size(), 1e-9)
    assert bounded.next_size() == 10


def test_imap_auto_chunks_fast_tasks(shared_pool):
    results = list(shared_pool.imap(_targets.square, range(3000)))
    assert results == [x * x for x in range(3000)]


def test_each_redraw_covers_what_the_longer_line_before_it_left():
    stream = io.StringIO()
    bar = ProgressBar(stream, interval=0)
    lines = iter(["[#.] 1/2  123,456.7/s  ETA 1:00:00", "[##] 2/2  9.8/s  in 0:02"])
    bar.render = lambda done, total, elapsed: next(lines)
    bar(1, 2)
    bar(2, 2)
    drawn = stream.getvalue().split("\r")[-1]
    assert drawn.rstrip("\n").rstrip() == "[##] 2/2  9.8/s  in 0:02"
    assert len(drawn.rstrip("\n")) == len("[#.] 1/2  123,456.7/s  ETA 1:00:00")
