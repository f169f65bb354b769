"""The command line of ``python -m concurrent bench``: parse, check, run the sections, report."""

import argparse
import multiprocessing
import os
import sys
import time

from concurrent._bench import _payloads, _runner, _scaleout, _startup, _throughput
from concurrent._bench._modes import (
    WORKER_MODES,
    UnavailableError,
    default_start_method,
    load_backend,
)
from concurrent._bench._plot import (
    FORMATS,
    MISSING_MATPLOTLIB,
    check_plot_dir,
    matplotlib_available,
)
from concurrent._bench._progress import Progress
from concurrent._bench._report import format_table, read_json, write_json
from concurrent._bench._results import Results
from concurrent._bench._workers import BenchError

__all__ = ["build_parser", "main", "run"]

SECTIONS = ("workloads", "throughput", "payloads", "startup", "cluster")
DEFAULT_WORKERS = (1, 2, 4, 8)
FULL_REPEAT, QUICK_REPEAT = 5, 3


def _choices_list(choices):
    """An argparse type: a comma-separated subset of ``choices``, in the order given."""

    def parse(text: str) -> list[str]:
        items = [item.strip() for item in text.split(",") if item.strip()]
        wrong = [item for item in items if item not in choices]
        if wrong or not items:
            raise argparse.ArgumentTypeError(
                f"{text!r}: expected a comma-separated list of {', '.join(choices)}"
            )
        return list(dict.fromkeys(items))

    return parse


def _positive_list(text: str) -> list[int]:
    """An argparse type: comma-separated positive integers, e.g. ``1,2,4,8``."""
    try:
        values = [int(item) for item in text.split(",") if item.strip()]
    except ValueError:
        values = []
    if not values or any(value < 1 for value in values):
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected comma-separated positive integers, e.g. 1,2,4,8"
        )
    return list(dict.fromkeys(values))


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive integer, e.g. 3")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m concurrent bench",
        description=(
            "Reproduce PEP 371's comparison (linear vs threads vs processes) and pyprocessing's "
            "benchmarks, with concurrent.threading and concurrent.processing beside stdlib "
            "threading and multiprocessing from the same run."
        ),
    )
    parser.add_argument("--quick", action="store_true",
                        help="smaller workloads and 3 runs: under a minute on 2 cores "
                             "with the default start method")
    parser.add_argument("--json", metavar="FILE", help="also write every figure and sample here")
    parser.add_argument("--from-json", metavar="FILE",
                        help="run nothing: print the tables of a run saved with --json (and "
                             "draw its figures with --plot)")
    parser.add_argument("--plot", metavar="DIR",
                        help="write one figure per section into DIR (made if missing): ours "
                             "beside the stdlib per row, with the spread of the samples; "
                             "DIR/workloads.svg ... (needs matplotlib)")
    parser.add_argument("--plot-format", choices=FORMATS,
                        help=f"the figures' format (default: {FORMATS[0]})")
    parser.add_argument("--start-method", choices=multiprocessing.get_all_start_methods(),
                        help=f"start method of both process modes (default: "
                             f"{default_start_method()}, the platform's)")
    parser.add_argument("--workers", type=_positive_list, default=list(DEFAULT_WORKERS),
                        metavar="N,N,...", help="worker counts (default: 1,2,4,8)")
    parser.add_argument("--repeat", type=_positive_int, metavar="N",
                        help=f"interleaved runs per figure (default: {FULL_REPEAT}, "
                             f"{QUICK_REPEAT} with --quick)")
    parser.add_argument("--sections", type=_choices_list(SECTIONS), default=list(SECTIONS),
                        metavar="NAME,...", help=f"which parts to run: {', '.join(SECTIONS)}")
    parser.add_argument("--workloads", type=_choices_list(_runner.WORKLOAD_NAMES),
                        default=list(_runner.WORKLOAD_NAMES), metavar="NAME,...",
                        help=f"PEP 371 workloads: {', '.join(_runner.WORKLOAD_NAMES)}")
    parser.add_argument("--benchmarks", type=_choices_list(_throughput.THROUGHPUT_NAMES),
                        default=list(_throughput.THROUGHPUT_NAMES), metavar="NAME,...",
                        help=f"throughput benchmarks: {', '.join(_throughput.THROUGHPUT_NAMES)}")
    parser.add_argument("--modes", type=_choices_list(WORKER_MODES), default=list(WORKER_MODES),
                        metavar="NAME,...",
                        help=f"worker modes besides linear: {', '.join(WORKER_MODES)}")
    parser.add_argument("--sizes", type=_positive_list, metavar="MB,MB,...",
                        help="payload sizes in MB (default: 1,16,128; 1,16 with --quick)")
    parser.add_argument("--no-numpy", action="store_true",
                        help="skip the numpy payloads even when numpy is installed")
    return parser


def _check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse, before anything runs, options that could only fail at the end."""
    if args.from_json is not None and not os.path.isfile(args.from_json):
        parser.error(f"--from-json {args.from_json!r}: no such file")
    if args.json is not None:
        directory = os.path.dirname(os.path.abspath(args.json))
        if not os.path.isdir(directory):
            parser.error(f"--json {args.json!r}: directory {directory!r} does not exist")
    if args.plot is None:
        if args.plot_format is not None:
            parser.error("--plot-format needs --plot DIR")
        return
    problem = check_plot_dir(args.plot)
    if problem is not None:
        parser.error(problem)
    if not matplotlib_available():
        parser.error(MISSING_MATPLOTLIB)


def _machine(args: argparse.Namespace, start_method: str, repeat: int) -> dict:
    import platform

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "usable_cpus": usable,
        "start_method": start_method,
        "quick": args.quick,
        "repeat": repeat,
        "workers": args.workers,
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _backends(modes, start_method: str) -> dict:
    found = {}
    for mode in modes:
        try:
            found[mode] = load_backend(mode, start_method)
        except UnavailableError as exc:
            found[mode] = exc
    return found


def run(args: argparse.Namespace, progress_stream=None) -> Results:
    """Run the sections ``args`` asks for and return every figure; ``BenchError`` on failure."""
    start_method = args.start_method or default_start_method()
    repeat = args.repeat or (QUICK_REPEAT if args.quick else FULL_REPEAT)
    results = Results(meta=_machine(args, start_method, repeat))
    backends = _backends(args.modes, start_method)
    available = sum(not isinstance(backend, UnavailableError) for backend in backends.values())
    sizes_mb = args.sizes or (_payloads.QUICK_SIZES_MB if args.quick else _payloads.FULL_SIZES_MB)
    with_numpy = not args.no_numpy and _payloads.numpy_available()
    steps = 0
    if "workloads" in args.sections:
        steps += len(args.workloads) * len(args.workers) * (1 + available) * repeat
    if "throughput" in args.sections:
        steps += len(args.benchmarks) * available * repeat
    if "payloads" in args.sections:
        kinds = 2 if with_numpy else 1
        steps += len(sizes_mb) * kinds * repeat * (1 + len(_payloads.CHANNELS) * available)
    if "startup" in args.sections:
        steps += _startup.count_steps(backends, repeat)
    if "cluster" in args.sections:
        steps += _scaleout.count_steps(repeat)
    progress = Progress(steps, progress_stream)
    started = time.perf_counter()
    try:
        if "workloads" in args.sections:
            sizes = _runner.QUICK_SIZES if args.quick else _runner.FULL_SIZES
            with _runner.prepared_workloads(args.workloads, sizes) as workloads:
                _runner.run_workloads(results, workloads, args.workers, backends, repeat, progress)
        if "throughput" in args.sections:
            counts = _throughput.QUICK_COUNTS if args.quick else _throughput.FULL_COUNTS
            _throughput.run_throughput(results, args.benchmarks, counts, backends, repeat,
                                       progress)
        if "payloads" in args.sections:
            _payloads.run_payloads(results, sizes_mb, _payloads.CHANNELS, backends, repeat,
                                   progress, with_numpy)
        if "startup" in args.sections:
            _startup.run_startup(results, _startup.QUICK if args.quick else _startup.FULL,
                                 backends, repeat, progress)
        if "cluster" in args.sections:
            _scaleout.run_scaleout(results, _scaleout.QUICK if args.quick else _scaleout.FULL,
                                   start_method, repeat, progress)
    finally:
        progress.finish()
    results.meta["duration_s"] = time.perf_counter() - started
    if with_numpy and "payloads" in args.sections:
        import numpy

        results.meta["numpy"] = numpy.__version__
    return results


def main(argv: list[str]) -> int:
    """``python -m concurrent bench ARGS``: print the table, write JSON/plot when asked."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _check(parser, args)
    if args.from_json is not None:
        try:
            results = read_json(args.from_json)
        except (OSError, ValueError) as exc:  # JSONDecodeError is a ValueError
            print(f"python -m concurrent bench: cannot read {args.from_json}: {exc}",
                  file=sys.stderr)
            return 1
    else:
        try:
            results = run(args)
            results.meta["command"] = " ".join(["python -m concurrent bench", *argv])
        except (BenchError, OSError, RuntimeError) as exc:
            print(f"python -m concurrent bench: failed: {exc}", file=sys.stderr)
            return 1
    sys.stdout.write(format_table(results))
    if args.json is not None:
        write_json(results, args.json)
        print(f"wrote {args.json}")
    if args.plot is not None:
        from concurrent._bench._plot import write_plots

        for path in write_plots(results, args.plot, args.plot_format or FORMATS[0]):
            print(f"wrote {path}")
    return 0
