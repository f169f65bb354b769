"""Choose a start method for one part of a program with a context."""

from concurrent import processing


def describe(tag):
    return f"{tag} ran in {processing.current_process().name}"


if __name__ == "__main__":
    print("spawn is available:", "spawn" in processing.get_all_start_methods())
    # "spawn" exists on every platform: each child is a fresh interpreter that imports this
    # module, hence the __main__ guard above.
    spawn = processing.get_context("spawn")
    with spawn.Pool(1) as pool:
        print(pool.apply(describe, ("spawn pool task",)).split(" in ")[0])
    queue = spawn.Queue()
    child = spawn.Process(target=queue.put, args=("hello from a spawned child",))
    child.start()
    print(queue.get(timeout=60))
    child.join()
