"""What a bench run produces: one ``Figure`` per (test, parameter, mode), and the ratios.

A figure keeps every sample, so the median and the best are computed, never stored, and the
JSON output carries the raw measurements behind each number in the table.
"""

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from concurrent._bench._modes import (
    BASELINE,
    LINEAR,
    OURS_INTERPRETING,
    STDLIB_PROCESSING,
    UnavailableError,
)

__all__ = ["INTERPRETER_CASE", "INTERPRETER_START_BASELINE", "Figure", "Results", "SECONDS",
           "record"]

SECONDS = "s"
INTERPRETER_CASE = "interpreter"  # the start-up rows of concurrent.interpreting's workers
INTERPRETER_START_BASELINE = "spawn"  # the process start method those rows are compared with


@dataclass
class Figure:
    """The samples of one mode on one test and parameter (``workers`` or a payload label)."""

    section: str
    test: str
    param: int | str
    mode: str
    unit: str
    samples: list[float] = field(default_factory=list)
    unavailable: str | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.unit != SECONDS

    @property
    def ok(self) -> bool:
        return self.unavailable is None and bool(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return max(self.samples) if self.higher_is_better else min(self.samples)

    @property
    def speed(self) -> float:
        """The median as a speed (higher is faster), to compare figures of any unit."""
        return self.median if self.higher_is_better else 1.0 / self.median


def record(figure: Figure, measure: Callable[[], float]) -> None:
    """Append ``measure()`` to ``figure``'s samples, or say why there is no sample.

    A name the backend lacks, or any failure of one of *our* backends, marks the figure
    unavailable with the reason and the run goes on; a stdlib failure is a bench bug and raises.
    """
    try:
        sample = measure()
    except UnavailableError as exc:
        figure.unavailable = str(exc)
        return
    except Exception as exc:
        if figure.mode not in BASELINE:
            raise
        figure.unavailable = f"failed: {type(exc).__name__}: {exc}"
        return
    figure.samples.append(sample)


@dataclass
class Results:
    """All figures of a run, its description, and memcpy references (MB/s by payload label)."""

    meta: dict = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    memcpy: dict[str, list[float]] = field(default_factory=dict)
    tests: dict[str, str] = field(default_factory=dict)  # test name -> what it measures

    def figure(self, section: str, test: str, param, mode: str, unit: str) -> Figure:
        """The figure for these keys, created empty on first use."""
        existing = self.find(section, test, param, mode)
        if existing is None:
            existing = Figure(section, test, param, mode, unit)
            self.figures.append(existing)
        return existing

    def find(self, section: str, test: str, param, mode: str) -> Figure | None:
        for existing in self.figures:
            if (existing.section, existing.test, existing.param, existing.mode) == (
                section, test, param, mode,
            ):
                return existing
        return None

    def baseline(self, figure: Figure) -> Figure | None:
        """The stdlib figure that ``figure`` is compared with: its baseline mode's in the same
        row; for an interpreter's start-up, multiprocessing's under spawn (threads have no
        start-up row, and spawn is the other way to give a worker a fresh interpreter)."""
        baseline_mode = BASELINE.get(figure.mode)
        if baseline_mode is None:
            return None
        if (figure.mode == OURS_INTERPRETING and figure.section == "startup"
                and figure.param == INTERPRETER_CASE):
            return self.find(figure.section, figure.test, INTERPRETER_START_BASELINE,
                             STDLIB_PROCESSING)
        return self.find(figure.section, figure.test, figure.param, baseline_mode)

    def vs_stdlib(self, figure: Figure) -> float | None:
        """Our figure's speed over the stdlib's from the same run (>1: ours is faster)."""
        if not figure.ok:
            return None
        baseline = self.baseline(figure)
        if baseline is None or not baseline.ok:
            return None
        return figure.speed / baseline.speed

    def speedup(self, figure: Figure) -> float | None:
        """A workload figure's speed-up over linear at the same number of workers."""
        if figure.section != "workloads" or not figure.ok:
            return None
        linear = self.find(figure.section, figure.test, figure.param, LINEAR)
        if linear is None or not linear.ok:
            return None
        return linear.median / figure.median

    def memcpy_mb_s(self, payload: str) -> float | None:
        samples = self.memcpy.get(payload)
        return statistics.median(samples) if samples else None

    def memcpy_fraction(self, figure: Figure) -> float | None:
        """A payload figure's MB/s as a fraction of a memcpy of the same payload, same run."""
        reference = self.memcpy_mb_s(figure.param)
        if reference is None or not figure.ok:
            return None
        return figure.median / reference
