"""concurrent.distributed: the backend contract on a Dask distributed cluster."""

# Generated from the export table in __init__.py by
# python -m concurrent._shared._machinery.stubs; do not edit.

from concurrent._shared._errors import BrokenPoolError as BrokenPoolError
from concurrent._shared._errors import TimeoutError as TimeoutError
from concurrent._shared._errors import WorkerLostError as WorkerLostError
from concurrent.distributed import connection as connection
from concurrent.distributed import managers as managers
from concurrent.distributed import pool as pool
from concurrent.distributed import sharedctypes as sharedctypes
from concurrent.distributed._backend import ClusterContext as ClusterContext
from concurrent.distributed._backend import DEFAULT as _DEFAULT
from concurrent.distributed._cluster import connect as connect
from concurrent.distributed._cluster import describe as describe
from concurrent.distributed._cluster import shutdown as shutdown
from concurrent.distributed._errors import SchedulerLostError as SchedulerLostError
from concurrent.distributed._locks import BoundedSemaphore as BoundedSemaphore
from concurrent.distributed._locks import Lock as Lock
from concurrent.distributed._locks import RLock as RLock
from concurrent.distributed._locks import Semaphore as Semaphore
from concurrent.distributed._queues import JoinableQueue as JoinableQueue
from concurrent.distributed._queues import Queue as Queue
from concurrent.distributed._queues import SimpleQueue as SimpleQueue
from concurrent.distributed._security import InsecureAddressError as InsecureAddressError
from concurrent.distributed._sync import Barrier as Barrier
from concurrent.distributed._sync import Condition as Condition
from concurrent.distributed._sync import Event as Event
from concurrent.distributed._workers import Process as Process
from concurrent.distributed._workers import Process as Worker
from concurrent.distributed.connection import Connection as Connection
from concurrent.distributed.pool import Pool as Pool
from multiprocessing import BufferTooShort as BufferTooShort
from queue import Empty as Empty
from queue import Full as Full
from threading import BrokenBarrierError as BrokenBarrierError

Array = _DEFAULT.Array
Manager = _DEFAULT.Manager
Pipe = _DEFAULT.Pipe
Value = _DEFAULT.Value
active_children = _DEFAULT.active_children
cpu_count = _DEFAULT.cpu_count
current_process = _DEFAULT.current_process
current_worker = _DEFAULT.current_worker
get_all_start_methods = _DEFAULT.get_all_start_methods
get_context = _DEFAULT.get_context
get_start_method = _DEFAULT.get_start_method
set_start_method = _DEFAULT.set_start_method
wait = _DEFAULT.wait

__all__ = [
    'Array',
    'Barrier',
    'BoundedSemaphore',
    'BrokenBarrierError',
    'BrokenPoolError',
    'BufferTooShort',
    'ClusterContext',
    'Condition',
    'Connection',
    'Empty',
    'Event',
    'Full',
    'InsecureAddressError',
    'JoinableQueue',
    'Lock',
    'Manager',
    'Pipe',
    'Pool',
    'Process',
    'Queue',
    'RLock',
    'SchedulerLostError',
    'Semaphore',
    'SimpleQueue',
    'TimeoutError',
    'Value',
    'Worker',
    'WorkerLostError',
    'active_children',
    'connect',
    'connection',
    'cpu_count',
    'current_process',
    'current_worker',
    'describe',
    'get_all_start_methods',
    'get_context',
    'get_start_method',
    'managers',
    'pool',
    'set_start_method',
    'sharedctypes',
    'shutdown',
    'wait',
]
