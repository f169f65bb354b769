"""Creating processes the pprocess ways: thread-style ``start``, fork-style ``create``, ``exit``.

``start(callable, *args)`` runs ``callable(channel, *args)`` in a ``concurrent.processing``
``Process`` under the current start method, so it works under fork, spawn and forkserver (under
the last two the callable and its arguments must pickle, as a ``Process`` target's must).
``create()`` is ``os.fork()``: it returns in both processes, so it exists only where fork does.
"""

from __future__ import annotations

import atexit
import os
import sys
import traceback
import weakref
from collections.abc import Callable
from typing import Any, NoReturn

import concurrent.processing as _new
from compat.pprocess._channel import (
    Channel,
    ForkedPeer,
    Kind,
    Message,
    ProcessLostError,
    StartedPeer,
)
from compat.pprocess._warned import quietly

__all__ = ["create_process", "exit_process", "fork_available", "guard_exit", "leave",
           "report_failure", "start_process", "track"]

_parent_channels: weakref.WeakSet[Channel] = weakref.WeakSet()
_closing_registered = False


def _close_parent_channels() -> None:
    # At exit, multiprocessing joins every child; a child still waiting for the receipt of what
    # it sent would wait for ever, as this process holds its channel open.  pprocess's children
    # saw the channel close when their creator exited: close it first (atexit runs this first,
    # as it is registered after multiprocessing's own handler).
    for channel in list(_parent_channels):
        channel.close()


def track(channel: Channel) -> Channel:
    global _closing_registered
    if not _closing_registered:
        atexit.register(_close_parent_channels)
        _closing_registered = True
    _parent_channels.add(channel)
    return channel


def _run_started(connection: _new.Connection, creators_end: _new.Connection | None,
                 target: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> None:
    """The created process of ``start()``: run the callable, report what it raised."""
    if creators_end is not None:  # forked with the creator's end open: or it never sees it close
        creators_end.close()
    channel = quietly(Channel, 0, connection)
    try:
        target(channel, *args, **kwargs)
    except Exception as error:  # the creating process receives it
        report_failure(channel, error)
    channel.close()


def report_failure(channel: Channel, error: Exception) -> None:
    """Send ``error`` (with this process's traceback as a note) to the creating process."""
    if channel._peer_ended:
        return  # the other end closed the channel or went away: nobody would receive it
    error.add_note(f"raised in process {os.getpid()}:\n"
                   + "".join(traceback.format_exception(error)).rstrip())
    try:
        try:
            channel._deliver(Message(Kind.FAILURE, error))
        except _new.UnpicklableError:
            stand_in = RuntimeError(f"process {os.getpid()} raised {type(error).__qualname__}: "
                                    f"{error} (the exception itself cannot be pickled)")
            stand_in.__notes__ = list(error.__notes__)
            channel._deliver(Message(Kind.FAILURE, stand_in))
    except (ProcessLostError, OSError):
        pass  # nobody is listening any more: the creating process has gone


def start_process(callable: Callable[..., Any], *args: Any, **kwargs: Any) -> Channel:
    """Run ``callable(channel, *args, **kwargs)`` in a new process; return the creator's channel.

    The new process is a ``concurrent.processing.Process`` started with the current start
    method.  An exception the callable raises is sent through the channel, and ``receive()``
    raises it in the creating process.
    """
    if not _is_callable(callable):
        raise TypeError(f"start() runs a callable in a new process; {callable!r} is not "
                        f"callable")
    parent_end, child_end = _new.Pipe()
    forked = _new.get_start_method() == "fork"  # the child gets copies of our descriptors
    process = _new.Process(target=_run_started, args=(child_end, parent_end if forked else None,
                                                      callable, args, kwargs))
    try:
        process.start()
    finally:
        child_end.close()
    return track(quietly(Channel, process.pid, parent_end, StartedPeer(process)))


def _is_callable(obj: object) -> bool:
    # callable(), under another name: pprocess's parameters are called ``callable``.
    return callable(obj)


def fork_available() -> bool:
    """Whether this platform can fork, which ``create()`` needs."""
    return hasattr(os, "fork") and "fork" in _new.get_all_start_methods()


def create_process() -> Channel:
    """Fork: the created process gets a channel whose ``pid`` is 0, the creator the child's pid.

    The created process should end with ``exit(channel)``; if it runs off the end of the
    program instead, it still leaves without running the creator's exit handlers.
    """
    if not fork_available():
        raise RuntimeError(f"create() forks the calling process, and this platform cannot fork "
                           f"(its start methods are {_new.get_all_start_methods()}); use "
                           f"start(callable, *args), which runs callable(channel, *args) in a "
                           f"new process, instead")
    parent_end, child_end = _new.Pipe()
    for stream in (sys.stdout, sys.stderr):  # or the child would print them a second time
        if stream is not None:
            stream.flush()
    pid = os.fork()
    if pid == 0:
        parent_end.close()
        _parent_channels.clear()  # the creator's channels are not this process's to close
        channel = quietly(Channel, 0, child_end)
        guard_exit(channel)
        return channel
    child_end.close()
    return track(quietly(Channel, pid, parent_end, ForkedPeer(pid)))


def guard_exit(channel: Channel) -> None:
    # A forked child that runs off the end of the program would run the creator's exit
    # handlers (joining the creator's children, releasing its shared resources).  Leave first,
    # reporting an uncaught exception as a lost process (status 1) rather than a clean end.
    failed: list[bool] = []
    previous = sys.excepthook

    def note_failure(*exc_info: Any) -> None:
        failed.append(True)
        previous(*exc_info)

    sys.excepthook = note_failure
    atexit.register(lambda: leave(channel, 1 if failed else 0))


def leave(channel: Channel, status: int) -> NoReturn:
    """End this created process now: flush output, close the channel, ``os._exit(status)``."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    if status == 0:
        channel.close()
    else:
        channel._abandon()
    os._exit(status)


def exit_process(channel: Channel) -> NoReturn:
    """End a created process: close ``channel`` (its creator sees a clean end) and exit."""
    if not isinstance(channel, Channel):
        raise TypeError(f"exit() closes the created process's channel and ends the process; "
                        f"give it the channel that create() returned, not {channel!r}")
    leave(channel, 0)
