"""Bounded readers: the one way socinvest reads an input file (case, pool and ladder YAML,
pasted tables, episode CSV, Excel workbooks).

Every input may be hostile, so a reader refuses, with an `InputError` that names the file
(exit 2 in the CLI), before it can hang, exhaust memory or crash:
- the path is checked with `os.stat` *before* it is opened: a directory, a FIFO, a socket or
  a device (`/dev/zero`) is refused, so a FIFO never blocks and a device is never read;
- the file is opened non-blocking and checked again on the open descriptor (it may have been
  swapped after the first check), then read in chunks up to `limit + 1` bytes and no further:
  the size cap never trusts `st_size` alone (a file may grow, `/proc` files say 0);
- text must be UTF-8 without NUL bytes; a bad byte is located as file:line:column;
- an operating-system refusal (permission denied, a name too long, a path through a file) is
  worded as such, never shown as an internal error.

For writers: `check_output` refuses a target no write can use (a directory, a device, a
missing folder, a name too long), `output_problem` words an `OSError` met while writing, and
`cleanup_on_signals` turns a SIGTERM or SIGHUP (a killed run) into an exception, so a
writer's `finally` removes its temporary file instead of leaving it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError, Text
from .i18n import N_, Join, Msg

MB = 2**20
TEXT = N_("tekst (YAML eller en indsat tabel)")
"""What a text file is expected to hold, as the binary-file message says it (the default)."""
CSV = N_("tekst (CSV med kommaer eller semikolonner)")

_CHUNK = 1 << 16

_SPECIAL = (
    (stat.S_ISFIFO, N_("et navngivet rør (FIFO)")),
    (stat.S_ISSOCK, N_("en socket")),
    (stat.S_ISCHR, N_("en tegnenhed (fx /dev/zero)")),
    (stat.S_ISBLK, N_("en blokenhed (en disk)")),
)

_OS_REASONS = {
    errno.ENOENT: N_("filen findes ikke"),
    errno.EACCES: N_("adgang nægtet – du har ikke ret til at læse filen"),
    errno.EPERM: N_("adgang nægtet – du har ikke ret til at læse filen"),
    errno.ENAMETOOLONG: N_("filnavnet er for langt"),
    errno.ENOTDIR: N_("en del af stien er en fil, ikke en mappe"),
    errno.ELOOP: N_("stien har for mange symbolske links (en løkke)"),
    errno.EISDIR: N_("er en mappe, ikke en fil"),
}


class FileProblem(InputError):
    """An input file that cannot be read. `kind` says why ("missing", "directory",
    "special", "too_large", "binary", "encoding", "os"), so a caller may word a case its own
    way; the message is already complete (`path: reason`)."""

    def __init__(self, path: str | Path, kind: str, message: Text, where: str = "") -> None:
        super().__init__(Join((f"{path}{where}: ", message)))
        self.path = str(path)
        self.kind = kind
        self.reason: Text = message


def _os_problem(path: str | Path, e: OSError) -> FileProblem:
    reason = _OS_REASONS.get(e.errno or 0)
    if reason is None:
        text: Text = Msg("filen kan ikke læses ({reason})", reason=e.strerror or type(e).__name__)
    else:
        text = Msg(reason)
    kind = {errno.ENOENT: "missing", errno.EISDIR: "directory"}.get(e.errno or 0, "os")
    return FileProblem(path, kind, text)


def _check_mode(path: str | Path, mode: int, output: bool = False) -> None:
    if stat.S_ISDIR(mode):
        raise FileProblem(path, "directory", Msg("er en mappe, ikke en fil"))
    if stat.S_ISREG(mode):
        return
    kind: str = N_("en særlig fil")
    for test, name in _SPECIAL:
        if test(mode):
            kind = name
    if output:
        msg = Msg("er ikke en almindelig fil, men {kind} – vælg et andet filnavn", kind=Msg(kind))
    else:
        msg = Msg(
            "er ikke en almindelig fil, men {kind} – gem indholdet i en fil og angiv den",
            kind=Msg(kind),
        )
    raise FileProblem(path, "special", msg)


def _too_large(path: str | Path, size: int, limit: int) -> FileProblem:
    most = max(1, limit // MB)
    if size > limit:  # whole MB, rounded up: no separators to word
        msg = Msg("filen er for stor ({size} MB; højst {most} MB)", size=-(-size // MB), most=most)
    else:  # the file grew past the cap while it was read, or said it was empty
        msg = Msg("filen er for stor (over {most} MB)", most=most)
    return FileProblem(path, "too_large", msg)


def read_bytes(path: str | Path, limit: int) -> bytes:
    """The content of the regular file `path`, at most `limit` bytes (else an InputError)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError) as e:  # ValueError: a NUL in the name
        raise _problem(path, e) from None
    _check_mode(path, mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise _os_problem(path, e) from None
    try:
        st = os.fstat(fd)
        _check_mode(path, st.st_mode)  # swapped since the first look: still refused
        if st.st_size > limit:
            raise _too_large(path, st.st_size, limit)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:
            raise _too_large(path, st.st_size, limit)
        return b"".join(chunks)
    except OSError as e:
        raise _os_problem(path, e) from None
    finally:
        os.close(fd)


def _problem(path: str | Path, e: OSError | ValueError) -> FileProblem:
    if isinstance(e, OSError):
        return _os_problem(path, e)
    return FileProblem(path, "os", Msg("filnavnet indeholder et NUL-tegn"))


def decode_utf8(data: bytes, path: str | Path, what: str = TEXT) -> str:
    """`data` as UTF-8 text (a BOM is dropped); NUL bytes (a binary file) and invalid UTF-8
    (located as line:column) are refused. `what` names the text expected, for the message."""
    if b"\x00" in data:
        raise FileProblem(path, "binary", Msg("binær fil – forventede {what}", what=Msg(what)))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        col = len(data[start : e.start].decode("utf-8-sig", "replace")) + 1
        utf8 = Msg("ikke gyldig UTF-8; gem filen som UTF-8 og prøv igen")
        raise FileProblem(path, "encoding", utf8, where=f":{line}:{col}") from None


def read_text(path: str | Path, limit: int, what: str = TEXT) -> str:
    """The UTF-8 text of `path` (at most `limit` bytes); see `read_bytes` and `decode_utf8`."""
    return decode_utf8(read_bytes(path, limit), path, what)


def open_csv(path: str | Path, limit: int, what: str = CSV) -> io.StringIO:
    """A CSV file as a text stream for `csv.reader` (quoted line breaks kept as written)."""
    return io.StringIO(read_text(path, limit, what), newline="")


_WRITE_REASONS = {
    errno.EACCES: N_("adgang nægtet – du har ikke ret til at skrive i mappen"),
    errno.EPERM: N_("adgang nægtet – du har ikke ret til at skrive i mappen"),
    errno.EROFS: N_("mappen ligger på et skrivebeskyttet drev"),
    errno.ENOSPC: N_("der er ikke plads på drevet"),
    errno.EDQUOT: N_("der er ikke plads på drevet"),
}


def check_output(path: str | Path) -> None:
    """Refuse an output target that no write can use, before anything is produced: an
    existing directory or special file (a device is never replaced by a rename), a missing
    folder, a name too long. A writer calls it first and maps a later `OSError` with
    `output_problem`."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        mode = None
    except (OSError, ValueError) as e:
        raise _problem(p, e) from None
    if mode is not None:
        _check_mode(p, mode, output=True)
    try:
        if not stat.S_ISDIR(os.stat(parent).st_mode):
            raise _os_problem(p, OSError(errno.ENOTDIR, "Not a directory"))
    except FileNotFoundError:
        missing = Msg("mappen {folder} findes ikke", folder=str(parent))
        raise FileProblem(p, "missing", missing) from None
    except OSError as e:
        raise _os_problem(p, e) from None


def output_problem(path: str | Path, e: OSError) -> FileProblem:
    """An `OSError` met while writing `path`, as a message (a full disk, a read-only drive,
    a folder one may not write in), never an internal error."""
    code = e.errno or 0
    reason = _WRITE_REASONS.get(code) or (_OS_REASONS.get(code) if code != errno.ENOENT else None)
    if reason is None:
        why = e.strerror or type(e).__name__
        return FileProblem(path, "os", Msg("filen kan ikke skrives ({reason})", reason=why))
    return FileProblem(path, "os", Msg(reason))


_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def cleanup_on_signals() -> Iterator[None]:
    """While active, SIGTERM and SIGHUP raise `SystemExit(128 + signal)` (the exit status a
    killed process has) instead of ending the process on the spot, so `finally` blocks and
    `except BaseException` clean-ups run. Only a signal left at its default action is taken
    over (a host's own handler is kept), and only in the main thread, where Python delivers
    signals; the previous handlers are restored on leaving. SIGKILL cannot be caught."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def interrupted(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in _SIGNALS:
        if signal.getsignal(sig) == signal.SIG_DFL:
            previous[sig] = signal.signal(sig, interrupted)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
