# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pprocess 0.5.1's thread-style processes: start() a callable, then talk to it on its channel.
import sys

import pprocess


def countdown(channel, start):
    """Send start, start-1, ... 1, adding up the replies; then send the total."""
    total = 0
    n = start
    while n:
        channel.send(n)
        total += channel.receive()
        n -= 1
    channel.send(("total", total))


def refuse(channel, item):
    raise KeyError(item)


def word_lengths(channel, words):
    for word in words:
        channel.send((word, len(word)))


def main():
    channel = pprocess.start(countdown, 4)
    heard = []
    message = channel.receive()
    while not isinstance(message, tuple):
        heard.append(message)
        channel.send(message * 10)
        message = channel.receive()
    print("conversation: heard %s, then %s" % (heard, message))
    print("child pid known: %s" % (channel.pid > 0))

    channel = pprocess.start(refuse, "spam")
    try:
        channel.receive()
    except KeyError as error:
        print("the child's error arrives: KeyError %s" % error)

    exchange = pprocess.Exchange()
    for batch in (["alpha", "beta"], ["gamma"], ["delta", "epsilon", "zeta"]):
        exchange.add(pprocess.start(word_lengths, batch))
    print("watching %d channels" % len(exchange.active()))
    lengths = {}
    while exchange.active():
        for ready in exchange.ready(250):  # milliseconds
            word, length = ready.receive()
            lengths[word] = length
    print("lengths: %s" % sorted(lengths.items()))
    print("nothing ready on an empty exchange: %s" % exchange.ready(0))

    pprocess.start(countdown, 2)  # never read: the program must still end
    print("leaving a child unread")


if __name__ == "__main__":
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
