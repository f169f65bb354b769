"""The contract itself: every name of ``concurrent._shared.Backend`` on every backend, the same
kind of object with the same signature, its objects instances of the contract's ABCs, and the
module-level API of each backend package equal to its default backend's.

The names come from the contract (``contract_names()``), never from a copied list; where a
backend differs, the contract declares it (``capabilities``, ``lock_convention``), and the
tests below read that declaration.
"""

import builtins
import inspect
import pickle
import queue
import threading
import types

import pytest

import concurrent._shared as shared
from concurrent._shared import Backend, Capability, LockConvention, contract_names

NAMES = contract_names()
ERRORS = {"TimeoutError", "WorkerLostError", "BrokenPoolError", "BrokenBarrierError", "Empty",
          "Full", "BufferTooShort"}


def _kind(obj) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    if isinstance(obj, type):
        return "exception" if issubclass(obj, BaseException) else "class"
    if callable(obj):
        return "function"
    return "data"


def _contract_member(name):
    """What the contract says ``name`` is: a property (a class), a method or an exception."""
    member = inspect.getattr_static(Backend, name)
    if isinstance(member, property):
        return "module" if name == "connection" else "class"
    if name in ERRORS:
        return "exception"
    return "function"


def _parameters(signature: inspect.Signature) -> list[tuple]:
    """A signature's parameters as (name, kind, default): what callers rely on."""
    return [(p.name, p.kind, p.default) for p in signature.parameters.values()]


def _contract_abc(name):
    """The ABC a class-valued contract name must be a subclass of."""
    return getattr(shared, "Worker" if name == "Process" else name)


def test_the_contract_names_cover_design_section_3():
    expected = {
        "Worker", "current_worker", "active_children", "cpu_count", "Process", "current_process",
        "get_context", "get_start_method", "set_start_method", "get_all_start_methods",
        "Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Barrier",
        "Queue", "SimpleQueue", "JoinableQueue", "Pipe", "Connection", "wait", "connection",
        "Pool", "Manager", "Value", "Array", *ERRORS,
    }
    assert set(NAMES) == expected


def test_backend_implements_the_contract(backend):
    assert isinstance(backend, Backend)
    assert isinstance(backend.capabilities, frozenset)
    assert all(isinstance(item, Capability) for item in backend.capabilities)
    assert isinstance(backend.lock_convention, LockConvention)
    assert isinstance(backend.module, types.ModuleType)


@pytest.mark.parametrize("name", NAMES)
def test_name_is_the_kind_of_object_the_contract_says(backend, name):
    assert _kind(getattr(backend, name)) == _contract_member(name), name


@pytest.mark.parametrize("name", [name for name in NAMES if _contract_member(name) == "function"])
def test_function_has_the_contract_signature(backend, name):
    declared = inspect.signature(getattr(Backend, name))
    declared = declared.replace(parameters=list(declared.parameters.values())[1:])  # self
    assert _parameters(inspect.signature(getattr(backend, name))) == _parameters(declared)


@pytest.mark.parametrize("name", [name for name in NAMES if _contract_member(name) == "class"])
def test_class_is_the_contract_class_with_its_constructor(backend, name):
    cls, abc = getattr(backend, name), _contract_abc(name)
    assert issubclass(cls, abc)
    if "__init__" in vars(abc):  # Connection: made by Pipe/Client/Listener, not by users
        declared = inspect.signature(abc.__init__)
        declared = declared.replace(parameters=list(declared.parameters.values())[1:])
        actual, expected = _parameters(inspect.signature(cls)), _parameters(declared)
        assert [p for p in actual if p in expected] == expected
        # Beyond the contract, only keyword-only arguments that the stdlib class it extends
        # takes too (threading.Thread's context=, new in 3.14).
        stdlib = [base for base in cls.__mro__
                  if base.__module__.partition(".")[0] in ("threading", "multiprocessing")]
        for name, kind, _ in (p for p in actual if p not in expected):
            assert kind is inspect.Parameter.KEYWORD_ONLY, name
            assert any(name in inspect.signature(base).parameters for base in stdlib), name


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_are_the_same_classes_everywhere(backend, name):
    assert getattr(backend, name) is getattr(shared, name)


def test_errors_are_the_ones_users_already_catch(backend):
    assert issubclass(shared.TimeoutError, builtins.TimeoutError)
    assert issubclass(shared.BrokenPoolError, RuntimeError)
    assert backend.BrokenBarrierError is threading.BrokenBarrierError
    assert backend.Empty is queue.Empty and backend.Full is queue.Full


def test_the_module_level_api_is_the_default_backends(backend):
    module = backend.module
    default = module.get_context()
    for name in NAMES:
        assert getattr(module, name) == getattr(default, name), name
        assert name in module.__all__, name


def test_the_backend_survives_pickling(backend):
    if Capability.COPIES_OBJECTS in backend.capabilities:  # it travels to workers
        assert pickle.loads(pickle.dumps(backend)) is backend


def test_start_methods_as_the_contract_says(backend):
    import multiprocessing

    methods = backend.get_all_start_methods()
    assert methods and all(isinstance(method, str) for method in methods)
    assert (len(methods) > 1) == (Capability.START_METHODS in backend.capabilities)
    assert backend.get_context(None) is backend
    # Code written for processes names their start methods: every backend accepts them.
    for method in methods + multiprocessing.get_all_start_methods():
        assert isinstance(backend.get_context(method), Backend)
    with pytest.raises(ValueError, match="no-such-method"):
        backend.get_context("no-such-method")
    assert backend.get_start_method() in methods + [None]


def test_connection_submodule_exports(backend):
    for name in ("Listener", "Client", "Pipe", "wait"):
        assert callable(getattr(backend.connection, name)), name


def test_worker_lost_error_carries_the_worker(backend):
    error = backend.WorkerLostError("worker died", name="Worker-3", pid=42, exitcode=-9)
    assert (str(error), error.name, error.pid) == ("worker died", "Worker-3", 42)
    assert error.exitcode == -9


@pytest.mark.parametrize("factory, abc", [
    (lambda b: b.Lock(), shared.Lock),
    (lambda b: b.RLock(), shared.RLock),
    (lambda b: b.Condition(), shared.Condition),
    (lambda b: b.Semaphore(), shared.Semaphore),
    (lambda b: b.BoundedSemaphore(), shared.BoundedSemaphore),
    (lambda b: b.BoundedSemaphore(), shared.Semaphore),
    (lambda b: b.Event(), shared.Event),
    (lambda b: b.Barrier(2), shared.Barrier),
    (lambda b: b.Queue(), shared.Queue),
    (lambda b: b.SimpleQueue(), shared.SimpleQueue),
    (lambda b: b.JoinableQueue(), shared.JoinableQueue),
    (lambda b: b.JoinableQueue(), shared.Queue),
    (lambda b: b.Process(target=print), shared.Worker),
    (lambda b: b.Worker(target=print), shared.Worker),
], ids=["Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore",
        "BoundedSemaphore-is-Semaphore", "Event", "Barrier", "Queue", "SimpleQueue",
        "JoinableQueue", "JoinableQueue-is-Queue", "Process", "Worker"])
def test_objects_are_instances_of_the_shared_abcs_and_of_the_backends_class(backend, factory,
                                                                            abc):
    obj = factory(backend)
    assert isinstance(obj, abc)
    name = abc.__name__ if abc is not shared.Worker else "Worker"
    if hasattr(backend, name):
        assert isinstance(obj, getattr(backend, name))


def test_pipe_ends_are_shared_connections(backend):
    left, right = backend.Pipe()
    try:
        assert isinstance(left, shared.Connection) and isinstance(right, shared.Connection)
        assert isinstance(left, backend.Connection)
    finally:
        left.close()
        right.close()


def test_pool_and_its_results_are_shared_abcs(backend, pool):
    assert isinstance(pool, shared.Pool) and isinstance(pool, backend.Pool)
    result = pool.apply_async(abs, (-1,))
    assert isinstance(result, shared.AsyncResult)
    assert result.get(10) == 1


def test_lock_convention_is_what_the_locks_do(backend):
    # The one declared difference: each backend keeps its native C acquire.
    lock, convention = backend.Lock(), backend.lock_convention
    keyword = "blocking" if convention is LockConvention.THREADING else "block"
    assert lock.acquire(**{keyword: False}) is True
    with pytest.raises(convention.release_error):
        backend.Lock().release()
    lock.release()
