"""The shared-memory data path: how objects cross between processes.

``codec`` turns an object into bytes (the one place pickling happens, errors explained by
``pickler``) and puts its large buffers in shared memory (``segments``), out of which a
receiver copies large ``bytes`` into huge pages (``hugepages``); ``ring`` is the
shared-memory ring behind the queues, and ``overflow`` holds what an unbounded queue's full ring
cannot take yet.  The public channels (``queues``, ``connection``, ``pool``, ``managers``) are
built on these.
"""
