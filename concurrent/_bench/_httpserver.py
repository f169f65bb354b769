"""The local HTTP server the HTTP workload fetches from.

It runs in its own interpreter (``python -I this_file.py``) so that serving never competes for the
GIL with the threads being measured and the bench process has no extra thread when it forks.
The child prints its port, serves until its standard input closes, then exits.
"""

import sys

__all__ = ["LocalHTTPServer"]

BODY = b"concurrent bench: " + b"x" * 1000 + b"\n"


def _serve() -> None:
    """The child's side: serve ``BODY`` on an ephemeral 127.0.0.1 port until stdin closes."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

        def log_message(self, format, *args) -> None:
            """Stay quiet: a log line per request would swamp the bench's output."""

    class Server(ThreadingHTTPServer):
        # Eight workers connect at once; the default backlog of 5 would drop SYNs and add
        # one-second retransmits to the figures.
        request_queue_size = 128

    with Server(("127.0.0.1", 0), Handler) as server:
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        print(server.server_address[1], flush=True)
        sys.stdin.read()
        server.shutdown()
        serving.join(10)


class LocalHTTPServer:
    """A context manager that starts the server child and stops it on exit.

    ``host`` and ``port`` are set once ``start()`` returns; ``stop()`` waits for the child.
    """

    host = "127.0.0.1"

    def __init__(self, start_timeout: float = 30.0) -> None:
        self.port: int | None = None
        self._start_timeout = start_timeout
        self._child = None

    def start(self) -> "LocalHTTPServer":
        import subprocess

        self._child = subprocess.Popen(
            [sys.executable, "-I", __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            self.port = self._read_port()
        except BaseException:
            self.stop()
            raise
        return self

    def _read_port(self) -> int:
        import selectors

        with selectors.DefaultSelector() as selector:
            selector.register(self._child.stdout, selectors.EVENT_READ)
            if not selector.select(self._start_timeout):
                raise RuntimeError(
                    f"the bench's HTTP server printed no port within {self._start_timeout} s"
                )
        line = self._child.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError(f"the bench's HTTP server failed to start (it printed {line!r})")
        return int(line)

    def stop(self) -> None:
        """Close the child's stdin so it shuts down; kill it if it has not ended in 10 s."""
        import subprocess

        child, self._child = self._child, None
        if child is None:
            return
        try:
            child.stdin.close()
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(10)
        finally:
            child.stdout.close()

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.poll() is None

    def __enter__(self) -> "LocalHTTPServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


if __name__ == "__main__":
    _serve()
