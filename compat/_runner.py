"""Run a legacy program unchanged: legacy imports resolve to compat, legacy names warn.

The program runs as ``__main__`` through the stand-in module ``compat._script``, which reads the
script's path from the environment.  multiprocessing's spawn and forkserver children re-run the
main module by that module name, so they too get the legacy imports and the warning filter,
with no help from the program.
"""

from __future__ import annotations

import builtins
import os
import runpy
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from compat._warning import LegacyNameWarning
from compat.renames import MODULES

__all__ = ["SCRIPT_ENV", "install", "run", "run_legacy_main"]

SCRIPT_ENV = "COMPAT_LEGACY_SCRIPT"
_LEGACY_TOPS = {name.partition(".")[0] for name in MODULES}
_COMPAT_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_original_import = builtins.__import__
_script_dir: str | None = None
_argv0: str | None = None


def _is_legacy_importer(namespace: dict[str, Any] | None) -> bool:
    # The program and the modules beside it; never the stdlib, compat or concurrent.
    if not namespace:
        return False
    filename = namespace.get("__file__") or ""
    if namespace.get("__name__") in ("__main__", "__mp_main__") and filename:
        return not filename.startswith(_COMPAT_DIR)
    return bool(_script_dir and filename.startswith(_script_dir)
                and not filename.startswith(_COMPAT_DIR))


def _legacy_import(name: str, globals: dict[str, Any] | None = None, locals: Any = None,
                   fromlist: Sequence[str] | None = (), level: int = 0) -> Any:
    """``__import__`` that sends the program's ``threading``/``processing`` imports to compat."""
    if level == 0 and name.partition(".")[0] in _LEGACY_TOPS and _is_legacy_importer(globals):
        if name not in MODULES:
            raise ModuleNotFoundError(f"No module named {name!r}: compat knows the legacy "
                                      f"modules {sorted(MODULES)}", name=name)
        module = _original_import(f"compat.{name}", None, None, ["_"], 0)
        if fromlist:
            return module
        return sys.modules[f"compat.{name.partition('.')[0]}"]
    return _original_import(name, globals, locals, fromlist, level)


def install(script: str) -> None:
    """Route the legacy imports of ``script`` (and modules beside it) and show the warnings."""
    global _script_dir
    _script_dir = os.path.dirname(os.path.abspath(script)) + os.sep
    # python2.6 -3: each legacy use reported once per call site, on stderr.
    warnings.filterwarnings("default", category=LegacyNameWarning)
    builtins.__import__ = _legacy_import


def run(script: str, args: Sequence[str]) -> None:
    """Run ``script`` with ``args`` as ``python script args`` would, legacy names enabled."""
    path = os.path.abspath(script)
    if not os.path.isfile(path):
        raise SystemExit(f"python -m compat: can't open file {script!r}: no such file; "
                         f"give the path of a legacy Python script")
    global _argv0
    os.environ[SCRIPT_ENV] = path
    _argv0 = script
    sys.argv[:] = [script, *args]
    sys.path[0] = os.path.dirname(path)  # as `python script.py` would have it
    runpy.run_module("compat._script", run_name="__main__", alter_sys=True)


def run_legacy_main(namespace: dict[str, Any]) -> None:
    """Execute the legacy script named in the environment inside ``namespace``."""
    path = os.environ.get(SCRIPT_ENV)
    if not path:
        raise RuntimeError(f"compat._script runs a legacy program for `python -m compat`; "
                           f"{SCRIPT_ENV} is not set, so run `python -m compat SCRIPT` instead")
    install(path)
    if _argv0 is not None:  # runpy put compat/_script.py there
        sys.argv[0] = _argv0
    namespace.pop("_run_legacy_main", None)
    namespace.update(__file__=path, __doc__=None, __cached__=None)
    with open(path, "rb") as source:
        code = compile(source.read(), path, "exec")
    exec(code, namespace)  # running the user's program is the point
