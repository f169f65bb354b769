"""concurrent.interpreting: the backend contract on isolated interpreters of one process."""

# Generated from the export table in __init__.py by
# python -m concurrent._shared._machinery.stubs; do not edit.

from concurrent._shared._errors import BrokenPoolError as BrokenPoolError
from concurrent._shared._errors import TimeoutError as TimeoutError
from concurrent._shared._errors import WorkerLostError as WorkerLostError
from concurrent.interpreting import connection as connection
from concurrent.interpreting import managers as managers
from concurrent.interpreting import pool as pool
from concurrent.interpreting import sharedctypes as sharedctypes
from concurrent.interpreting._backend import DEFAULT as _DEFAULT
from concurrent.interpreting._backend import InterpreterContext as InterpreterContext
from concurrent.interpreting._channel import LostItemError as LostItemError
from concurrent.interpreting._locks import BoundedSemaphore as BoundedSemaphore
from concurrent.interpreting._locks import Lock as Lock
from concurrent.interpreting._locks import RLock as RLock
from concurrent.interpreting._locks import Semaphore as Semaphore
from concurrent.interpreting._queues import JoinableQueue as JoinableQueue
from concurrent.interpreting._queues import Queue as Queue
from concurrent.interpreting._queues import SimpleQueue as SimpleQueue
from concurrent.interpreting._sync import Barrier as Barrier
from concurrent.interpreting._sync import Condition as Condition
from concurrent.interpreting._sync import Event as Event
from concurrent.interpreting._workers import Process as Process
from concurrent.interpreting._workers import Process as Worker
from concurrent.interpreting.connection import Connection as Connection
from concurrent.interpreting.pool import Pool as Pool
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
    'Condition',
    'Connection',
    'Empty',
    'Event',
    'Full',
    'InterpreterContext',
    'JoinableQueue',
    'Lock',
    'LostItemError',
    'Manager',
    'Pipe',
    'Pool',
    'Process',
    'Queue',
    'RLock',
    'Semaphore',
    'SimpleQueue',
    'TimeoutError',
    'Value',
    'Worker',
    'WorkerLostError',
    'active_children',
    'connection',
    'cpu_count',
    'current_process',
    'current_worker',
    'get_all_start_methods',
    'get_context',
    'get_start_method',
    'managers',
    'pool',
    'set_start_method',
    'sharedctypes',
    'wait',
]
