"""Where the cluster backend runs: this process's Dask client, and the cluster behind it.

Three ways to a cluster, first match wins:

1. ``connect(address_or_client, security=None)``: an existing scheduler (or ``Client``);
2. the environment variable ``CONCURRENT_DISTRIBUTED_SCHEDULER``: a scheduler address for
   programs that are not changed at all;
3. neither: the first use starts an embedded ``distributed.LocalCluster`` (worker processes,
   every socket bound to 127.0.0.1), closed at exit or by ``shutdown()``.

Code running on a cluster worker (a ``Process`` target, a pool task, an unpickled ``Queue``) never
starts anything: it uses the client of the Dask worker it runs in (``distributed.get_client``).
"""

from __future__ import annotations

import atexit
import enum
import logging
import os
import threading
from typing import TYPE_CHECKING, Any, NamedTuple

from concurrent._shared._machinery.exports import publish
from concurrent.distributed._errors import SchedulerLostError
from concurrent.distributed._security import check_address

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["ENV_ADDRESS", "Origin", "Target", "client", "connect", "describe", "in_worker",
           "shutdown", "target"]

ENV_ADDRESS = "CONCURRENT_DISTRIBUTED_SCHEDULER"
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler before giving up


class Origin(enum.Enum):
    """How this process found its cluster."""

    CONNECTED = "connect()"
    ENVIRONMENT = f"${ENV_ADDRESS}"
    EMBEDDED = "embedded LocalCluster"


class Target(NamedTuple):
    """The cluster a process would use, as ``python -m concurrent info`` shows it."""

    origin: Origin
    address: str | None  # None: the embedded cluster, not started yet
    workers: int | None  # worker processes, when known


class _HandledHere(logging.Filter):
    """Drop the embedded scheduler's error records for events this backend handles itself.

    The embedded scheduler runs in this process and logs to its stderr; these records would
    repeat, as noise, what the caller already gets as a result or an exception:

    - a ``Queue`` get/put that timed out: how a non-blocking call says "empty" or "full";
    - "Couldn't gather keys": a result fetched just as the worker holding it died; Dask runs
      the task again and the fetch waits for it;
    - "marked as failed because N workers died": the pool raises ``WorkerLostError`` for it,
      a ``Process`` ends with exit code ``-SIGKILL``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        if message in ("Exception while handling op queue_get",
                       "Exception while handling op queue_put"):
            return not (record.exc_info and isinstance(record.exc_info[1], TimeoutError))
        return not (message.startswith("Couldn't gather keys")
                    or "workers died while trying to run it" in message)


_HANDLED_HERE = _HandledHere()
# The embedded cluster's scheduler settings (the nannies pass them on to restarted workers too).
EMBEDDED_CONFIG = {
    # A worker is sent its next task only once it is free (Dask's default sends one ahead):
    # a worker that dies then takes only the task it was running down with it, never an
    # innocent one queued behind it (Dask counts both as suspects, and fails a task after
    # distributed.scheduler.allowed-failures such deaths).
    "distributed.scheduler.worker-saturation": 1.0,
}


class _Session:
    """The client of this process (outside cluster workers) and, if embedded, its cluster."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.client: Client | None = None
        self.cluster: Any = None
        self.origin: Origin | None = None
        self.owns_client = False

    def attach(self, client: Client, origin: Origin, cluster: Any = None,
               owns_client: bool = True) -> None:
        self.close()
        self.client, self.origin, self.cluster, self.owns_client = (
            client, origin, cluster, owns_client)

    def close(self) -> None:
        client, cluster, owns = self.client, self.cluster, self.owns_client
        self.client = self.cluster = self.origin = None
        from concurrent.distributed import _monitor

        _monitor.forget()
        if client is not None and owns:
            client.close(timeout=CONNECT_TIMEOUT)
        if cluster is not None:
            cluster.close(timeout=CONNECT_TIMEOUT)


_session = _Session()
atexit.register(_session.close)


def in_worker() -> bool:
    """True when the caller runs inside a Dask worker process."""
    from distributed import Worker, get_worker

    try:
        get_worker()
    except ValueError:
        # get_worker() only finds a worker that is running; while one starts or reconnects,
        # the worker process (a daemon of its nanny) must never start a cluster of its own.
        import multiprocessing

        return bool(Worker._instances) and multiprocessing.current_process().daemon
    return True


def _embedded_workers() -> int:
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, count or 1)


def _start_embedded() -> None:
    import dask
    from distributed import Client, LocalCluster

    for name in ("distributed.core", "distributed.scheduler"):
        logging.getLogger(name).addFilter(_HANDLED_HERE)  # once: a filter is kept in a list
    with dask.config.set(EMBEDDED_CONFIG):
        cluster = LocalCluster(n_workers=_embedded_workers(), threads_per_worker=1,
                               processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    try:
        client = Client(cluster, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except BaseException:
        cluster.close()
        raise
    _session.attach(client, Origin.EMBEDDED, cluster)


def _open(address: str, security: Any, origin: Origin) -> None:
    from distributed import Client

    try:
        client = Client(address, security=security, set_as_default=False,
                        timeout=CONNECT_TIMEOUT)
    except OSError as exc:
        raise SchedulerLostError(f"cannot reach the Dask scheduler at {address!r} within "
                                 f"{CONNECT_TIMEOUT:g} s: {exc}", address) from exc
    _session.attach(client, origin)


def client() -> Client:
    """The Dask client for the caller: its worker's inside the cluster, else this process's."""
    if in_worker():
        from distributed import get_client

        return get_client()
    with _session.lock:
        if _session.client is None:
            address = os.environ.get(ENV_ADDRESS)
            if address:
                check_address(address)
                _open(address, None, Origin.ENVIRONMENT)
            else:
                _start_embedded()
        return _session.client


def connect(address_or_client: Any, security: Any = None, *,
            allow_insecure: bool = False) -> None:
    """Use the cluster at ``address_or_client`` (an address or a ``distributed.Client``).

    A non-loopback address needs TLS (``tls://`` and ``security=distributed.Security(...)``)
    unless ``allow_insecure`` is true.  An embedded cluster started earlier is closed; objects
    made on it stop working.
    """
    from distributed import Client

    if isinstance(address_or_client, Client):
        if security is not None:
            raise TypeError("security= applies to an address; a Client carries its own")
        address = address_or_client.scheduler.address
        check_address(address, address_or_client.security, allow_insecure)
        with _session.lock:
            _session.attach(address_or_client, Origin.CONNECTED, owns_client=False)
        return
    check_address(address_or_client, security, allow_insecure)
    with _session.lock:
        _open(address_or_client, security, Origin.CONNECTED)


def shutdown() -> None:
    """Close this process's client and, if it started one, the embedded cluster (idempotent).

    The next use attaches again (to ``$CONCURRENT_DISTRIBUTED_SCHEDULER`` or a new embedded
    cluster).  It runs at exit on its own.
    """
    with _session.lock:
        _session.close()


def scheduler_address() -> str | None:
    """The address of the scheduler in use, or ``None`` if none is attached yet."""
    with _session.lock:
        return None if _session.client is None else _session.client.scheduler.address


def target() -> Target:
    """The cluster this process uses or would use, without starting or connecting anything."""
    with _session.lock:
        if _session.client is not None:
            workers = len(_session.client.scheduler_info(n_workers=-1)["workers"])
            return Target(_session.origin, _session.client.scheduler.address, workers)
    address = os.environ.get(ENV_ADDRESS)
    if address:
        return Target(Origin.ENVIRONMENT, address, None)
    return Target(Origin.EMBEDDED, None, _embedded_workers())


def describe() -> str:
    """``target()`` in words, for ``python -m concurrent info``."""
    found = target()
    if found.address is None:
        return (f"{found.origin.value} on 127.0.0.1, {found.workers} worker process(es), "
                f"started on first use")
    workers = "" if found.workers is None else f", {found.workers} worker(s)"
    return f"scheduler {found.address} (from {found.origin.value}{workers})"


publish("concurrent.distributed", globals(), ["connect", "describe", "shutdown"])
