"""Attach to an existing cluster; a plain-TCP scheduler off loopback is refused.

Here the "existing cluster" is a LocalCluster this program starts on loopback; in production
it is the address of your scheduler (with TLS, see the guide).
"""

from distributed import LocalCluster

from concurrent import distributed as backend


def square(x: int) -> int:
    return x * x


def main() -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        backend.connect(cluster.scheduler_address)
        print("cpu_count:", backend.cpu_count())
        with backend.Pool() as pool:
            print("pool.map:", pool.map(square, range(6)))
        backend.shutdown()
    try:
        backend.connect("tcp://192.0.2.10:8786")
    except backend.InsecureAddressError as refused:
        print("refused:", str(refused).split(": anyone")[0])


if __name__ == "__main__":
    main()
