"""pprocess's ``Channel`` on a ``concurrent.processing`` ``Connection``, and the errors it raises.

pprocess made ``send`` a rendezvous: the sender waits until the receiver has taken the object,
so a created process cannot exit (and take unread data with it) before the creating process has
read what it sent.  The channel keeps that with a small protocol of ``Message`` tuples: every
``DATA`` or ``FAILURE`` message is answered by an ``ACK``, and an end that closes cleanly says
``END`` first.  A connection that reaches end-of-file without ``END`` means the process at the
other end died: ``receive`` and ``send`` then raise ``ProcessLostError`` instead of waiting for
an answer that will never come.
"""

from __future__ import annotations

import enum
import os
import select
import signal
import time
from typing import Any, NamedTuple, Protocol

from compat.pprocess._warned import WarnedClass
from concurrent.processing import Connection, WorkerLostError

__all__ = ["AcknowledgementError", "BackgroundPeer", "Channel", "ForkedPeer", "Kind", "Message",
           "Peer", "ProcessLostError", "StartedPeer"]

REAP_SECONDS = 5.0  # how long an ended channel's process may take to exit before we move on


class Kind(enum.Enum):
    """What a message on a channel carries."""

    DATA = "data"        # an object the other end receives
    FAILURE = "failure"  # the created process's callable raised this exception
    ACK = "ack"          # the other end took a DATA or FAILURE message
    END = "end"          # the other end closed the channel on purpose: nothing more comes


class Message(NamedTuple):
    """One message on a channel."""

    kind: Kind
    payload: Any = None


_ACK = Message(Kind.ACK)
_END = Message(Kind.END)
_GONE = (EOFError, ConnectionError)  # how a Connection reports that its peer has gone


class AcknowledgementError(Exception):
    """``send`` got something other than the receipt it waits for (both ends sent at once)."""


class ProcessLostError(WorkerLostError, EOFError):
    """The process at the other end of a channel ended without closing it: it died.

    It is an ``EOFError``, which is what pprocess's channels raised when the other end was gone,
    and a ``concurrent.processing.WorkerLostError`` carrying the process's ``pid`` and
    ``exitcode`` (negative ``-N`` when signal ``N`` ended it; ``None`` when unknown).
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_lost, (self.args[0], self.name, self.pid, self.exitcode))


def _rebuild_lost(message: str, name: str | None, pid: int | None,
                  exitcode: int | None) -> ProcessLostError:
    return ProcessLostError(message, name=name, pid=pid, exitcode=exitcode)


class Peer(Protocol):
    """The process at the other end of a channel, as the creating process sees it."""

    pid: int
    name: str | None

    def describe(self) -> str:
        """Who it is, for error messages: ``"process Process-3 (pid 1234)"``."""

    def reap(self, timeout: float | None) -> int | None:
        """Wait up to ``timeout`` seconds for it to exit; its exit code, or ``None``."""


class StartedPeer:
    """A ``concurrent.processing.Process`` started by ``start()``."""

    def __init__(self, process: Any) -> None:
        self.process = process
        self.pid: int = process.pid
        self.name: str | None = process.name

    def describe(self) -> str:
        return f"process {self.name} (pid {self.pid})"

    def reap(self, timeout: float | None) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode


class BackgroundPeer:
    """A background process reached at an address: not our child, its exit code unknown."""

    def __init__(self, address: str) -> None:
        self.pid = 0
        self.name: str | None = None
        self.address = address

    def describe(self) -> str:
        return f"the background process at {self.address!r}"

    def reap(self, timeout: float | None) -> int | None:
        return None


class ForkedPeer:
    """A child made by ``os.fork()`` in ``create()``: reaped with ``waitpid``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.name: str | None = None
        self._exitcode: int | None = None

    def describe(self) -> str:
        return f"created process {self.pid}"

    def reap(self, timeout: float | None) -> int | None:
        if self._exitcode is None:
            if timeout is None:
                self._collect(0)
            elif self._collect(os.WNOHANG) is None and timeout > 0:
                self._wait_for_exit(timeout)
        return self._exitcode

    def _collect(self, options: int) -> int | None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped elsewhere (os.wait, waitall): the code is lost
            return None
        if pid:
            self._exitcode = os.waitstatus_to_exitcode(status)
        return self._exitcode

    def _wait_for_exit(self, timeout: float) -> None:
        try:  # a pidfd becomes readable when the process exits (Linux 5.3+)
            descriptor = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            descriptor = None
        if descriptor is not None:
            try:
                select.select([descriptor], [], [], timeout)
            finally:
                os.close(descriptor)
            self._collect(os.WNOHANG)
            return
        deadline = time.monotonic() + timeout
        pause = 0.001
        while self._collect(os.WNOHANG) is None and time.monotonic() < deadline:
            time.sleep(pause)  # no pidfd: poll, backing off to 50 ms
            pause = min(pause * 2, 0.05)


def describe_exit(exitcode: int | None) -> str:
    """How a process ended, in words: ``"was killed by SIGKILL"``, ``"exited with status 3"``."""
    if exitcode is None:
        return "went away without closing the channel"
    if exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


class Channel(metaclass=WarnedClass):
    """pprocess's channel: ``send`` waits for the receipt, ``receive`` acknowledges it.

    ``pid`` is the created process's pid in the creating process and 0 in the created process
    (as in pprocess, where ``create()`` returned a channel whose ``pid`` told the two apart).
    ``receive()`` raises an exception object that arrives, as pprocess did: that is how an
    exception raised by a ``start()``-ed callable reaches its creator.
    """

    __module__ = "compat.pprocess"
    _legacy_name = "Channel"

    def __init__(self, pid: int, connection: Connection | None,
                 peer: Peer | None = None) -> None:
        self.pid = pid
        self._connection = connection
        self._peer = peer
        self._pending: Message | None = None  # read ahead by an exchange, not yet received
        self._ended: bool | None = None  # None: open; True: END came; False: the peer died

    def __repr__(self) -> str:
        state = "closed" if self._connection is None else "open"
        return f"<compat.pprocess.Channel pid={self.pid} {state}>"

    # -- what legacy code calls -------------------------------------------------------------

    def send(self, obj: Any) -> None:
        """Send ``obj`` and wait until the other end has received it."""
        self._deliver(Message(Kind.DATA, obj))

    def receive(self) -> Any:
        """The next object sent by the other end; ``ProcessLostError`` if it has gone."""
        message = self._next_message()
        self._acknowledge()
        if message.kind is Kind.FAILURE or isinstance(message.payload, Exception):
            raise message.payload
        return message.payload

    def close(self) -> None:
        """Close the channel, telling the other end that nothing more will come."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        if self._ended is None:  # for this end, the channel has ended as it was asked to
            self._ended = True
        try:
            connection.send(_END)
        except (OSError, *_GONE):  # the other end has gone already
            pass
        connection.close()

    def wait(self, options: int = 0) -> None:
        """Wait for the created process to exit (``os.WNOHANG`` in ``options``: do not block)."""
        if self._peer is not None:
            self._peer.reap(0 if options & os.WNOHANG else None)

    def fileno(self) -> int:
        """The connection's file descriptor, so that ``wait()`` can watch channels."""
        return self._open().fileno()

    @property
    def closed(self) -> bool:
        """Whether this end of the channel has been closed."""
        return self._connection is None

    # -- the protocol ---------------------------------------------------------------------------

    def _open(self) -> Connection:
        if self._connection is None:
            raise OSError(f"the channel to process {self.pid} is closed; a closed channel "
                          f"cannot send or receive")
        return self._connection

    def _deliver(self, message: Message) -> None:
        connection = self._open()
        try:
            connection.send(message)
            reply = self._pending or connection.recv()
        except _GONE as error:
            raise self._lost_error("before it received what was sent") from error
        self._pending = None
        if reply.kind is Kind.ACK:
            return
        if reply.kind is Kind.END:
            self._ended = True
            raise self._lost_error("before it received what was sent", closed=True)
        self._pending = reply  # the other end sent at the same time: keep it for receive()
        raise AcknowledgementError(f"sent {message.payload!r} and got a {reply.kind.value} "
                                   f"message instead of its receipt: both ends sent at once")

    def _next_message(self) -> Message:
        if self._pending is None:
            self._open()
            self._read_ahead()
        message, self._pending = self._pending, None
        if message is None:  # _read_ahead met the end: END (closed) or end-of-file (died)
            raise self._lost_error("before it sent anything more", closed=self._ended_cleanly)
        if message.kind is Kind.ACK:
            raise AcknowledgementError("received a receipt where an object was expected: "
                                       "both ends sent at once")
        return message

    def _acknowledge(self) -> None:
        try:
            self._open().send(_ACK)
        except _GONE:  # the sender went away after sending: what it sent is here all the same
            pass

    def _read_ahead(self) -> bool:
        """Read the next message into the channel (an exchange's ``ready``); False at the end."""
        if self._pending is not None:
            return True
        if self._ended is not None:
            return False
        connection = self._open()
        try:
            self._pending = connection.recv()
        except _GONE:
            self._ended = False
            return False
        except Exception as error:  # it could not be unpickled: deliver that
            self._pending = Message(Kind.FAILURE, error)
            return True
        if self._pending.kind is Kind.END:
            self._pending, self._ended = None, True
            return False
        return True

    @property
    def _has_pending(self) -> bool:
        """Whether a message has been read ahead and waits for ``receive()``."""
        return self._pending is not None

    @property
    def _peer_ended(self) -> bool:
        """Whether the other end has closed the channel or gone away."""
        return self._ended is not None and self._connection is not None

    @property
    def _ended_cleanly(self) -> bool:
        """Whether the other end said ``END`` before its connection closed."""
        return bool(self._ended)

    def _exitcode(self) -> int | None:
        """The created process's exit code, waiting a little for it; ``None`` if unknown."""
        return None if self._peer is None else self._peer.reap(REAP_SECONDS)

    def _lost_error(self, what: str, closed: bool = False) -> ProcessLostError:
        """The error that says the other end went away ``what`` ("before it sent...")."""
        peer = self._peer
        if peer is None:  # the created process's view: the other end is its creator
            how = "closed the channel" if closed else "went away"
            return ProcessLostError(f"the other end of the channel {how} {what}")
        exitcode = None if closed else self._exitcode()
        how = "closed the channel" if closed else describe_exit(exitcode)
        return ProcessLostError(f"{peer.describe()} {how} {what}", name=peer.name,
                                pid=peer.pid or None, exitcode=exitcode)

    def _abandon(self) -> None:
        """Close without ``END``: the other end will see this process as lost."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
