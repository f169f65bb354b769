"""Value and Array live in a buffer every interpreter maps: writes are seen by all."""

import pickle

import pytest

from tests.interpreting import _targets
from tests.interpreting.conftest import WAIT, needs_interpreters

pytestmark = needs_interpreters


def test_an_array_is_shared_not_copied(backend):
    numbers, done = backend.Array("d", [1.0, 2.0, 3.0]), backend.Queue()
    worker = backend.Process(target=_targets.add_to_array, args=(numbers, done))
    worker.start()
    assert done.get(timeout=WAIT) is True
    worker.join(WAIT)
    assert numbers[:] == [1.5, 2.5, 3.5]


def test_a_raw_value_is_shared_and_crosses_only_through_the_backend(backend):
    from concurrent.interpreting.sharedctypes import RawArray, RawValue

    value, done = RawValue("q", 41), backend.Queue()
    worker = backend.Process(target=_targets.bump_raw, args=(value, done))
    worker.start()
    assert done.get(timeout=WAIT) is True
    worker.join(WAIT)
    assert value.value == 42
    with pytest.raises(TypeError, match="memoryview"):
        pickle.dumps(value)
    matrix = RawArray("i", 4)
    assert matrix[:] == [0, 0, 0, 0] and len(matrix) == 4
    with pytest.raises(ValueError, match=">= 0"):
        RawArray("i", -1)
