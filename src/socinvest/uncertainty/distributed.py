"""Run simulation chunks on Dask: a LocalCluster, or an existing cluster at tcp://host:port.

Only imported when asked for (`--scheduler dask|tcp://…`): Dask is heavy to import."""

from __future__ import annotations

from ..errors import InputError
from ..i18n import Msg
from .defaults import SCHEDULER_TIMEOUT
from .simulate import check_scheduler, run_chunk


def run_dask(case, seeds, sizes, scheduler: str, workers: int, progress) -> list[dict]:
    check_scheduler(scheduler)
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
    else:  # tcp://host:port (check_scheduler let nothing else through)
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except Exception as e:  # no answer, or a service that is not Dask (garbage)
            message = Msg(
                "--scheduler {scheduler}: ingen Dask-scheduler svarer ({error})",
                scheduler=scheduler,
                error=str(e),
            )
            raise InputError(message) from None
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
