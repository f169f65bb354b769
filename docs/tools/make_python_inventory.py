"""Write the Python documentation inventory that intersphinx reads, without network access.

The docs build cannot fetch https://docs.python.org/3/objects.inv, so the inventory is kept in
the repository (docs/_intersphinx/python3.11.inv). Ways to make it:

    python docs/tools/make_python_inventory.py --deb python3.11-doc
        apt-get download Debian's package of the CPython docs and take its objects.inv
    python docs/tools/make_python_inventory.py --from PATH
        PATH is a .deb, an objects.inv, or an HTML tree containing objects.inv
    python docs/tools/make_python_inventory.py --generate
        build one from this interpreter's standard library (no download at all)

Every way checks that the result loads with Sphinx's reader and holds the modules the pages link
to, then writes it (default: the file docs/conf.py names).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import io
import os
import pkgutil
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zlib

DOCS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUTPUT = os.path.join(DOCS, "_intersphinx", "python3.11.inv")

# Names the pages link to: the inventory must have them all.
REQUIRED = ["threading", "multiprocessing", "multiprocessing.managers", "queue", "pickle", "ssl",
            "ssl.SSLContext", "secrets.token_bytes", "os.fork", "concurrent.futures",
            "multiprocessing.Process.terminate", "DeprecationWarning", "ValueError"]


# --- reading and checking -------------------------------------------------------------------------

def check(data: bytes) -> int:
    """Raise ``SystemExit`` unless ``data`` is a usable inventory; return its entry count."""
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.load(io.BytesIO(data), "https://docs.python.org/3", posixpath.join)
    names = {name for objtype, objects in inventory.items() if objtype.startswith("py:")
             for name in objects}
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise SystemExit(f"the inventory lacks {', '.join(missing)}")
    return sum(len(objects) for objects in inventory.values())


def _from_deb(path: str) -> bytes:
    """objects.inv out of a Debian package of the Python docs (ar archive holding data.tar.*)."""
    with open(path, "rb") as stream:
        if stream.read(8) != b"!<arch>\n":
            raise SystemExit(f"{path}: not a .deb (ar) archive")
        while header := stream.read(60):
            name = header[:16].decode().strip().rstrip("/")
            size = int(header[48:58].decode().strip())
            body = stream.read(size)
            if size % 2:
                stream.read(1)
            if name.startswith("data.tar"):
                return _from_tar(body, path)
    raise SystemExit(f"{path}: no data.tar member")


def _from_tar(body: bytes, label: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:  # gz, xz and bz2 alike
        for member in archive.getmembers():
            if re.search(r"/html/objects\.inv$", member.name):
                return archive.extractfile(member).read()
    raise SystemExit(f"{label}: no html/objects.inv inside")


def _from_path(path: str) -> bytes:
    if os.path.isdir(path):
        for directory, _, files in os.walk(path):
            if "objects.inv" in files:
                with open(os.path.join(directory, "objects.inv"), "rb") as stream:
                    return stream.read()
        raise SystemExit(f"{path}: no objects.inv below it")
    if path.endswith(".deb"):
        return _from_deb(path)
    with open(path, "rb") as stream:
        return stream.read()


def _download_deb(package: str) -> bytes:
    if shutil.which("apt-get") is None:
        raise SystemExit("apt-get is not available: use --from or --generate")
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run(["apt-get", "download", package], cwd=directory, check=True)
        debs = [name for name in os.listdir(directory) if name.endswith(".deb")]
        if not debs:
            raise SystemExit(f"apt-get download {package} produced no .deb")
        return _from_deb(os.path.join(directory, debs[0]))


# --- generating from the running interpreter ------------------------------------------------------

# Modules documented on their parent's page in the Python docs.
PAGE_OF = {"multiprocessing.managers": "multiprocessing", "multiprocessing.pool": "multiprocessing",
           "multiprocessing.connection": "multiprocessing",
           "multiprocessing.sharedctypes": "multiprocessing",
           "multiprocessing.dummy": "multiprocessing", "os.path": "os.path"}
# Never imported: they open a browser, print, need a display, or are not library modules.
SKIP = {"antigravity", "this", "idlelib", "lib2to3", "test", "tkinter", "turtle", "turtledemo",
        "__main__", "pydoc_data", "ensurepip", "venv"}
# C modules whose functions the Python docs describe under another module.
DOCUMENTED_AS = {"posix": "os", "nt": "os"}
BUILTIN_PAGES = {"exception": "exceptions", "function": "functions", "class": "functions"}


def _public(module) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [name for name in vars(module) if not name.startswith("_")]
    return [name for name in names if isinstance(name, str)]


def _entries_for(modname: str, documented: set[str]) -> list[tuple[str, str, str]]:
    """(name, role, uri) rows for one module, anchored the way the Python docs anchor them."""
    try:
        module = importlib.import_module(modname)
    except Exception:
        return []
    page = f"library/{PAGE_OF.get(modname, modname)}.html"
    rows = [(modname, "py:module", f"{page}#module-{modname}")]
    for name in _public(module):
        try:
            obj = getattr(module, name)
        except Exception:
            continue
        if inspect.ismodule(obj):
            continue
        owner = getattr(obj, "__module__", None) or modname
        owner = DOCUMENTED_AS.get(owner, owner)
        if owner != modname and not owner.startswith(modname + ".") and owner in documented:
            continue  # the Python docs describe it where it is defined
        full = f"{modname}.{name}"
        if isinstance(obj, type):
            role = "py:exception" if issubclass(obj, BaseException) else "py:class"
            rows.append((full, role, f"{page}#{full}"))
            for attribute in dir(obj):
                value = getattr(obj, attribute, None)
                if attribute.startswith("_") or not callable(value):
                    continue
                rows.append((f"{full}.{attribute}", "py:method", f"{page}#{full}.{attribute}"))
        elif callable(obj):
            rows.append((full, "py:function", f"{page}#{full}"))
        else:
            rows.append((full, "py:data", f"{page}#{full}"))
    return rows


def generate() -> bytes:
    """An inventory (format v2) of this interpreter's documented standard library."""
    import builtins
    import warnings

    warnings.simplefilter("ignore")  # importing every module trips deprecation notices
    rows: list[tuple[str, str, str]] = []
    for name, obj in vars(builtins).items():
        if name.startswith("_"):
            continue
        if isinstance(obj, type):
            kind = "exception" if issubclass(obj, BaseException) else "class"
        elif callable(obj):
            kind = "function"
        else:
            continue
        rows.append((name, f"py:{kind}", f"library/{BUILTIN_PAGES[kind]}.html#{name}"))
    modules = sorted(name for name in sys.stdlib_module_names
                     if not name.startswith("_") and name not in SKIP)
    for name in list(modules):
        try:
            package = importlib.import_module(name)
        except Exception:
            continue
        for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
            if not info.name.startswith("_") and info.name not in ("test", "tests"):
                modules.append(f"{name}.{info.name}")
    documented = set(modules)
    for name in sorted(documented):
        rows += _entries_for(name, documented)
    version = ".".join(map(str, sys.version_info[:2]))
    header = (f"# Sphinx inventory version 2\n# Project: Python\n# Version: {version}\n"
              "# The remainder of this file is compressed using zlib.\n").encode()
    lines = []
    for name, role, uri in dict.fromkeys(rows):
        shown = uri.replace(f"#{name}", "#$") if uri.endswith(f"#{name}") else uri
        lines.append(f"{name} {role} 1 {shown} -\n")
    return header + zlib.compress("".join(lines).encode())


# --- command line --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--deb", metavar="PACKAGE", help="Debian package to download, e.g. "
                                                         "python3.11-doc")
    source.add_argument("--from", dest="path", metavar="PATH",
                        help="a .deb, an objects.inv, or an HTML tree holding objects.inv")
    source.add_argument("--generate", action="store_true",
                        help="build the inventory from this interpreter's standard library")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="where to write it "
                                                                 "(default: %(default)s)")
    args = parser.parse_args(argv)
    if args.generate:
        data = generate()
    elif args.deb:
        data = _download_deb(args.deb)
    else:
        data = _from_path(args.path)
    count = check(data)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "wb") as stream:
        stream.write(data)
    print(f"wrote {args.output}: {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
