"""Arguments that cannot be pickled are refused when the task is submitted."""

import threading

from concurrent import processing


class Job:
    def __init__(self, size, guard=None):
        self.size = size
        self.guard = guard  # a thread lock here cannot travel to another process


def measure(job):
    return job.size


if __name__ == "__main__":
    with processing.Pool(1) as pool:
        attempts = [
            ("a thread lock inside an argument",
             lambda: pool.apply_async(measure, (Job(3, threading.Lock()),))),
            ("a lambda as the function",
             lambda: pool.map(lambda job: job.size, [Job(3)])),
        ]
        for label, submit in attempts:
            try:
                submit()
            except processing.UnpicklableError as error:
                print(f"{label}: cannot pickle {error.path}")
                print(f"  what to do: {str(error).rpartition('; ')[2]}")
        # Plain data and a function defined at module level go through.
        print("plain data:", pool.apply(measure, (Job(3),)))
