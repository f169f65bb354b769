"""Secure by default: loopback-only embedded cluster, no plain TCP off loopback unless asked."""


import pytest

from concurrent.distributed import _security
from tests.managers._certs import make_self_signed


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "127.0.0.1:8786", "localhost:1",
                                     "tcp://[::1]:8786", "inproc://x/1"])
def test_loopback_addresses_are_accepted(address):
    _security.check_address(address)


def test_plain_tcp_off_loopback_is_refused_with_both_ways_out(monkeypatch):
    monkeypatch.delenv(_security.ENV_ALLOW_INSECURE, raising=False)
    with pytest.raises(_security.InsecureAddressError) as caught:
        _security.check_address("tcp://10.255.0.1:8786")
    message = str(caught.value)
    assert "tcp://10.255.0.1:8786" in message and "tls://" in message
    assert "allow_insecure=True" in message and _security.ENV_ALLOW_INSECURE in message


def test_opting_in_to_plain_tcp(monkeypatch):
    _security.check_address("tcp://10.255.0.1:8786", allow_insecure=True)
    monkeypatch.setenv(_security.ENV_ALLOW_INSECURE, "1")
    _security.check_address("tcp://10.255.0.1:8786")


def test_tls_address_needs_security():
    with pytest.raises(_security.InsecureAddressError, match="security="):
        _security.check_address("tls://10.255.0.1:8786")
    _security.check_address("tls://10.255.0.1:8786", security=object())


def test_connect_refuses_before_touching_the_network(monkeypatch):
    import concurrent.distributed as backend

    monkeypatch.delenv(_security.ENV_ALLOW_INSECURE, raising=False)
    with pytest.raises(backend.InsecureAddressError):
        backend.connect("tcp://10.255.0.1:8786")


def _listening_hosts(pids):
    import psutil

    hosts = set()
    for pid in pids:
        for conn in psutil.Process(pid).net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN:
                hosts.add(conn.laddr.ip)
    return hosts


def test_embedded_cluster_listens_on_loopback_only(cluster):
    import psutil

    assert cluster.Queue().empty()  # the embedded cluster runs
    me = psutil.Process()
    pids = [me.pid] + [child.pid for child in me.children(recursive=True)]
    hosts = _listening_hosts(pids)
    assert hosts and hosts <= {"127.0.0.1"}, hosts


def test_tls_cluster_with_certificates_made_here(cluster, tmp_path):
    from distributed import LocalCluster, Security

    made = make_self_signed(tmp_path)
    if made is None:
        pytest.fail("cannot make a certificate: neither cryptography nor openssl is available")
    cert, key = made
    security = Security(tls_ca_file=cert, tls_client_cert=cert, tls_client_key=key,
                        tls_scheduler_cert=cert, tls_scheduler_key=key, tls_worker_cert=cert,
                        tls_worker_key=key, require_encryption=True)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tls://",
                      host="127.0.0.1", security=security, dashboard_address=None) as tls:
        assert tls.scheduler_address.startswith("tls://127.0.0.1:")
        try:
            cluster.connect(tls.scheduler_address, security=security)
            with cluster.Pool(1) as pool:
                assert pool.map(abs, [-1, -2]) == [1, 2]
            assert cluster.describe().startswith(f"scheduler {tls.scheduler_address}")
        finally:
            cluster.shutdown()
