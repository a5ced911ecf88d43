"""An organisation's files written out at their workspace paths (latest versions), so the
file-based services (pool, follow-up, ladder) read them exactly as `socinvest` reads a folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import Document, Version


def write_file(root: Path, path: str, content: str | bytes) -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_bytes(content.encode("utf-8"))
    else:
        target.write_bytes(content)
    return target


def latest_files(s: Session, org_id: int) -> Iterator[tuple[str, str | bytes]]:
    q = (
        select(Document.path, Version.text, Version.blob)
        .join(Version, (Version.document_id == Document.id) & (Version.number == Document.latest))
        .where(Document.org_id == org_id)
        .order_by(Document.path)
    )
    for path, text, blob in s.execute(q):
        yield path, (text if text is not None else blob or b"")


@contextmanager
def materialised(
    s: Session, org_id: int, overrides: Mapping[str, str | bytes] | None = None
) -> Iterator[Path]:
    """A temporary folder with the organisation's latest files (and `overrides` on top)."""
    with tempfile.TemporaryDirectory(prefix="socinvest-ws-") as tmp:
        root = Path(tmp)
        for path, content in latest_files(s, org_id):
            write_file(root, path, content)
        for path, content in (overrides or {}).items():
            write_file(root, path, content)
        yield root
