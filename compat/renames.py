"""The one table of legacy names and their PEP 8 replacements.

Every other part of ``compat`` reads it: the shims install a warning method for each entry, the
warnings take their wording from it, ``compat.migrate`` rewrites code by it and the docs'
migration table is printed from it (``python -m compat.renames``).  Add a legacy name here and
it is shimmed, warned about, migrated and documented in one go.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["MODULES", "PY3_METHOD_NAMES", "RENAMES", "Kind", "Rename", "by_legacy", "for_owner",
           "migration_table"]


class Kind(enum.Enum):
    """How a legacy spelling turns into the new one."""

    FUNCTION = "function"  # module.old(...)  -> new_module.new(...)
    METHOD = "method"      # obj.old(...)     -> obj.new(...)   (new may be a chain: a().b)
    GETTER = "getter"      # obj.old()        -> obj.new
    SETTER = "setter"      # obj.old(value)   -> obj.new = value   (only as a statement)
    RESHAPE = "reshape"    # module.old(...)  -> a call of new_module.new written differently,
                           #   by a rule of compat.migrate's own (the note shows the shape)
    MANUAL = "manual"      # works through the shim; migrate reports it for a person to change
    CONSTANT = "constant"  # module.OLD       -> new_module.NEW   (a value; migrate reports it, as
                           #   the new module must be imported by hand)


@dataclass(frozen=True)
class Rename:
    """One legacy spelling: where it lived, what replaces it, and how."""

    module: str         # legacy module: "threading", "processing", "pprocess", ...
    old: str            # "currentThread", or "Owner.method" for methods
    new: str            # "current_thread", or the attribute / method (chain) for methods
    kind: Kind
    new_module: str     # where the replacement lives
    note: str = ""      # what a person must know (MANUAL entries: what to write instead)
    wrap: str = ""      # GETTER: a builtin the value passes through (bytes(p.authkey))

    @property
    def owner(self) -> str | None:
        """The class a method belongs to, or ``None`` for a module-level name."""
        return self.old.rpartition(".")[0] or None

    @property
    def name(self) -> str:
        """The bare legacy name (method name without its class)."""
        return self.old.rpartition(".")[2]

    @property
    def message(self) -> str:
        """The deprecation message, worded the way CPython words its own."""
        # threading keeps CPython's own wording (bare name); other modules name old and new.
        if self.kind is Kind.CONSTANT:
            return (f"{self.module}.{self.old} is deprecated, use {self.new_module}.{self.new} "
                    f"instead")
        if self.module == "threading":
            old = f"{self.name}()"
        else:
            old = f"{self.module}.{self.old}()"
        if self.kind is Kind.GETTER and self.wrap:
            advice = f"use {self.wrap}({self.owner}.{self.new})"
        elif self.kind is Kind.GETTER:
            advice = f"get the {self.new} attribute"
        elif self.kind is Kind.SETTER:
            advice = f"set the {self.new} attribute"
        elif self.kind in (Kind.FUNCTION, Kind.RESHAPE) and self.module != "threading":
            advice = f"use {self.new_module}.{self.new}()"
        elif self.kind is Kind.MANUAL:
            advice = self.note
        else:
            advice = f"use {self.new}()"
        return f"{old} is deprecated, {advice} instead"


# Legacy module -> the module that replaces it.
MODULES: dict[str, str] = {
    "threading": "concurrent.threading",
    "processing": "concurrent.processing",
    "processing.dummy": "concurrent.threading",
    "processing.dummy.connection": "concurrent.threading.connection",
    "processing.connection": "concurrent.processing.connection",
    "processing.managers": "concurrent.processing.managers",
    "processing.pool": "concurrent.processing.pool",
    "processing.sharedctypes": "concurrent.processing.sharedctypes",
    "pprocess": "concurrent.processing",
}

_CT, _CP = "concurrent.threading", "concurrent.processing"

#: Methods Python 3 renamed, which 0.52 proxies name in ``_callMethod(name)``: the shim calls
#: the new one, and ``compat.migrate`` rewrites the name.
PY3_METHOD_NAMES: dict[str, str] = {"next": "__next__"}

# Methods shared by threads and processes (2.6 threading and pyprocessing spelled them alike).
_WORKER_METHODS = [
    ("getName", "name", Kind.GETTER),
    ("setName", "name", Kind.SETTER),
    ("isDaemon", "daemon", Kind.GETTER),
    ("setDaemon", "daemon", Kind.SETTER),
    ("isAlive", "is_alive", Kind.METHOD),
]
_PROCESS_METHODS = [
    ("getPid", "pid", Kind.GETTER),
    ("getExitCode", "exitcode", Kind.GETTER),
    ("setAuthKey", "authkey", Kind.SETTER),
]
_SYNC_METHODS = [("Condition", "notifyAll", "notify_all"), ("Event", "isSet", "is_set")]
_QUEUE_METHODS = [
    ("getNoWait", "get_nowait"),
    ("putNoWait", "put_nowait"),
    ("joinThread", "join_thread"),
    ("cancelJoin", "cancel_join_thread"),
    ("jointhread", "join_thread"),  # 0.52's own deprecated spellings of the two above
    ("canceljoin", "cancel_join_thread"),
]
_CONNECTION_METHODS = [
    ("sendBytes", "send_bytes"),
    ("recvBytes", "recv_bytes"),
    ("recvBytesInto", "recv_bytes_into"),
]
_POOL_METHODS = [
    ("applyAsync", "apply_async"),
    ("mapAsync", "map_async"),
    ("imapUnordered", "imap_unordered"),
]
# pprocess 0.5.1: only pmap and get_number_of_cores have a concurrent.processing spelling; the
# rest (channels, exchanges, background processes) are rewritten by hand, as the notes say.
_PPROCESS_MANUAL = [
    ("start", "run the callable in a concurrent.processing.Process and talk to it through a "
              "concurrent.processing.Pipe()"),
    ("create", "put the created process's code in a function and run it with "
               "concurrent.processing.Process"),
    ("exit", "return from the process's target function"),
    ("Channel", "use the Connection ends of a concurrent.processing.Pipe(): send() and recv()"),
    ("Exchange", "watch the Connection ends of your pipes with "
                 "concurrent.processing.connection.wait()"),
    ("Map", "use concurrent.processing.Pool.imap() for results in call order"),
    ("Queue", "use concurrent.processing.Pool.imap_unordered() for results as they arrive"),
    ("MakeParallel", "give the plain function to a concurrent.processing.Pool"),
    ("MakeReusable", "give the plain function to a concurrent.processing.Pool (its workers "
                     "are reused)"),
    ("BackgroundCallable", "run the callable in a concurrent.processing.Process that serves "
                           "its result through a concurrent.processing.connection.Listener"),
    ("BackgroundQueue", "receive the result through "
                        "concurrent.processing.connection.Client(address)"),
    ("PersistentQueue", "connect with concurrent.processing.connection.Client() and watch "
                        "the connections with concurrent.processing.connection.wait()"),
    ("PersistentExchange", "connect with concurrent.processing.connection.Client() and watch "
                           "the connections with concurrent.processing.connection.wait()"),
]
# pyprocessing's logging levels: logging's own, and two of multiprocessing.util's.
_LOG_LEVELS = [("NOTSET", "logging"), ("SUBDEBUG", "multiprocessing.util"), ("DEBUG", "logging"),
               ("INFO", "logging"), ("SUBWARNING", "multiprocessing.util")]
_WORKER_FUNCTIONS = [
    ("currentProcess", "current_process"),
    ("activeChildren", "active_children"),
    ("cpuCount", "cpu_count"),
]


def _build() -> list[Rename]:
    table = [
        Rename("threading", "currentThread", "current_thread", Kind.FUNCTION, _CT),
        Rename("threading", "activeCount", "active_count", Kind.FUNCTION, _CT),
    ]
    for module, new_module in (("threading", _CT), ("processing.dummy", _CT),
                               ("processing", _CP)):
        owner = "Thread" if module == "threading" else "Process"
        table += [Rename(module, f"{owner}.{old}", new, kind, new_module)
                  for old, new, kind in _WORKER_METHODS]
        table += [Rename(module, f"{cls}.{old}", new, Kind.METHOD, new_module)
                  for cls, old, new in _SYNC_METHODS]
    for module, new_module in (("processing", _CP), ("processing.dummy", _CT)):
        table += [Rename(module, old, new, Kind.FUNCTION, new_module)
                  for old, new in _WORKER_FUNCTIONS]
        table += [Rename(module, f"Queue.{old}", new, Kind.METHOD, new_module)
                  for old, new in _QUEUE_METHODS  # thread queues have no feeder thread
                  if module == "processing" or not old.lower().endswith(("thread", "join"))]
        table += [Rename(module, f"Connection.{old}", new, Kind.METHOD, new_module)
                  for old, new in _CONNECTION_METHODS]
        table += [Rename(module, f"Pool.{old}", new, Kind.METHOD, new_module)
                  for old, new in _POOL_METHODS]
        table += [Rename(module, f"Queue.{old}", "put", Kind.MANUAL, new_module,
                         note="call put() for each item") for old in ("putMany", "putmany")]
    table += [Rename("processing", f"Process.{old}", new, kind, _CP)
              for old, new, kind in _PROCESS_METHODS]
    table.append(Rename("processing", "Process.getAuthKey", "authkey", Kind.GETTER, _CP,
                        note="authkey is an AuthenticationString, which refuses to be pickled; "
                             "0.52's key was a plain string that could be sent to another "
                             "process", wrap="bytes"))
    table += [Rename("processing.dummy", f"Process.{old}", new, kind, _CT)  # no authkey
              for old, new, kind in _PROCESS_METHODS if not old.endswith("AuthKey")]
    table += [
        Rename("processing", "Synchronized.getobj", "get_obj", Kind.METHOD, _CP),
        Rename("processing", "Synchronized.getlock", "get_lock", Kind.METHOD, _CP),
        Rename("processing", "freezeSupport", "freeze_support", Kind.FUNCTION, _CP),
        Rename("processing.dummy", "freezeSupport", "", Kind.MANUAL, _CT,
               note="remove the call (threads need no freeze support)"),
        Rename("processing", "getLogger", "get_logger", Kind.FUNCTION, _CP),
        Rename("processing", "enableLogging", "log_to_stderr", Kind.FUNCTION, _CP,
               note="only the level argument carries over; configure handlers on "
                    "get_logger() yourself"),
        Rename("processing", "LocalManager", "", Kind.MANUAL, _CP,
               note="use concurrent.processing.Lock/Value/Array and the other "
                    "module-level factories"),
        Rename("processing.connection", "deliverChallenge", "deliver_challenge",
               Kind.FUNCTION, f"{_CP}.connection"),
        Rename("processing.connection", "answerChallenge", "answer_challenge",
               Kind.FUNCTION, f"{_CP}.connection"),
        Rename("processing.managers", "BaseManager.serveForever",
               "get_server().serve_forever", Kind.METHOD, f"{_CP}.managers"),
        Rename("processing.managers", "BaseManager.fromAddress", "connect", Kind.MANUAL,
               f"{_CP}.managers",
               note="create the manager with address= and authkey=, then call connect()"),
        Rename("processing.managers", "BaseProxy._callMethod", "_callmethod", Kind.METHOD,
               f"{_CP}.managers",
               note="_callMethod('next') calls __next__(), Python 3's name for it; "
                    "compat.migrate renames it too and asks you to expose '__next__'"),
        Rename("processing.managers", "BaseProxy._getValue", "_getvalue", Kind.METHOD,
               f"{_CP}.managers"),
        Rename("processing.managers", "CreatorMethod", "register", Kind.MANUAL,
               f"{_CP}.managers",
               note="call ManagerClass.register(typeid, callable, proxytype, exposed)"),
        Rename("pprocess", "pmap", "Pool.imap", Kind.RESHAPE, _CP,
               note="compat.migrate turns pmap(f, items, limit=n) into pool.imap(f, items) in "
                    "a block under 'with Pool(n) as pool:', in list() unless a for loop "
                    "iterates over it (an item that fails then fails the statement); the "
                    "pool's workers take item after item, where pprocess started a process "
                    "for each"),
        Rename("pprocess", "get_number_of_cores", "cpu_count", Kind.FUNCTION, _CP),
    ]
    table += [Rename("processing", name, name, Kind.CONSTANT, home)
              for name, home in _LOG_LEVELS]
    table += [Rename("pprocess", old, "", Kind.MANUAL, _CP, note=note)
              for old, note in _PPROCESS_MANUAL]
    return table


RENAMES: tuple[Rename, ...] = tuple(_build())


def by_legacy(module: str, old: str) -> Rename:
    """The entry for ``old`` (``"Owner.method"`` for methods) of legacy ``module``."""
    for entry in RENAMES:
        if entry.module == module and entry.old == old:
            return entry
    raise KeyError(f"no legacy name {old!r} in module {module!r}; see compat.renames.RENAMES")


def for_owner(module: str, owner: str) -> list[Rename]:
    """The method entries of class ``owner`` in legacy ``module``."""
    return [entry for entry in RENAMES if entry.module == module and entry.owner == owner]


def migration_table() -> list[tuple[str, str, str]]:
    """Rows (legacy spelling, new spelling, note) for the docs' migration table."""
    rows = []
    for entry in RENAMES:
        old = f"{entry.module}.{entry.old}()"
        if entry.kind is Kind.MANUAL:
            new = "(by hand)"
        elif entry.kind is Kind.CONSTANT:
            old, new = f"{entry.module}.{entry.old}", f"{entry.new_module}.{entry.new}"
        elif entry.owner is None:
            new = f"{entry.new_module}.{entry.new}()"
        elif entry.wrap:
            new = f"{entry.wrap}({entry.owner}.{entry.new})"
        elif entry.kind in (Kind.GETTER, Kind.SETTER):
            new = f"{entry.owner}.{entry.new}"
        else:
            new = f"{entry.owner}.{entry.new}()"
        rows.append((old, new, entry.note))
    rows += [(f"import {old}", f"import {new}", "") for old, new in MODULES.items()]
    return rows


if __name__ == "__main__":  # the rows of the docs' migration table
    for row in migration_table():
        print(" | ".join(row))
