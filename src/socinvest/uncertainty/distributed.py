"""Run simulation chunks on Dask: a LocalCluster, or an existing cluster at tcp://host:port.

Only imported when asked for (`--scheduler dask|tcp://…`): Dask is heavy to import."""

from __future__ import annotations

from ..errors import InputError
from .simulate import run_chunk


def run_dask(case, seeds, sizes, scheduler: str, workers: int, progress) -> list[dict]:
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler == "dask":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
    elif scheduler.startswith("tcp://"):
        try:
            client = Client(scheduler, timeout=10)
        except OSError as e:
            raise InputError(f"--scheduler {scheduler}: no Dask scheduler answers ({e})") from None
    else:
        raise InputError(
            f"--scheduler {scheduler!r}: use 'threads', 'dask' (a local cluster) or "
            "tcp://host:port (an existing Dask cluster)"
        )
    return run_on_client(client, case, seeds, sizes, progress, cluster)


def run_on_client(client, case, seeds, sizes, progress, cluster=None) -> list[dict]:
    from dask.distributed import as_completed

    try:
        futures = [
            client.submit(run_chunk, case, s, n, pure=False)
            for s, n in zip(seeds, sizes, strict=True)
        ]
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[dict | None] = [None] * len(futures)
        done = 0
        for f in as_completed(futures):
            i = index[f.key]
            out[i] = f.result()
            done += sizes[i]
            if progress:
                progress(done)
        return out  # type: ignore[return-value]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
