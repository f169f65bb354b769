# Old-style code on purpose: compat must run it unchanged (lint ignores set in pyproject).
# pyprocessing 0.52 style custom manager: a served class, a restricted view of it, a class
# naming its own exposed methods, and generators walked through a proxy's _callMethod('next').
import sys

from processing import freezeSupport
from processing.managers import BaseManager, BaseProxy, CreatorMethod


class Shelf(object):
    def __init__(self):
        self.items = []

    def add(self, item):
        self.items.append(item)
        return len(self.items)

    def peek(self):
        return list(self.items)

    def _count(self):
        return len(self.items)


class Ticket(object):
    __exposed__ = ('number',)

    def number(self):
        return 7

    def cancel(self):
        pass


def countdown(start):
    while start > 0:
        yield start
        start -= 1


class CountdownProxy(BaseProxy):
    def __iter__(self):
        return self

    def __next__(self):
        return self._callMethod('next')


class ShelfManager(BaseManager):
    ReadOnlyShelf = CreatorMethod(Shelf, exposed=('peek', '_count'))
    Shelf = CreatorMethod(Shelf)
    Ticket = CreatorMethod(Ticket)
    plain_countdown = CreatorMethod(countdown)
    countdown = CreatorMethod(countdown, proxytype=CountdownProxy)


def methods(proxy):
    return [name for name in ('add', 'peek', '_count', 'number', 'cancel')
            if hasattr(proxy, name)]


def main():
    manager = ShelfManager()
    manager.start()
    shelf = manager.Shelf()
    print("added: %d %d" % (shelf.add('cup'), shelf.add('jar')))
    print("shelf: %s, methods %s" % (shelf.peek(), methods(shelf)))
    print("by name: %s" % shelf._callMethod('peek'))
    try:
        shelf._callMethod('_count')
    except Exception as exc:
        print("unexposed: %s" % type(exc).__name__)
    view = manager.ReadOnlyShelf()
    print("view: %s %d, methods %s" % (view.peek(), view._count(), methods(view)))
    print("ticket: %d, methods %s" % (manager.Ticket().number(), methods(manager.Ticket())))
    print("countdown: %s" % list(manager.countdown(3)))
    plain = manager.plain_countdown(2)
    print("plain: %d %d" % (plain._callMethod('next'), plain._callMethod('next')))
    manager.shutdown()


if __name__ == "__main__":
    freezeSupport()
    if len(sys.argv) > 1:  # test harness: the start method to use
        import multiprocessing
        multiprocessing.set_start_method(sys.argv[1])
    main()
