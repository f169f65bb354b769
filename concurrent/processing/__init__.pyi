"""concurrent.processing: the process backend, built on multiprocessing's machinery."""

# Generated from the export table in __init__.py by
# python -m concurrent._shared._machinery.stubs; do not edit.

from concurrent._shared._errors import BrokenPoolError as BrokenPoolError
from concurrent._shared._errors import TimeoutError as TimeoutError
from concurrent._shared._errors import WorkerLostError as WorkerLostError
from concurrent.processing import connection as connection
from concurrent.processing import context as context
from concurrent.processing import managers as managers
from concurrent.processing import pool as pool
from concurrent.processing import queues as queues
from concurrent.processing import shared_memory as shared_memory
from concurrent.processing import sharedctypes as sharedctypes
from concurrent.processing import synchronize as synchronize
from concurrent.processing._datapath.pickler import UnpicklableError as UnpicklableError
from concurrent.processing.connection import Connection as Connection
from concurrent.processing.context import Context as Context
from concurrent.processing.context import DEFAULT as _DEFAULT
from concurrent.processing.context import DefaultContext as DefaultContext
from concurrent.processing.context import ForkContext as ForkContext
from concurrent.processing.context import ForkServerContext as ForkServerContext
from concurrent.processing.context import SpawnContext as SpawnContext
from concurrent.processing.pool import Pool as Pool
from concurrent.processing.process import ForkProcess as ForkProcess
from concurrent.processing.process import ForkServerProcess as ForkServerProcess
from concurrent.processing.process import Process as Process
from concurrent.processing.process import Process as Worker
from concurrent.processing.process import SpawnProcess as SpawnProcess
from concurrent.processing.queues import JoinableQueue as JoinableQueue
from concurrent.processing.queues import Queue as Queue
from concurrent.processing.queues import SimpleQueue as SimpleQueue
from concurrent.processing.synchronize import Barrier as Barrier
from concurrent.processing.synchronize import BoundedSemaphore as BoundedSemaphore
from concurrent.processing.synchronize import Condition as Condition
from concurrent.processing.synchronize import Event as Event
from concurrent.processing.synchronize import Lock as Lock
from concurrent.processing.synchronize import RLock as RLock
from concurrent.processing.synchronize import Semaphore as Semaphore
from multiprocessing import AuthenticationError as AuthenticationError
from multiprocessing import BufferTooShort as BufferTooShort
from multiprocessing import ProcessError as ProcessError
from multiprocessing import reducer as reducer
from queue import Empty as Empty
from queue import Full as Full
from threading import BrokenBarrierError as BrokenBarrierError

Array = _DEFAULT.Array
Manager = _DEFAULT.Manager
Pipe = _DEFAULT.Pipe
RawArray = _DEFAULT.RawArray
RawValue = _DEFAULT.RawValue
Value = _DEFAULT.Value
active_children = _DEFAULT.active_children
allow_connection_pickling = _DEFAULT.allow_connection_pickling
cpu_count = _DEFAULT.cpu_count
current_process = _DEFAULT.current_process
current_worker = _DEFAULT.current_worker
freeze_support = _DEFAULT.freeze_support
get_all_start_methods = _DEFAULT.get_all_start_methods
get_context = _DEFAULT.get_context
get_logger = _DEFAULT.get_logger
get_start_method = _DEFAULT.get_start_method
log_to_stderr = _DEFAULT.log_to_stderr
parent_process = _DEFAULT.parent_process
set_executable = _DEFAULT.set_executable
set_forkserver_preload = _DEFAULT.set_forkserver_preload
set_start_method = _DEFAULT.set_start_method
wait = _DEFAULT.wait

__all__ = [
    'Array',
    'AuthenticationError',
    'Barrier',
    'BoundedSemaphore',
    'BrokenBarrierError',
    'BrokenPoolError',
    'BufferTooShort',
    'Condition',
    'Connection',
    'Context',
    'DefaultContext',
    'Empty',
    'Event',
    'ForkContext',
    'ForkProcess',
    'ForkServerContext',
    'ForkServerProcess',
    'Full',
    'JoinableQueue',
    'Lock',
    'Manager',
    'Pipe',
    'Pool',
    'Process',
    'ProcessError',
    'Queue',
    'RLock',
    'RawArray',
    'RawValue',
    'Semaphore',
    'SimpleQueue',
    'SpawnContext',
    'SpawnProcess',
    'TimeoutError',
    'UnpicklableError',
    'Value',
    'Worker',
    'WorkerLostError',
    'active_children',
    'allow_connection_pickling',
    'connection',
    'context',
    'cpu_count',
    'current_process',
    'current_worker',
    'freeze_support',
    'get_all_start_methods',
    'get_context',
    'get_logger',
    'get_start_method',
    'log_to_stderr',
    'managers',
    'parent_process',
    'pool',
    'queues',
    'reducer',
    'set_executable',
    'set_forkserver_preload',
    'set_start_method',
    'shared_memory',
    'sharedctypes',
    'synchronize',
    'wait',
]
