"""A manager serving over TLS from its own process, and a client that verifies it.

A throwaway self-signed certificate stands in for the one your PKI would issue.
"""

import os
import secrets
import ssl
import subprocess
import tempfile
import threading

from concurrent import processing
from concurrent.processing.managers import BaseManager, DictProxy

_settings = {}


def get_settings():
    return _settings


class SettingsManager(BaseManager):
    """Serves one shared dict under the name ``get_settings``."""


SettingsManager.register("get_settings", callable=get_settings, proxytype=DictProxy)


def self_signed(directory):
    """A certificate and key for 127.0.0.1, made with the openssl command."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )
    return cert, key


def serve(authkey, cert, key, address_out, stop):
    """The server process: TLS context, serve_forever(), and a clean stop on request."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    manager = SettingsManager(address=("127.0.0.1", 0), authkey=authkey,
                              server_ssl_context=context)
    server = manager.get_server()
    address_out.send(server.address)
    address_out.close()

    def stop_when_asked():
        stop.wait()
        server.stop_event.set()  # serve_forever() returns and the process exits with 0

    threading.Thread(target=stop_when_asked, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        cert, key = self_signed(directory)
        authkey = secrets.token_bytes(32)
        stop = processing.Event()
        reader, writer = processing.Pipe(duplex=False)
        server = processing.Process(target=serve, args=(authkey, cert, key, writer, stop))
        server.start()
        writer.close()
        address = reader.recv()

        client_context = ssl.create_default_context(cafile=cert)  # trusts only our server
        client = SettingsManager(address=address, authkey=authkey,
                                 client_ssl_context=client_context)
        client.connect()
        settings = client.get_settings()
        settings["mode"] = "tls"
        print("over TLS:", settings.copy())
        del settings  # release the proxy while its server still runs

        stop.set()
        server.join(timeout=30)
        print("server exit code:", server.exitcode)
