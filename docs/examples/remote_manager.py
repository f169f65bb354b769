"""A manager served over TCP on loopback, a client that connects, and what is refused."""

import secrets

from concurrent.processing import AuthenticationError
from concurrent.processing.managers import BaseManager, DictProxy

_scores = {}


def get_scores():
    return _scores


class ScoreManager(BaseManager):
    """Serves one shared dict under the name ``get_scores``."""


ScoreManager.register("get_scores", callable=get_scores, proxytype=DictProxy)


if __name__ == "__main__":
    authkey = secrets.token_bytes(32)  # share it with the clients, never in the code
    # Port 0: the system picks a free port; the manager reports it in .address.
    server = ScoreManager(address=("127.0.0.1", 0), authkey=authkey)
    server.start()
    try:
        client = ScoreManager(address=server.address, authkey=authkey)
        client.connect()
        scores = client.get_scores()
        scores.update(alice=3, bob=5)
        print("server holds:", sorted(server.get_scores().items()))

        # A client with the wrong key fails the HMAC challenge: the server unpickles nothing.
        intruder = ScoreManager(address=server.address, authkey=b"guess")
        try:
            intruder.connect()
        except AuthenticationError:
            print("wrong authkey: AuthenticationError")

        # Listening beyond loopback without an explicit authkey is refused before any bind.
        try:
            ScoreManager(address=("0.0.0.0", 0)).start()
        except ValueError as error:
            print("public address without authkey:", type(error).__name__)
    finally:
        server.shutdown()
    print("server stopped")
