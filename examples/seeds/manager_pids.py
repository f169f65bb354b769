"""PEP 371's Manager demo: workers append their process id to a list that a manager shares.

Change the import line to run it on another backend; nothing else changes.
"""

import os

from concurrent import distributed as backend  # or: processing, threading

WORKERS = 4
TIMEOUT = 60.0


def append_pid(pids) -> None:
    pids.append(os.getpid())


def main() -> None:
    with backend.Manager() as manager:
        pids = manager.list()
        workers = [backend.Process(target=append_pid, args=(pids,)) for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(TIMEOUT)
        print(f"{len(pids)} workers appended their pid")
        print("every entry is a pid:", all(isinstance(pid, int) and pid > 0 for pid in pids))


if __name__ == "__main__":
    main()
