"""Run by an interpreter under test: report where ``concurrent.*`` imports from, as JSON.

``python probe.py ORDER`` imports the stdlib's ``concurrent.futures`` (and, on 3.14+,
``concurrent.interpreters``) and our subpackages in ORDER (``stdlib-first`` or ``ours-first``),
then asks a spawn and a forkserver child to import ``concurrent.processing`` too.  It is a
script, not a test: it must run with only the stdlib.
"""

import json
import sys

SUBPACKAGES = ("concurrent.processing", "concurrent.threading", "concurrent._shared")
STDLIB = ("concurrent.futures", *(("concurrent.interpreters",)
                                  if sys.version_info >= (3, 14) else ()))


def child_import(queue):
    import concurrent.futures
    import concurrent.processing

    if sys.version_info >= (3, 14):
        import concurrent.interpreters
    queue.put((concurrent.processing.__file__, concurrent.futures.__file__))


def main(order: str) -> None:
    import importlib

    names = [*STDLIB, *SUBPACKAGES]
    if order == "ours-first":
        names.reverse()
    files = {name: importlib.import_module(name).__file__ for name in names}

    import multiprocessing

    children = {}
    for method in ("spawn", "forkserver"):
        context = multiprocessing.get_context(method)
        queue = context.SimpleQueue()
        process = context.Process(target=child_import, args=(queue,))
        process.start()
        process.join(60)
        children[method] = queue.get() if process.exitcode == 0 else f"exit {process.exitcode}"
        queue.close()
    json.dump({"files": files, "children": children}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
