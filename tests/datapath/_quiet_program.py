"""Programs that move large payloads, in normal use and when a peer dies; run as
``python -m tests.datapath._quiet_program SCENARIO START_METHOD``.  They must print nothing on
stderr: no resource-tracker warning or traceback."""

import os
import sys

from concurrent import processing

BIG = 40 << 20  # past the Pipe's threshold, and the segment pool's
WAIT = 60


def echo_lengths(connection) -> None:
    while (obj := connection.recv()) is not None:
        connection.send(len(obj))


def send_then_die(connection) -> None:
    connection.send(b"s" * BIG)
    os._exit(0)


def sleep_forever(connection) -> None:
    connection.recv()  # never comes: the parent kills this process


def put_then_die(queue) -> None:
    queue.put(b"q" * BIG)
    os._exit(0)


def pipe_round_trips(ctx) -> None:
    here, there = ctx.Pipe()
    child = ctx.Process(target=echo_lengths, args=(there,))
    child.start()
    for _ in range(3):
        here.send(os.urandom(1024) * (BIG >> 10))
        assert here.recv() == BIG
    here.send(None)
    child.join(WAIT)


def sender_dies(ctx) -> None:
    here, there = ctx.Pipe()
    child = ctx.Process(target=send_then_die, args=(there,))
    child.start()
    child.join(WAIT)
    assert here.recv() == b"s" * BIG  # sent before it died: still there


def receiver_dies(ctx) -> None:
    here, there = ctx.Pipe()
    child = ctx.Process(target=sleep_forever, args=(there,))
    child.start()
    here.send(b"never read")
    here.send(b"r" * BIG)  # waits in the socket, with its descriptor, when the child is killed
    child.kill()
    child.join(WAIT)


def queue_producer_dies(ctx) -> None:
    queue = ctx.Queue()
    child = ctx.Process(target=put_then_die, args=(queue,))
    child.start()
    child.join(WAIT)
    assert queue.get(timeout=WAIT) == b"q" * BIG


SCENARIOS = {function.__name__: function for function in (
    pipe_round_trips, sender_dies, receiver_dies, queue_producer_dies)}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]](processing.get_context(sys.argv[2]))
    print("ok")
