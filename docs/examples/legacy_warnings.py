"""Legacy names keep working through compat, and say what to write instead."""

import warnings

import compat
from compat import processing, threading


def old_style():
    worker = threading.currentThread()
    return worker.getName(), processing.cpuCount() >= 1


if __name__ == "__main__":
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", compat.LegacyNameWarning)
        print("result:", old_style())
    for warning in caught:
        print(f"{warning.category.__name__} (line {warning.lineno}): {warning.message}")
