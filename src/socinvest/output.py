"""The one safe writer: every file socinvest writes (reports of cases, pools and ladders,
charts, `simulate --html`, `schema -o`, `ladder fit -o`) goes through `safe_write`, after the
face has checked the target with `check_output` before computing anything.

The rules (docs/reports.md, "Writing files"):

- An existing file is replaced only when asked (`overwrite=True`, the faces' `--force`);
  a file that appears while the content is produced is not clobbered either.
- A file the command reads (`inputs`) is never the output: compared by resolved path and by
  inode, so a symlink or a hard link to the case is refused too.
- The target must be a file name with a suffix of the command's formats, in a folder that
  exists; a directory, a missing or read-only folder, or a name too long for the file system
  is an `InputError` (exit 2), never an internal error.
- The content is produced in a private temporary folder (random name, mode 0700, made by
  `tempfile.mkdtemp`) in the target's own folder, in a file created with O_EXCL|O_NOFOLLOW,
  and then renamed onto the target: a failed or interrupted run never leaves half a file and
  never damages the previous one. A symlink planted at the target is replaced by the file
  (rename does not follow it), never followed into another place.
- The temporary folder is removed on every exit Python sees: an exception, Ctrl-C
  (KeyboardInterrupt), SIGTERM (turned into SystemExit while writing) and, as a last resort,
  at interpreter exit. Only SIGKILL (or a power cut) can leave one behind: a hidden
  `.socinvest-…` folder next to the target.
- A new file gets the mode a plain write would give (0666 minus the umask); a replaced file
  keeps its mode.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import InputError
from .i18n import Msg

TEMP_PREFIX = ".socinvest-"
_LIVE: set[str] = set()  # temporary folders being written, removed at exit if still there


def _remove_live() -> None:
    for d in list(_LIVE):
        shutil.rmtree(d, ignore_errors=True)
        _LIVE.discard(d)


atexit.register(_remove_live)


def _exists(path: Path) -> bool:
    return os.path.lexists(path)  # a dangling symlink exists too


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except (OSError, RuntimeError):  # a symlink loop, an unreadable folder
        return False


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def check_output(
    path: Path,
    suffixes: Iterable[str] | None = None,
    *,
    overwrite: bool = False,
    inputs: Iterable[Path | None] = (),
) -> Path:
    """Refuse a target that `safe_write` could not or must not write (InputError, exit 2):
    a suffix outside `suffixes` (when given), a directory, a missing folder, a name too long,
    an input of the command, an existing file without `overwrite`. Call it before computing.
    """
    path = Path(path)
    if suffixes is not None:
        allowed = tuple(suffixes)
        suffix = path.suffix.lower()
        if suffix not in allowed:
            raise InputError(
                Msg(
                    "{path}: filendelsen {suffix} kan ikke skrives her; brug {formats}",
                    path=path,
                    suffix=repr(suffix) if suffix else Msg("(ingen endelse)"),
                    formats=", ".join(allowed),
                )
            )
    parent = path.parent if str(path.parent) else Path(".")
    if len(os.fsencode(path.name)) > _name_max(parent):
        n = len(os.fsencode(path.name))
        raise InputError(Msg("{path}: filnavnet er for langt ({n} bytes)", path=path, n=n))
    try:
        is_dir, parent_ok = path.is_dir(), parent.is_dir()
    except OSError as e:  # a path the system cannot even look up (too long, a loop)
        raise _os_error(path, e) from None
    if is_dir:
        raise InputError(Msg("{path} er en mappe; angiv et filnavn", path=path))
    if not parent_ok:
        if _exists(parent):
            raise InputError(Msg("{path}: {folder} er ikke en mappe", path=path, folder=parent))
        raise InputError(Msg("{path}: mappen {folder} findes ikke", path=path, folder=parent))
    for p in inputs:
        if p is not None and _same_file(path, Path(p)):
            raise InputError(
                Msg(
                    "{path} er en af kommandoens inddata og overskrives aldrig; vælg et andet navn",
                    path=path,
                )
            )
    if not overwrite and _exists(path):
        raise _exists_error(path)
    return path


def make_folder(path: Path) -> Path:
    """Create the output folder `path` (and its parents) before computing; a file in its
    place, a name too long or no access is an InputError (exit 2), never a traceback."""
    path = Path(path)
    try:
        if _exists(path) and not path.is_dir():
            raise InputError(
                Msg("{path} findes og er ikke en mappe; angiv en mappe til rapporterne", path=path)
            )
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:  # a file as a parent, too long, no access
        raise _os_error(path, e) from None
    return path


def _exists_error(path: Path) -> InputError:
    return InputError(
        Msg("{path}: filen findes allerede; brug --force for at overskrive", path=path)
    )


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """While writing, SIGTERM raises SystemExit (143) so that `finally` removes the temporary
    folder; the previous handler is restored after. Only the main thread can set handlers."""
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "SIGTERM"):
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):  # pragma: no cover - not settable here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _os_error(path: Path, e: OSError) -> InputError:
    folder = path.parent if str(path.parent) else Path(".")
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InputError(
            Msg(
                "{path}: kan ikke skrive i mappen {folder} (ingen skriveadgang)",
                path=path,
                folder=folder,
            )
        )
    if e.errno == errno.ENAMETOOLONG:
        return InputError(Msg("{path}: filnavnet er for langt", path=path))
    return InputError(
        Msg("{path}: kan ikke skrives ({reason})", path=path, reason=e.strerror or str(e))
    )


def safe_write(
    path: Path,
    produce: Callable[[Path], object],
    overwrite: bool = False,
    inputs: Iterable[Path | None] = (),
) -> Path:
    """Call `produce(tmp)` to write the content to a temporary file next to `path`, then move
    it onto `path` (atomically). Returns `path`.

    `overwrite=False` (the default) refuses an existing target, also one that appears while
    the content is produced; `inputs` are never overwritten (see `check_output`). A failure
    of the file system (no access, disk full, name too long) is an InputError; any other
    error of `produce` is raised as it is. The temporary folder is always removed.
    """
    path = Path(path)
    inputs = tuple(inputs)
    check_output(path, overwrite=overwrite, inputs=inputs)
    parent = path.parent if str(path.parent) else Path(".")
    with _sigterm_unwinds():
        tmpdir = None
        try:
            tmpdir = tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent)
            _LIVE.add(tmpdir)
            tmp = Path(tmpdir) / f"out{path.suffix}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            os.close(os.open(tmp, flags, 0o666))  # the umask applies, as to a plain write
            produce(tmp)
            if overwrite:
                with contextlib.suppress(FileNotFoundError):
                    st = os.lstat(path)
                    if not os.path.islink(path):
                        os.chmod(tmp, st.st_mode & 0o7777)  # a replaced file keeps its mode
                check_output(path, overwrite=True, inputs=inputs)
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)  # fails if the target exists: no silent clobbering
                except FileExistsError:
                    raise _exists_error(path) from None
                except OSError as e:
                    if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                        raise
                    if _exists(path):  # no hard links here (some file systems): check, rename
                        raise _exists_error(path) from None
                    os.replace(tmp, path)
        except OSError as e:
            raise _os_error(path, e) from None
        finally:
            if tmpdir is not None:
                shutil.rmtree(tmpdir, ignore_errors=True)
                _LIVE.discard(tmpdir)
    return path
