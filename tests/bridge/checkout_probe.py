"""Collected only when named explicitly, by ``test_pytest_from_checkout`` in a child pytest."""

import multiprocessing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_imports_in_children():
    import concurrent.futures
    import concurrent.processing
    from tests.bridge.probe import child_import

    assert Path(concurrent.processing.__file__).is_relative_to(ROOT)
    assert Path(concurrent.futures.__file__).parent.name == "futures"
    for method in ("spawn", "forkserver"):
        context = multiprocessing.get_context(method)
        queue = context.SimpleQueue()
        process = context.Process(target=child_import, args=(queue,))
        process.start()
        process.join(60)
        assert process.exitcode == 0, method
        ours, _ = queue.get()
        queue.close()
        assert Path(ours).is_relative_to(ROOT), (method, ours)
