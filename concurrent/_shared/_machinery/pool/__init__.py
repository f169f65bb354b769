"""The pool core both pools share: the public methods, results, chunking, feeding, progress.

A backend's ``Pool`` subclasses ``methods.PoolMethods`` and supplies how a chunk of tasks is
packaged and queued; everything else (argument checks, chunk sizes, the imap feeder, results,
``progress=``, the worker traceback as ``__cause__``, the lifecycle) is here, once.
"""
