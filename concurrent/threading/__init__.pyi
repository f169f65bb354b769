"""concurrent.threading: the stdlib threading module under PEP 8 names, plus the backend API."""

# Generated from the export table in __init__.py by
# python -m concurrent._shared._machinery.stubs; do not edit.

import sys

from concurrent._shared._errors import BrokenPoolError as BrokenPoolError
from concurrent._shared._errors import TimeoutError as TimeoutError
from concurrent._shared._errors import WorkerLostError as WorkerLostError
from concurrent.threading import connection as connection
from concurrent.threading import managers as managers
from concurrent.threading import pool as pool
from concurrent.threading import sharedctypes as sharedctypes
from concurrent.threading._backend import DEFAULT as _DEFAULT
from concurrent.threading._backend import ThreadContext as ThreadContext
from concurrent.threading._queues import JoinableQueue as JoinableQueue
from concurrent.threading._queues import Queue as Queue
from concurrent.threading._queues import SimpleQueue as SimpleQueue
from concurrent.threading._sync import Barrier as Barrier
from concurrent.threading._sync import BoundedSemaphore as BoundedSemaphore
from concurrent.threading._sync import Condition as Condition
from concurrent.threading._sync import Event as Event
from concurrent.threading._sync import Lock as Lock
from concurrent.threading._sync import RLock as RLock
from concurrent.threading._sync import Semaphore as Semaphore
from concurrent.threading._workers import Process as Process
from concurrent.threading._workers import Thread as Thread
from concurrent.threading._workers import Thread as Worker
from concurrent.threading._workers import Timer as Timer
from concurrent.threading.connection import Connection as Connection
from concurrent.threading.pool import Pool as Pool
from multiprocessing import BufferTooShort as BufferTooShort
from queue import Empty as Empty
from queue import Full as Full
from threading import BrokenBarrierError as BrokenBarrierError
from threading import ExceptHookArgs as ExceptHookArgs
from threading import TIMEOUT_MAX as TIMEOUT_MAX
from threading import ThreadError as ThreadError
from threading import __excepthook__ as __excepthook__
from threading import active_count as active_count
from threading import current_thread as current_thread
from threading import enumerate as enumerate
from threading import excepthook as excepthook
from threading import get_ident as get_ident
from threading import get_native_id as get_native_id
from threading import getprofile as getprofile
from threading import gettrace as gettrace
from threading import local as local
from threading import main_thread as main_thread
from threading import setprofile as setprofile
from threading import settrace as settrace
from threading import stack_size as stack_size

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
    'ExceptHookArgs',
    'Full',
    'JoinableQueue',
    'Lock',
    'Manager',
    'Pipe',
    'Pool',
    'Process',
    'Queue',
    'RLock',
    'Semaphore',
    'SimpleQueue',
    'TIMEOUT_MAX',
    'Thread',
    'ThreadContext',
    'ThreadError',
    'TimeoutError',
    'Timer',
    'Value',
    'Worker',
    'WorkerLostError',
    '__excepthook__',
    'active_children',
    'active_count',
    'connection',
    'cpu_count',
    'current_process',
    'current_thread',
    'current_worker',
    'enumerate',
    'excepthook',
    'get_all_start_methods',
    'get_context',
    'get_ident',
    'get_native_id',
    'get_start_method',
    'getprofile',
    'gettrace',
    'local',
    'main_thread',
    'managers',
    'pool',
    'set_start_method',
    'setprofile',
    'settrace',
    'sharedctypes',
    'stack_size',
    'wait',
]

if sys.version_info >= (3, 12):
    from threading import setprofile_all_threads as setprofile_all_threads
    from threading import settrace_all_threads as settrace_all_threads
    __all__ += ['setprofile_all_threads', 'settrace_all_threads']

if sys.version_info >= (3, 15):
    from threading import concurrent_tee as concurrent_tee
    from threading import serialize_iterator as serialize_iterator
    from threading import synchronized_iterator as synchronized_iterator
    __all__ += ['concurrent_tee', 'serialize_iterator', 'synchronized_iterator']
