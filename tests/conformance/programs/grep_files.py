"""A grep written the way multiprocessing programs are: one process and one bounded queue per
file, ``set_start_method("spawn")`` first.  The backend is named on the command line, so the same
program runs on every backend by changing one import:

    python grep_files.py concurrent.processing PATTERN FILE...
"""

import importlib
import re
import sys


def search(path, pattern, results):
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, 1):
            if re.search(pattern, line):
                results.put((path, number, line.rstrip("\n")))
    results.put(None)


def main(backend_name, pattern, paths):
    backend = importlib.import_module(backend_name)
    backend.set_start_method("spawn")
    context = backend.get_context(backend.get_start_method())
    jobs = []
    for path in paths:
        results = context.Queue(maxsize=4)
        worker = context.Process(target=search, args=(path, pattern, results))
        worker.start()
        jobs.append((worker, results))
    found = []
    for worker, results in jobs:
        while (match := results.get(timeout=60)) is not None:
            found.append(match)
        worker.join(60)
    for path, number, line in sorted(found):
        print(f"{path}:{number}:{line}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
