"""The web app's settings: from arguments, else the environment, else safe defaults.

- `SOCINVEST_DATABASE_URL`: the workspace database (default: the store's SQLite file).
- `SOCINVEST_SECRET_KEY`: signs session cookies. Without it a random key is made per process
  (`socinvest serve` makes one per start and hands it to all its workers): sessions then end
  when the server restarts (fine for `make run`, not for a deployment of several servers,
  which must share one key).
- `SOCINVEST_SCHEDULER`: where Monte Carlo runs: `threads` (default), `dask` or `tcp://…`,
  as `simulate --scheduler`.
- `SOCINVEST_SECURE_COOKIES=1`: cookies only over HTTPS (behind a TLS proxy).
- `SOCINVEST_WEB_JOBS`: threads for background jobs per process (default 2; `serve --jobs`).
- `SOCINVEST_WEB_WORKERS`: how many processes serve the app (`serve --workers`, default 1);
  with one, a process that stops forgets its jobs (as before: nobody else could show them).
- `SOCINVEST_JOB_DIR`: where job files are written (default: a directory of the system's
  temporary directory named after the database, 0700); every process of the server must
  see the same directory.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    secret_key: str = field(default="", repr=False)
    scheduler: str = "threads"
    secure_cookies: bool = False
    session_max_age: int = 8 * 3600  # a working day
    login_limit: int = 5
    login_window: float = 60.0
    job_workers: int = 2
    workers: int = 1  # processes serving this database (serve --workers)
    job_dir: str | None = None
    upload_max_bytes: int = 20 * 1024 * 1024

    @classmethod
    def from_env(cls, database_url: str | None = None, **overrides) -> Settings:
        jobs = os.environ.get("SOCINVEST_WEB_JOBS", "")
        if jobs.isdigit() and "job_workers" not in overrides:
            overrides["job_workers"] = max(1, min(32, int(jobs)))
        workers = os.environ.get("SOCINVEST_WEB_WORKERS", "")
        if workers.isdigit() and "workers" not in overrides:
            overrides["workers"] = max(1, int(workers))
        if os.environ.get("SOCINVEST_JOB_DIR") and "job_dir" not in overrides:
            overrides["job_dir"] = os.environ["SOCINVEST_JOB_DIR"]
        return cls(
            database_url=database_url or os.environ.get("SOCINVEST_DATABASE_URL") or None,
            secret_key=os.environ.get("SOCINVEST_SECRET_KEY") or secrets.token_urlsafe(32),
            scheduler=os.environ.get("SOCINVEST_SCHEDULER") or "threads",
            secure_cookies=_env_flag("SOCINVEST_SECURE_COOKIES"),
            **overrides,
        )
