"""Copies of large buffers into new ``bytes``/``bytearray`` objects backed by huge pages.

A receiver must hand back a new ``bytes`` (or ``bytearray``) for a large one sent to it.  From
glibc's largest mmap threshold (32 MiB on 64-bit Linux) on, ``malloc`` maps fresh memory for
it, and the copy then runs at the speed of the kernel's page faults, one per 4 KiB page: 1.3
GB/s here for 128 MB against 7 GB/s into touched memory.  Advising the new object's pages as
transparent huge pages (``madvise(MADV_HUGEPAGE)``, as numpy's allocator does for its arrays)
makes that one fault per 2 MiB: 5.4 GB/s for the same copy.

The object is made with ``PyBytes_FromStringAndSize(NULL, n)`` (and its ``bytearray``
counterpart), the C API's way to fill a new object before anybody sees it.  Where ``ctypes``,
``madvise`` or ``MADV_HUGEPAGE`` is missing, or for a smaller buffer, the copy is the plain
``bytes(view)``; an advice the kernel refuses changes nothing but the speed.
"""

from __future__ import annotations

import mmap
import sys

__all__ = ["FLOOR", "copy_to_bytearray", "copy_to_bytes"]

FLOOR = 32 << 20  # below glibc's largest mmap threshold, malloc reuses memory already touched
_PAGE = mmap.PAGESIZE
_PYBUF_WRITE = 0x200  # Include/pybuffer.h


def _c_api():
    """The C functions this module calls, or ``None`` where they are not all there."""
    advice = getattr(mmap, "MADV_HUGEPAGE", None)
    if advice is None or sys.implementation.name != "cpython":
        return None
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (ImportError, OSError, AttributeError):  # no ctypes here, or no madvise in libc
        return None
    madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    api = ctypes.pythonapi
    functions = {}
    for kind, prefix in ((bytes, "PyBytes"), (bytearray, "PyByteArray")):
        new = getattr(api, prefix + "_FromStringAndSize")
        new.restype, new.argtypes = ctypes.py_object, (ctypes.c_void_p, ctypes.c_ssize_t)
        address = getattr(api, prefix + "_AsString")
        address.restype, address.argtypes = ctypes.c_void_p, (ctypes.py_object,)
        functions[kind] = new, address
    view = api.PyMemoryView_FromMemory
    view.restype = ctypes.py_object
    view.argtypes = (ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int)
    return functions, view, madvise, advice


_api: list = []  # [the C API] once looked up: it costs a ctypes import


def _copy(kind: type, view: memoryview):
    if not _api:
        _api.append(_c_api())
    if _api[0] is None:
        return kind(view)
    functions, memory_view, madvise, advice = _api[0]
    new, address_of = functions[kind]
    size = view.nbytes
    out = new(None, size)
    address = address_of(out)
    start, end = -(-address // _PAGE) * _PAGE, (address + size) // _PAGE * _PAGE
    madvise(start, end - start, advice)  # before the first write: the faults come with it
    with memory_view(address, size, _PYBUF_WRITE) as target:
        target[:] = view
    return out


def copy_to_bytes(view: memoryview) -> bytes:
    """``bytes(view)`` for a one-dimensional byte view; huge pages from ``FLOOR`` bytes on."""
    return bytes(view) if view.nbytes < FLOOR else _copy(bytes, view)


def copy_to_bytearray(view: memoryview) -> bytearray:
    """``bytearray(view)`` for a one-dimensional byte view; huge pages from ``FLOOR`` bytes on."""
    return bytearray(view) if view.nbytes < FLOOR else _copy(bytearray, view)
