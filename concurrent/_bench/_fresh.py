"""A fresh interpreter's measurement for the start-up section, run as a script by path.

    python _fresh.py import MODULE
        seconds that ``import MODULE`` takes in this fresh interpreter
    python _fresh.py start_join MODULE METHOD COUNT
        seconds of ``MODULE.get_context(METHOD)`` and the first start+join of an empty
        ``Process`` (with forkserver it launches the fork server), then the mean of the COUNT
        next start+joins

It prints the figures, one a line.  Each run is a program of its own, as a user's is: its own
fork server, its own imports.  It is run by path, as a user's script is, so spawn and forkserver
children re-run it as ``__mp_main__`` the way they re-run a script: it imports only ``sys`` and
``time`` at the top, and runs nothing else outside the ``__main__`` guard.
"""

import sys
import time


def empty() -> None:
    """The target: the time measured is starting and joining the process."""


def _import(module: str) -> None:
    started = time.perf_counter()
    __import__(module)
    print(time.perf_counter() - started)


def _start_join(context, started: float) -> float:
    process = context.Process(target=empty)
    process.start()
    process.join()
    elapsed = time.perf_counter() - started
    if process.exitcode != 0:
        sys.exit(f"the empty process exited with {process.exitcode}")
    return elapsed


def _start_joins(module: str, method: str, count: int) -> None:
    # The first figure counts the import and get_context too: a module may import in either
    # what another imports when its first process starts.
    started = time.perf_counter()
    __import__(module)
    context = sys.modules[module].get_context(method)
    print(_start_join(context, started))
    print(sum(_start_join(context, time.perf_counter()) for _ in range(count)) / count)


if __name__ == "__main__":
    if sys.argv[1] == "import":
        _import(sys.argv[2])
    else:
        _start_joins(sys.argv[2], sys.argv[3], int(sys.argv[4]))
