"""Secure by default: which scheduler addresses this backend agrees to talk to.

The embedded cluster listens on loopback only.  A scheduler elsewhere is reached over the
network, where plain TCP lets anyone who can reach the port run code on every worker (Dask
unpickles what it is sent); so such an address needs TLS (``tls://`` with a
``distributed.Security``) unless the caller opts in explicitly, in code (``allow_insecure=True``)
or in the environment (``CONCURRENT_DISTRIBUTED_ALLOW_INSECURE=1``).  The same rule as our
managers, which refuse a non-loopback listener without an explicit authkey.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

from concurrent._shared._machinery.exports import publish

__all__ = ["ENV_ALLOW_INSECURE", "InsecureAddressError", "check_address", "is_loopback"]

ENV_ALLOW_INSECURE = "CONCURRENT_DISTRIBUTED_ALLOW_INSECURE"
_LOCAL_SCHEMES = ("inproc",)


class InsecureAddressError(ValueError):
    """A non-loopback scheduler address without TLS, and no opt-in to plain TCP."""


def _scheme_and_host(address: str) -> tuple[str, str]:
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    host = rest.rsplit(":", 1)[0] if rest.count(":") == 1 or rest.startswith("[") else rest
    return scheme, host.strip("[]")


def is_loopback(host: str) -> bool:
    """True if every address ``host`` names is a loopback address (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0]).is_loopback for info in infos)


def _opted_in(allow_insecure: bool) -> bool:
    return allow_insecure or os.environ.get(ENV_ALLOW_INSECURE, "") == "1"


def check_address(address: str, security: Any = None, allow_insecure: bool = False) -> None:
    """Raise ``InsecureAddressError`` unless ``address`` is loopback, TLS, or opted in.

    A ``tls://`` address needs a ``security`` that carries certificates (else Dask itself
    cannot connect); the error says so up front.
    """
    if not isinstance(address, str) or not address:
        raise TypeError(f"a scheduler address is a string such as 'tls://host:8786', "
                        f"got {address!r}")
    scheme, host = _scheme_and_host(address)
    if scheme in _LOCAL_SCHEMES or is_loopback(host):
        return
    if scheme == "tls":
        if security is None:
            raise InsecureAddressError(
                f"{address!r} is a TLS address but no security was given: pass "
                f"security=distributed.Security(tls_ca_file=..., tls_client_cert=..., "
                f"tls_client_key=..., require_encryption=True)")
        return
    if _opted_in(allow_insecure):
        return
    raise InsecureAddressError(
        f"refusing to connect to the scheduler at {address!r} without TLS: anyone who can "
        f"reach it can run code on every worker.  Either use a 'tls://' address with "
        f"security=distributed.Security(...) (see the 'Scaling out' guide), or accept plain "
        f"TCP explicitly with connect(..., allow_insecure=True) or "
        f"{ENV_ALLOW_INSECURE}=1 in the environment.")


publish("concurrent.distributed", globals(), ["InsecureAddressError"])
