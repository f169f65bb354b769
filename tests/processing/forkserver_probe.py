"""Run by path in a fresh interpreter, so the fork server it uses is its own.

    python forkserver_probe.py FIRST [PRELOAD ...]

Sets the user's preload to the PRELOAD names (when any are given), starts an empty process
under forkserver (``FIRST``: ``ours`` for ``concurrent.processing``, ``stdlib`` for
``multiprocessing``: whichever starts the fork server), then a multiprocessing forkserver
process whose target reports which modules it finds already imported.  That child unpickles
nothing of ours, so a module of ours in its ``sys.modules`` came from the fork server.  Prints
the report as JSON.

Nothing is imported at the top but the standard library: children of Pythons before 3.14 run
this file again as ``__mp_main__``, and that must not import our package either.
"""

import json
import sys

WATCHED = ("concurrent.processing", "concurrent.processing.process", "concurrent.processing.queues",
           "concurrent.processing._pool.worker", "colorsys")


def empty() -> None:
    """The first process: it only has to start the fork server."""


def report(connection) -> None:
    connection.send({name: name in sys.modules for name in WATCHED})
    connection.close()


def main(first: str, preload: list[str]) -> None:
    import multiprocessing

    import concurrent.processing

    if preload:
        concurrent.processing.set_forkserver_preload(preload)
    starter = concurrent.processing if first == "ours" else multiprocessing
    process = starter.get_context("forkserver").Process(target=empty)
    process.start()
    process.join(60)
    stdlib = multiprocessing.get_context("forkserver")
    receiver, sender = stdlib.Pipe(duplex=False)
    child = stdlib.Process(target=report, args=(sender,))
    child.start()
    sender.close()
    found = receiver.recv() if receiver.poll(60) else None
    child.join(60)
    print(json.dumps({"first_exitcode": process.exitcode, "exitcode": child.exitcode,
                      "preloaded": found}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
