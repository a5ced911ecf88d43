"""The one safe writer: every file socinvest writes (reports of cases, pools and ladders,
`simulate --html`, `schema -o`) goes through `safe_write`.

The content is produced into a temporary file in the target's own folder and then renamed
onto the target, so a failed or interrupted run never leaves half a file and never destroys
the previous one. A missing folder is an `InputError` (worded by the face in its language).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..i18n import Msg


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once, at import (os.umask can only be read by setting it)


def safe_write(path: Path, produce: Callable[[Path], object], overwrite: bool = True) -> Path:
    """Call `produce(tmp)` to write the content to a temporary file next to `path`, then move
    it onto `path` (atomically). Returns `path`.

    `overwrite=False` refuses an existing target (InputError), also when it appears while the
    content is produced. On any failure the temporary file is removed and the error raised.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(Msg("{path}: mappen {folder} findes ikke", path=path, folder=parent))
    if not overwrite and path.exists():
        raise InputError(Msg("{path}: filen findes allerede", path=path))
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=parent)
    os.close(fd)
    tmp = Path(name)
    try:
        produce(tmp)
        # mkstemp makes the file private (0600); give it the mode a plain write would have
        keep = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK
        os.chmod(tmp, keep)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if the target exists: no silent clobbering
            except FileExistsError:
                raise InputError(Msg("{path}: filen findes allerede", path=path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
