"""Where a manager may listen: loopback freely, anything else only with an explicit authkey.

The default authkey is the process's random one, which a remote client cannot know; a server on
a public address with it would be useless at best.  Worse, code that *passes* a guessable key
gets what it asked for, so the rule is only that the key is chosen on purpose.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

__all__ = ["check_serving_address", "is_loopback"]


def is_loopback(host: str) -> bool:
    """True if every address ``host`` names is a loopback address ('' means all interfaces)."""
    if host in ("", "0.0.0.0", "::"):
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback
                               for info in infos)


def check_serving_address(address: Any, authkey_explicit: bool) -> None:
    """Raise ``ValueError`` if a server would listen beyond loopback without a chosen authkey."""
    if not isinstance(address, tuple):
        return  # None or a Unix socket path: reachable from this machine only
    host = address[0]
    if not is_loopback(host) and not authkey_explicit:
        shown = host or "every interface"
        raise ValueError(
            f"refusing to serve a manager on {shown!r} ({address!r}) without an explicit "
            "authkey: any machine that can reach it could call into this process. Pass "
            "authkey=secrets.token_bytes(32) (and share it with the clients), or bind "
            "'127.0.0.1' for local use")
