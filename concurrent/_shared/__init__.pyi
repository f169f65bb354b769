"""The backend contract that every ``concurrent`` backend implements."""

# Generated from the export table in __init__.py by
# python -m concurrent._shared._machinery.stubs; do not edit.

from concurrent._shared._backend import Backend as Backend
from concurrent._shared._backend import Capability as Capability
from concurrent._shared._backend import LockConvention as LockConvention
from concurrent._shared._backend import contract_names as contract_names
from concurrent._shared._channels import Connection as Connection
from concurrent._shared._errors import BrokenBarrierError as BrokenBarrierError
from concurrent._shared._errors import BrokenPoolError as BrokenPoolError
from concurrent._shared._errors import BufferTooShort as BufferTooShort
from concurrent._shared._errors import Empty as Empty
from concurrent._shared._errors import Full as Full
from concurrent._shared._errors import RemoteTraceback as RemoteTraceback
from concurrent._shared._errors import TimeoutError as TimeoutError
from concurrent._shared._errors import WorkerLostError as WorkerLostError
from concurrent._shared._machinery.pool.results import ApplyResult as ApplyResult
from concurrent._shared._machinery.pool.results import IMapIterator as IMapIterator
from concurrent._shared._machinery.pool.results import MapResult as MapResult
from concurrent._shared._managers import Manager as Manager
from concurrent._shared._pools import AsyncResult as AsyncResult
from concurrent._shared._pools import Pool as Pool
from concurrent._shared._queues import JoinableQueue as JoinableQueue
from concurrent._shared._queues import Queue as Queue
from concurrent._shared._queues import SimpleQueue as SimpleQueue
from concurrent._shared._sync import Barrier as Barrier
from concurrent._shared._sync import BoundedSemaphore as BoundedSemaphore
from concurrent._shared._sync import Condition as Condition
from concurrent._shared._sync import Event as Event
from concurrent._shared._sync import Lock as Lock
from concurrent._shared._sync import RLock as RLock
from concurrent._shared._sync import Semaphore as Semaphore
from concurrent._shared._version import __version__ as __version__
from concurrent._shared._workers import Worker as Worker


__all__ = [
    'ApplyResult',
    'AsyncResult',
    'Backend',
    'Barrier',
    'BoundedSemaphore',
    'BrokenBarrierError',
    'BrokenPoolError',
    'BufferTooShort',
    'Capability',
    'Condition',
    'Connection',
    'Empty',
    'Event',
    'Full',
    'IMapIterator',
    'JoinableQueue',
    'Lock',
    'LockConvention',
    'Manager',
    'MapResult',
    'Pool',
    'Queue',
    'RLock',
    'RemoteTraceback',
    'Semaphore',
    'SimpleQueue',
    'TimeoutError',
    'Worker',
    'WorkerLostError',
    '__version__',
    'contract_names',
]
