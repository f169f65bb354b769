"""The process tests run under every start method the platform has, taken from it."""

import multiprocessing

from tests import conftest
from tests.conformance.backends import BACKENDS
from tests.datapath import conftest as datapath
from tests.pool import conftest as pool
from tests.processing import conftest as processing


def test_the_suites_take_the_start_methods_from_the_platform():
    methods = multiprocessing.get_all_start_methods()
    assert conftest.START_METHODS == methods
    assert [param.id for param in BACKENDS if param.id.startswith("processing")] == [
        f"processing-{method}" for method in methods]
    # The fixtures that run each process test under every method read the platform's list.
    assert datapath.START_METHODS is processing.START_METHODS is conftest.START_METHODS
    assert pool.METHODS is conftest.START_METHODS
