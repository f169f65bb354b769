"""pprocess 0.5.1's API on ``concurrent.processing``, for code written for Paul Boddie's pprocess.

Every pprocess name works with pprocess's semantics and ordering guarantees, and every use of
one issues ``LegacyNameWarning`` naming what to write instead: calling a function, constructing
an object of a class (or of a subclass), and the ``class`` statement of a subclass.  Methods of
the objects they make do not warn again.

How it maps onto ``concurrent.processing``:

* ``start(fn, *args)`` runs ``fn(channel, *args)`` in a ``Process`` under the current start
  method; a ``Channel`` is a ``Pipe`` ``Connection`` carrying pprocess's rendezvous (``send``
  waits until the other end has received).  ``create()`` is ``os.fork()`` and exists only where
  fork does; elsewhere it raises ``RuntimeError`` pointing at ``start()``.
* ``Exchange`` (and ``Map``, ``Queue``) wait on their channels with
  ``concurrent.processing.connection.wait``.
* ``pmap(fn, seq, limit=n)`` is ``Pool(n, maxtasksperchild=1).imap(fn, seq, chunksize=1)``:
  each item in a process of its own, results in item order.
* ``BackgroundCallable``, ``BackgroundQueue``, ``PersistentQueue`` and ``PersistentExchange``
  reach background processes through ``concurrent.processing.connection`` ``Listener`` and
  ``Client`` at a UNIX-domain socket address.
* ``get_number_of_cores()`` is ``cpu_count()`` (pprocess counted the processor entries of
  ``/proc/cpuinfo``: the same number).

A process that dies never leaves its creator waiting: ``receive()``/``send()`` on its channel
raise ``ProcessLostError`` (an ``EOFError``, as pprocess raised, and a
``concurrent.processing.WorkerLostError``), an exchange watching it raises that error, and a
``Map`` or ``pmap`` result raises it in place of the missing result.

Deliberate differences from pprocess 0.5.1, each where it lost data or hung:

* a created process that dies is reported as above; pprocess dropped its channel silently, so
  a ``Map`` ended early without the missing results;
* ``Map`` (and ``pmap``'s result) raise an error a call raised where its result belongs, in
  order, and the other results stay available; pprocess raised it whenever it was received;
* ``store()`` lets an ``OSError`` from ``store_data`` propagate; pprocess removed the channel and
  only warned;
* ``limit`` must be a positive number (pprocess waited for ever with 0);
* ``pmap`` with ``limit=None`` runs ``cpu_count()`` processes at a time (pprocess: all at once);
* timeouts of ``ready``/``store`` are milliseconds, as pprocess's code took them (its reference
  said seconds);
* a ``start()``-ed callable that raises ``SystemExit`` ends its process, which its creator sees
  as a lost process (pprocess sent the ``SystemExit`` object as if it were a result);
* a ``create()``-d process that runs off the end of the program instead of calling ``exit()``
  leaves without running its creator's exit handlers (pprocess ran them, in both processes);
* background processes are fresh interpreters rather than forks of their starter, so their
  callable and arguments must pickle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import concurrent.processing as _new
from compat._legacy import legacy_function
from compat.pprocess._background import (
    BackgroundCallable,
    PersistentExchange,
    PersistentQueue,
    background_queue,
)
from compat.pprocess._channel import AcknowledgementError, Channel, ProcessLostError
from compat.pprocess._collect import MakeParallel, MakeReusable, Map, Queue
from compat.pprocess._exchange import Exchange
from compat.pprocess._pmap import PoolResults, pool_map
from compat.pprocess._processes import create_process, exit_process, start_process

__all__ = [
    "AcknowledgementError",
    "BackgroundCallable",
    "BackgroundQueue",
    "Channel",
    "Exchange",
    "MakeParallel",
    "MakeReusable",
    "Map",
    "PersistentExchange",
    "PersistentQueue",
    "PoolResults",
    "ProcessLostError",
    "Queue",
    "create",
    "exit",
    "get_number_of_cores",
    "pmap",
    "start",
]

__version__ = "0.5.1"  # the pprocess release whose API this is


def _legacy(name: str, target: Callable[..., Any]) -> Callable[..., Any]:
    shim = legacy_function("pprocess", name, target)
    shim.__doc__ = f"{target.__doc__}\n\n{shim.__doc__}"
    return shim


start = _legacy("start", start_process)
create = _legacy("create", create_process)
exit = _legacy("exit", exit_process)  # pprocess's name
pmap = _legacy("pmap", pool_map)
get_number_of_cores = _legacy("get_number_of_cores", _new.cpu_count)
BackgroundQueue = _legacy("BackgroundQueue", background_queue)
