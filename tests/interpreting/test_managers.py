"""The manager between interpreters: registered types, nested proxies, shutdown."""

import pytest

from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters

pytestmark = needs_interpreters


class Greeter:
    def __init__(self, name):
        self.name = name

    def describe(self):
        return f"greeter {self.name}"


def test_a_registered_type_is_served_with_every_public_method_forwarded(backend):
    from concurrent.interpreting.managers import SyncManager

    class Registering(SyncManager):
        pass

    Registering.register("Greeter", Greeter)
    manager = Registering()
    try:
        greeter, done = manager.Greeter("ada"), backend.Queue()
        assert greeter.describe() == "greeter ada"
        worker = backend.Process(target=_targets.use_proxy, args=(greeter, done))
        worker.start()
        assert done.get(timeout=WAIT) == "greeter ada"
        worker.join(WAIT)
    finally:
        manager.shutdown()


def test_proxies_raise_once_the_manager_is_shut_down(backend):
    with backend.Manager() as manager:
        items = manager.list([1])
        items += [2]
        assert list(items) == [1, 2] and str(items) == "[1, 2]"
    with pytest.raises(RuntimeError, match="shut down"):
        items.append(3)
    with pytest.raises(RuntimeError, match="shut down"):
        manager.dict()
