"""Fixtures: a StoreManager server in a child process that logs to a file."""

import os
import secrets
import time

import pytest

from tests.conftest import QUICK_METHOD
from tests.managers import _certs, _targets
from tests.pool.conftest import get_context


class RunningServer:
    def __init__(self, process, address, authkey, log_path):
        self.process, self.address, self.authkey, self.log_path = (process, address, authkey,
                                                                   log_path)

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def wait_for_log(self, text, timeout=10):
        """Poll the server's log (bounded) until ``text`` appears; return the log."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} never appeared in the server log:\n{self.log()}")
            time.sleep(0.02)  # polling interval of a bounded poll
        return self.log()

    def stop(self):
        self.process.terminate()
        self.process.join(10)
        assert self.process.exitcode is not None


def start_server(tmp_path, method=QUICK_METHOD, tls_files=None, host="127.0.0.1",
                 serializer="pickle", auth_timeout=1.0, kind="store", port=0):
    """Serve a manager (``_targets.serve``) in a child process; its auth timeout is short."""
    ctx = get_context(method)
    authkey = secrets.token_bytes(16)
    reader, writer = ctx.Pipe(duplex=False)
    log_path = tmp_path / f"server-{os.getpid()}-{time.monotonic_ns()}.log"
    process = ctx.Process(target=_targets.serve,
                          args=((host, port), authkey, writer, str(log_path), tls_files,
                                serializer, auth_timeout, kind))
    process.start()
    writer.close()
    if not reader.poll(60):
        process.kill()
        pytest.fail("the manager server did not report its address")
    address = reader.recv()
    reader.close()
    return RunningServer(process, address, authkey, log_path)


@pytest.fixture
def server(tmp_path):
    running = start_server(tmp_path)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """``(cert.pem, key.pem)`` of a self-signed certificate for 127.0.0.1."""
    files = _certs.make_self_signed(tmp_path_factory.mktemp("tls"))
    if files is None:
        pytest.skip("neither the cryptography package nor the openssl CLI is available to "
                    "make a test certificate")
    return files
