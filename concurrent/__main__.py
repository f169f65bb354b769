"""``python -m concurrent``: the command line (``info``, ``bench``)."""

import argparse
import sys

BACKENDS = ("concurrent.threading", "concurrent.processing", "concurrent.distributed",
            "concurrent.interpreting")


def _gil_status() -> str:
    import sysconfig

    if not sysconfig.get_config_var("Py_GIL_DISABLED"):
        return "GIL"
    enabled = getattr(sys, "_is_gil_enabled", lambda: True)()
    return "free-threaded (GIL re-enabled at run time)" if enabled else "free-threaded"


def _backend_status(name: str) -> str:
    import importlib

    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        return f"unavailable ({exc})"
    exported = getattr(module, "__all__", ())
    return f"available ({len(exported)} public names)" if exported else "not built yet"


def _cluster_status() -> str:
    # The cluster concurrent.distributed would use; nothing is started or connected.
    try:
        from concurrent import distributed
    except ImportError as exc:
        return f"unavailable ({exc})"
    return distributed.describe()


def format_info() -> str:
    """The report of ``python -m concurrent info``: what a bug report or a benchmark needs."""
    import multiprocessing
    import os
    import platform

    from concurrent._shared import __version__

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"concurrent {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{_gil_status()}) on {platform.system()} {platform.machine()}",
        f"cpu_count: {os.cpu_count()} (usable by this process: {usable})",
        "backends:",
        *(f"  {name}: {_backend_status(name)}" for name in BACKENDS),
        f"start methods: {', '.join(multiprocessing.get_all_start_methods())}",
        f"default start method: {multiprocessing.get_context().get_start_method()}",
        f"cluster (concurrent.distributed): {_cluster_status()}",
    ]
    return "\n".join(lines)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m concurrent",
        description="Inspect the concurrent package and compare its backends with the stdlib.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("info", help="print the version, the Python build, CPUs and backends")
    commands.add_parser(
        "bench",
        help="compare our backends with stdlib threading/multiprocessing (see: bench --help)",
        add_help=False,
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args, rest = _build_parser().parse_known_args(argv)
    if args.command == "bench":
        from concurrent._bench import main as bench_main

        return bench_main(rest)
    if rest:
        _build_parser().error(f"unrecognized arguments: {' '.join(rest)}")
    print(format_info())
    return 0


if __name__ == "__main__":
    sys.exit(main())
