"""The process pool's engine, behind ``concurrent.processing.pool.Pool``.

::

    caller threads                 pool thread (dispatch)              worker processes (worker)
    --------------                 ----------------------              -------------------------
    Pool.map/apply/imap            Dispatcher._step:                   worker_main:
      encode chunk  --pending-->     assign chunks to idle workers       read frames (Task)
      (codec: shm for                ---- Task frames, private pipe -->  run_chunk(...)
       large buffers)                <--- Ready/Partial/Done/Failed ---  send outcomes
      results.deliver <-----------   handle answers, deliver to results
                                     worker died (sentinel):
                                       WorkerLostError for its task,
                                       its other chunks back to pending,
                                       start a replacement

``messages`` documents every message and its framing; ``workers`` starts and reaps the worker
processes; ``dispatch`` is the pool thread; ``worker`` is the loop a worker runs.  The public
methods (and what the thread pool shares: results, chunk sizes, imap feeding, progress, the
lifecycle, the chunk runner) live in ``concurrent._shared._machinery.pool``.
"""
