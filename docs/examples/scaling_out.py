"""Scale a processing program out to a Dask cluster by changing its import line.

Without connect() or $CONCURRENT_DISTRIBUTED_SCHEDULER, the first use starts an embedded
LocalCluster of worker processes on 127.0.0.1 and closes it at exit.
"""

from concurrent import distributed as backend  # was: from concurrent import processing


def is_palindrome(word: str) -> bool:
    return word == word[::-1]


def record(results, word: str) -> None:
    results.put((word, is_palindrome(word)))


def main() -> None:
    words = ["level", "cluster", "rotor", "dask"]
    with backend.Pool() as pool:
        print("pool.map:", pool.map(is_palindrome, words))
    results = backend.Queue()
    worker = backend.Process(target=record, args=(results, "noon"))
    worker.start()
    print("from a worker:", results.get(timeout=60))
    worker.join(60)
    print("exit code", worker.exitcode, "- ran in a process of its own:", worker.pid > 0)
    print("capabilities:", sorted(c.name for c in backend.get_context().capabilities))


if __name__ == "__main__":
    main()
