"""The server survives bad clients, keeps serving good ones, and logs every rejection."""

import random
import socket
import struct
import time
from multiprocessing import connection

import pytest

from tests.managers import _targets

SEED = 20240501
BAD_CLIENTS = 60


def _garbage(rng, sock):
    sock.sendall(rng.randbytes(rng.randrange(1, 300)))


def _huge_prefix(rng, sock):
    sock.sendall(rng.choice([struct.pack("!i", 0x7FFFFFFF),
                             struct.pack("!iQ", -1, 1 << 62),
                             struct.pack("!i", -7)]))


def _truncated(rng, sock):
    size = rng.randrange(20, 200)
    sock.sendall(struct.pack("!i", size) + rng.randbytes(size // 2))


def _wrong_digest_after_challenge(rng, sock):
    sock.recv(4096)
    answer = rng.randbytes(rng.choice([0, 16, 32, 64]))
    sock.sendall(struct.pack("!i", len(answer)) + answer)


def _disconnect(rng, sock):
    pass  # connect and hang up at once


BAD = [_garbage, _huge_prefix, _truncated, _wrong_digest_after_challenge, _disconnect]


def _good_round(server, expected):
    client = _targets.StoreManager(address=server.address, authkey=server.authkey)
    client.connect()
    store = client.get_store()
    store[f"round-{expected}"] = expected
    assert sorted(store.keys()) == sorted(f"round-{i}" for i in range(expected + 1))


def test_fuzzed_clients_are_rejected_and_logged(server):
    rng = random.Random(SEED)
    rounds = 0
    for attempt in range(BAD_CLIENTS):
        with socket.create_connection(server.address, timeout=10) as sock:
            rng.choice(BAD)(rng, sock)
        if attempt % 10 == 9:
            _good_round(server, rounds)
            rounds += 1
    deadline = time.monotonic() + 30
    while server.log().count("rejected a client before authentication") < BAD_CLIENTS:
        if time.monotonic() > deadline:
            pytest.fail(f"only {server.log().count('rejected')} of {BAD_CLIENTS} bad clients "
                        f"were logged:\n{server.log()}")
        time.sleep(0.05)  # polling interval of a bounded poll
    _good_round(server, rounds)


def test_a_stalled_client_is_dropped(server):
    """Half a frame, then silence: the server hangs up after its auth timeout (1 s here)."""
    with socket.create_connection(server.address, timeout=20) as sock:
        sock.recv(4096)  # the challenge
        sock.sendall(struct.pack("!i", 100) + b"x" * 10)
        while sock.recv(4096):  # until the server hangs up; a 20 s socket timeout fails us
            pass
    server.wait_for_log("rejected a client before authentication")
    _good_round(server, 0)


def test_malformed_requests_after_authentication(server):
    rng = random.Random(SEED + 1)
    for _ in range(10):
        conn = connection.Client(server.address, authkey=server.authkey)
        try:
            conn.send_bytes(rng.choice([b"", b"\x80\x05N.", rng.randbytes(40)]))
            kind, _detail = conn.recv()
            assert kind == "#TRACEBACK"
        finally:
            conn.close()
    conn = connection.Client(server.address, authkey=server.authkey)
    try:
        conn.send((None, "not_a_request", (), {}))
        assert conn.recv()[0] == "#TRACEBACK"
    finally:
        conn.close()
    server.wait_for_log("rejected a malformed request")
    _good_round(server, 0)
