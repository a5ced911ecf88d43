"""Hostile input files (issue 10 B, classes 3, 11 and 15's killed writes): every one ends in a
clear exit-2 message naming the file, within a time and a memory bound, never a hang, exit 3
or a traceback. The files are made by `fixtures/hostile-files/hostile_files.py` in tmp."""

from __future__ import annotations

import contextlib
import errno
import importlib.util
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

from socinvest import files
from socinvest.errors import InputError

from .conftest import FIXTURES, ROOT, cli

_spec = importlib.util.spec_from_file_location(
    "hostile_files", FIXTURES / "hostile-files" / "hostile_files.py"
)
assert _spec and _spec.loader
hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hostile)

MB = 2**20
SECONDS = 2.0
PEAK = 200 * MB


@contextlib.contextmanager
def deadline(seconds: float):
    """A hang fails the test (a TimeoutError from SIGALRM) instead of blocking the suite."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def bounded(*args, seconds: float = SECONDS, peak: int = PEAK):
    """Run the CLI in-process; assert it ends within `seconds` and `peak` bytes of Python
    allocations (tracemalloc), and return its result."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with deadline(10 * seconds):
            r = cli(*args)
        elapsed = time.perf_counter() - start
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < seconds, f"{args}: {elapsed:.1f} s"
    assert top < peak, f"{args}: {top / MB:.0f} MB"
    return r


def refused(r, *words: str) -> str:
    """Exit 2, one message on stderr with every word in it, no traceback."""
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert "Traceback" not in r.output
    for w in words:
        assert w in r.stderr, (w, r.stderr)
    return r.stderr


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Imports (openpyxl, the report stack) are paid once, outside the time bounds."""
    with tempfile.TemporaryDirectory() as d:
        book = hostile.table_workbook(Path(d) / "ok.xlsx")
        r = cli("import", book, "-o", Path(d) / "ok.yaml")
        assert r.exit_code == 0, r.output
        cli("check", Path(d) / "ok.yaml")


# -- the bounded reader: files that are not regular files --------------------------------


@pytest.fixture
def fifo(tmp_path):
    p = tmp_path / "fifo.yaml"
    os.mkfifo(p)
    return p


@pytest.mark.parametrize(
    "command",
    [
        ["check", "{p}"],
        ["show", "{p}"],
        ["import", "{p}", "-o", "{tmp}/out.yaml"],
        ["ladder", "fit", "{p}"],
        ["ladder", "project", "{p}"],
        ["pool", "status", "{p}"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_fifo_is_refused_without_blocking(fifo, tmp_path, command):
    args = [a.format(p=fifo, tmp=tmp_path) for a in command]
    refused(bounded(*args), str(fifo), "ikke en almindelig fil", "FIFO")
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("command", [["check"], ["import", "-o", "{tmp}/out.yaml"]])
def test_dev_zero_is_refused_unread(tmp_path, command):
    args = [command[0], "/dev/zero", *(o.format(tmp=tmp_path) for o in command[1:])]
    refused(bounded(*args), "/dev/zero", "tegnenhed")


def test_dev_zero_is_never_read(monkeypatch):
    """The check is on the mode, before open: not a single byte is read from a device."""
    reads = []
    monkeypatch.setattr(files.os, "read", lambda *a: reads.append(a) or b"\0")
    with pytest.raises(files.FileProblem) as e:
        files.read_bytes("/dev/zero", 10)
    assert e.value.kind == "special" and reads == []


def test_a_socket_is_refused():
    with tempfile.TemporaryDirectory() as d, socket.socket(socket.AF_UNIX) as s:
        p = Path(d) / "sock.yaml"
        s.bind(str(p))
        refused(bounded("check", p), "ikke en almindelig fil", "socket")


def test_a_directory_is_refused(tmp_path):
    d = tmp_path / "case.yaml"
    d.mkdir()
    refused(bounded("check", d), f"{d}: er en mappe, ikke en fil")
    refused(bounded("import", tmp_path, "-o", tmp_path / "o.yaml"), "er en mappe")


def test_missing_file_and_english(tmp_path):
    p = tmp_path / "nope.yaml"
    refused(bounded("check", p), f"{p}: filen findes ikke")
    r = bounded("check", p, "--lang", "en")
    refused(r, f"{p}: file not found")


def test_a_name_too_long(tmp_path):
    p = tmp_path / ("a" * 300 + ".yaml")
    refused(bounded("check", p), "filnavnet er for langt")
    refused(bounded("check", p, "--lang", "en"), "the file name is too long")


def test_a_path_through_a_file_and_a_symlink_loop(tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("x", encoding="utf-8")
    refused(bounded("check", f / "case.yaml"), "en del af stien er en fil")
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    refused(bounded("check", a), "symbolske links")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file of mode 000")
def test_permission_denied_for_real(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_text("id: x\n", encoding="utf-8")
    p.chmod(0)
    refused(bounded("check", p), "adgang nægtet")


def test_permission_denied_is_worded(tmp_path, monkeypatch):
    p = tmp_path / "case.yaml"
    p.write_text("id: x\n", encoding="utf-8")

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(p))

    monkeypatch.setattr(files.os, "open", denied)
    err = refused(bounded("check", p), f"{p}: adgang nægtet")
    assert "intern fejl" not in err
    r = bounded("check", p, "--lang", "en")
    refused(r, "permission denied – you are not allowed to read the file")


def test_a_file_swapped_for_a_fifo_after_the_first_look(fifo, monkeypatch):
    """stat says 'regular file', open finds a FIFO: O_NONBLOCK keeps open from blocking and
    the check on the open descriptor refuses it."""
    real = os.stat(fifo)
    looks_regular = os.stat_result((stat.S_IFREG | 0o644, *tuple(real)[1:]))
    monkeypatch.setattr(files.os, "stat", lambda path: looks_regular)
    with deadline(5), pytest.raises(files.FileProblem) as e:
        files.read_bytes(fifo, 100)
    assert e.value.kind == "special"


# -- the bounded reader: size, NUL bytes, UTF-8 --------------------------------------------


def test_size_cap_is_exact(tmp_path):
    p = tmp_path / "t.txt"
    p.write_bytes(b"x" * 1000)
    assert files.read_bytes(p, 1000) == b"x" * 1000
    with pytest.raises(files.FileProblem) as e:
        files.read_bytes(p, 999)
    assert e.value.kind == "too_large"


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_size_cap_does_not_trust_st_size():
    """/proc files say they are empty (st_size 0) and are not: the cap is on what is read."""
    assert os.stat("/proc/self/maps").st_size == 0
    with pytest.raises(files.FileProblem) as e:
        files.read_bytes("/proc/self/maps", 64)
    assert e.value.kind == "too_large" and "filen er for stor (over" in str(e.value)


def test_over_the_cap_through_the_cli(tmp_path, monkeypatch):
    import socinvest.case.load as load

    fit = importlib.import_module("socinvest.ladder.registers")  # where episodes are read

    p = tmp_path / "case.yaml"
    p.write_bytes(b"id: x\n" + b"#" * (2 * MB))
    monkeypatch.setattr(load, "MAX_BYTES", MB)
    refused(bounded("check", p), f"{p}: filen er for stor (3 MB; højst 1 MB)")
    e = tmp_path / "episodes.csv"
    e.write_bytes(b"child_id,birth_year,step,start,end\n" + b"1,2015,A,2020-01-01,\n" * 60_000)
    monkeypatch.setattr(fit, "MAX_EPISODE_BYTES", MB)
    refused(bounded("ladder", "fit", e), "filen er for stor (2 MB; højst 1 MB)")


def test_a_table_over_5_mb_is_refused_without_reading_it_all(tmp_path):
    p = tmp_path / "stor.txt"
    with p.open("wb") as f:
        f.truncate(64 * MB)  # sparse: 64 MB of NULs on disk for free
    refused(bounded("check", p, peak=20 * MB), "stor.txt", "for stor", "5 MB")


def test_binary_and_invalid_utf8_are_located(tmp_path):
    p = tmp_path / "case.yaml"
    p.write_bytes(b"id: x\n\x00\x01")
    refused(bounded("check", p), f"{p}: binær fil – forventede tekst (YAML eller en indsat tabel)")
    p.write_bytes("id: x\ntitle: æøå ".encode() + b"\x80\n")
    err = refused(bounded("check", p), f"{p}:2:12: ikke gyldig UTF-8")  # columns in characters
    assert "intern fejl" not in err
    e = tmp_path / "episodes.csv"
    e.write_bytes(b"child_id,birth_year\n\x00")
    r = bounded("ladder", "fit", e, "--lang", "en")
    refused(r, "binary file – expected text (CSV with commas or semicolons)")


def test_every_reader_goes_through_the_bounded_reader(monkeypatch, tmp_path):
    """Case, table, ladder (YAML and episodes), pool and import all read through
    `files.read_bytes`: a spy sees each path."""
    seen: list[str] = []
    real = files.read_bytes

    def spy(path, limit):
        seen.append(Path(path).name)
        return real(path, limit)

    monkeypatch.setattr(files, "read_bytes", spy)
    for name in ("c.yaml", "t.txt", "l.yaml", "p.yaml", "e.csv", "i.txt", "b.xlsx"):
        (tmp_path / name).write_bytes(b"")
    hostile.table_workbook(tmp_path / "b.xlsx")
    cli("check", tmp_path / "c.yaml")
    cli("check", tmp_path / "t.txt")
    cli("ladder", "project", tmp_path / "l.yaml")
    cli("pool", "status", tmp_path / "p.yaml")
    cli("ladder", "fit", tmp_path / "e.csv")
    cli("import", tmp_path / "i.txt", "-o", tmp_path / "o.yaml")
    cli("import", tmp_path / "b.xlsx", "-o", tmp_path / "o.yaml")
    assert set(seen) >= {"c.yaml", "t.txt", "l.yaml", "p.yaml", "e.csv", "i.txt", "b.xlsx"}


# -- xlsx: denial of service ----------------------------------------------------------------


def _import(book: Path, tmp_path: Path, **bounds):
    """Import `book` to a new case file; a refused import writes nothing."""
    out = tmp_path / f"out-{len(list(tmp_path.glob('out-*.yaml')))}.yaml"
    r = bounded("import", book, "-o", out, **bounds)
    assert out.exists() == (r.exit_code == 0), r.output
    return r


def test_a_good_workbook_imports(tmp_path):
    r = _import(hostile.table_workbook(tmp_path / "ok.xlsx"), tmp_path)
    assert r.exit_code == 0, r.output
    text = (tmp_path / "out-0.yaml").read_text(encoding="utf-8")
    assert "Færre anbringelser" in text and "Udgifter til indsatsen" in text


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_one_cell_at_xfd1048576(tmp_path, dimension):
    book = hostile.far_cell_workbook(tmp_path / "far.xlsx", dimension=dimension)
    err = refused(_import(book, tmp_path), "far.xlsx#Ark1", "XFD1048576", "2000 rækker")
    assert "kopiér tabellen over i et nyt ark" in err


def test_too_many_cells(tmp_path, monkeypatch):
    import socinvest.io.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_CELLS", 10)  # the table has 16 cells with content
    book = hostile.table_workbook(tmp_path / "ok.xlsx")
    refused(_import(book, tmp_path), "mere end 10 celler med indhold")


def test_a_big_table_sheet_is_read_in_linear_time(tmp_path):
    """2.000 rows × 12 years (26.000 cells), the size of a large appendix: read well within
    the bound (the old reader walked every row × column of the declared range twice)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Tabel 1. Økonomi (1.000 kr., 2020 p/l)"])
    ws.append(["", *range(2020, 2032)])
    for i in range(1997):
        ws.append([f"Færre anbringelser {i}", *[-1] * 12])
    ws.append(["I alt", *[-1997] * 12])
    wb.save(tmp_path / "big.xlsx")
    from socinvest.io.xlsx import sheet_texts

    start = time.perf_counter()
    [(sheet, text)] = sheet_texts(tmp_path / "big.xlsx")
    assert time.perf_counter() - start < 3 * SECONDS
    lines = text.split("\n")
    assert len(lines) == 2000 and lines[-1] == "I alt\t" + "\t".join(["-1997"] * 12)


def test_a_zip_bomb(tmp_path):
    """256 MB of spaces in a 260 kB workbook (the script's default is 1 GiB in 1 MB; the
    guard reads the declared sizes before unpacking a byte, so the size does not matter)."""
    book = hostile.zip_bomb(tmp_path / "bomb.xlsx", unpacked=256 * MB)
    assert book.stat().st_size < 300_000
    err = refused(_import(book, tmp_path), "bomb.xlsx", "zip-bombe")
    assert "xl/worksheets/sheet1.xml" in err


def test_a_part_that_lies_about_its_size(tmp_path):
    book = hostile.lying_sizes(tmp_path / "lies.xlsx")
    refused(_import(book, tmp_path), "lies.xlsx", "kan ikke læses som et Excel-regneark")


def test_total_unpacked_size_is_capped(tmp_path, monkeypatch):
    import socinvest.io.xlsxguard as guard

    monkeypatch.setattr(guard, "MAX_UNPACKED", 4096)  # the table's parts unpack to ~10 kB
    book = hostile.table_workbook(tmp_path / "ok.xlsx")
    refused(_import(book, tmp_path), "ok.xlsx", "zip-bombe")


def test_a_workbook_of_many_small_strings(tmp_path):
    """1,8 million shared strings in 4,8 MB: under the size caps, but too many elements."""
    book = hostile.many_strings(tmp_path / "strings.xlsx")
    assert book.stat().st_size < 5 * MB
    refused(_import(book, tmp_path), "strings.xlsx", "over 300000 XML-elementer")


def test_element_budget(tmp_path, monkeypatch):
    import socinvest.io.xlsxguard as guard

    book = hostile.many_strings(tmp_path / "strings.xlsx", n=20_000)
    assert _import(book, tmp_path).exit_code == 0  # 40.000 elements: fine
    monkeypatch.setattr(guard, "MAX_TAGS", 30_000)
    refused(_import(book, tmp_path), "over 30000 XML-elementer")


def test_an_entity_bomb(tmp_path):
    book = hostile.entity_bomb(tmp_path / "laughs.xlsx")
    err = refused(_import(book, tmp_path), "laughs.xlsx", "XML-dokumenttype")
    assert "intern fejl" not in err


def test_an_entity_bomb_past_the_scan_is_stopped_by_defusedxml(tmp_path, monkeypatch):
    """The second line: with the DTD scan off, openpyxl parses with defusedxml, which refuses
    entities; that too is exit 2, fast, in bounded memory."""
    import socinvest.io.xlsxguard as guard

    monkeypatch.setattr(guard, "_DTD", ())
    book = hostile.entity_bomb(tmp_path / "laughs.xlsx")
    refused(_import(book, tmp_path), "laughs.xlsx", "kan ikke læses som et Excel-regneark")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (hostile.encrypted_zip, ["(krypteret)"]),
        (hostile.ole_file, ["krypteret (beskyttet med adgangskode)", ".xls"]),
        (hostile.truncated_workbook, ["kan ikke læses som et Excel-regneark", "BadZipFile"]),
        (hostile.text_as_workbook, ["kan ikke læses som et Excel-regneark"]),
    ],
    ids=["encrypted-zip", "password-ole", "truncated", "text"],
)
def test_not_a_readable_workbook(tmp_path, make, words):
    book = make(tmp_path / "book.xlsx")
    refused(_import(book, tmp_path), "book.xlsx", *words)


def test_workbook_messages_in_english(tmp_path):
    book = hostile.zip_bomb(tmp_path / "bomb.xlsx", unpacked=64 * MB)
    r = bounded("import", book, "-o", tmp_path / "o.yaml", "--lang", "en")
    refused(r, "looks like a zip bomb")
    book = hostile.far_cell_workbook(tmp_path / "far.xlsx")
    r = bounded("import", book, "-o", tmp_path / "o.yaml", "--lang", "en")
    refused(r, "the sheet reaches XFD1048576; at most 2000 rows × 200 columns are read")


def test_fifo_and_device_named_xlsx(tmp_path):
    p = tmp_path / "pipe.xlsx"
    os.mkfifo(p)
    refused(_import(p, tmp_path), "pipe.xlsx", "FIFO")


# -- a document of many tables imports in linear time --------------------------------------


def test_many_tables_import_in_linear_time(tmp_path):
    """2.000 small tables (200 kB; the old reader re-parsed the rest of the text for every
    table: 43 s here, minutes for 390 kB)."""
    from socinvest.io.sources import tables_in

    parts = []
    for k in range(2000):
        parts.append(
            f"Tabel {k}. Økonomi (1.000 kr., 2020 p/l)\n\t2020\t2021\n"
            f"Færre anbringelser {k}\t-5\t-5\nI alt\t-5\t-5"
        )
    text = "\n\n".join(parts) + "\n"
    start = time.perf_counter()
    tables, skipped = tables_in(text, "mange.txt", single=True)
    assert time.perf_counter() - start < SECONDS
    assert len(tables) == 2000 and not skipped
    assert tables[1999].header_line == 1999 * 5 + 2  # 5 lines a table; line numbers kept


# -- killed writes -------------------------------------------------------------------------


def test_a_killed_write_leaves_no_temporary_file(tmp_path):
    """SIGTERM while a temporary file exists: `cleanup_on_signals` turns it into SystemExit,
    the writer's `finally` removes the file, and the exit status is a killed one (143)."""
    script = f"""
import os, signal, tempfile
from pathlib import Path
from socinvest import files
with files.cleanup_on_signals():
    fd, name = tempfile.mkstemp(prefix=".out-", dir={str(tmp_path)!r})
    try:
        os.write(fd, b"half")
        os.kill(os.getpid(), signal.SIGTERM)
        os.write(fd, b"never")
    finally:
        os.close(fd)
        Path(name).unlink()
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    r = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert r.returncode == 128 + signal.SIGTERM, r.stderr
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # this process: untouched


def test_cleanup_on_signals_restores_and_keeps_a_host_handler():
    def host(signum, frame):  # a host's own handler (a server) is not taken over
        pass

    old = signal.signal(signal.SIGHUP, host)
    try:
        with files.cleanup_on_signals():
            assert signal.getsignal(signal.SIGHUP) is host
            assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGHUP, old)


def test_input_error_is_the_base():
    """Faces catch InputError: a FileProblem is one, so every refusal is exit 2."""
    assert issubclass(files.FileProblem, InputError)


# -- output targets (for the writers: reports/write.py, io/importer.py) --------------------


def test_check_output_refuses_what_no_write_can_use(tmp_path, fifo):
    ok = tmp_path / "report.md"
    files.check_output(ok)  # a new file in an existing folder: fine
    ok.write_text("x", encoding="utf-8")
    files.check_output(ok)  # an existing regular file: the writer decides (--force)
    cases = {
        tmp_path: "er en mappe, ikke en fil",
        Path("/dev/full"): "er ikke en almindelig fil, men en tegnenhed (fx /dev/zero) – vælg et",
        fifo: "FIFO",
        tmp_path / "nope" / "r.md": f"mappen {tmp_path / 'nope'} findes ikke",
        tmp_path / ("b" * 300 + ".md"): "filnavnet er for langt",
        ok / "r.md": "en del af stien er en fil",
    }
    for target, words in cases.items():
        with pytest.raises(files.FileProblem) as e:
            files.check_output(target)
        assert str(e.value).startswith(f"{target}: ") and words in str(e.value), str(e.value)
    assert Path("/dev/full").is_char_device()  # never replaced


@pytest.mark.parametrize(
    ("code", "danish", "english"),
    [
        (errno.ENOSPC, "der er ikke plads på drevet", "there is no space left on the drive"),
        (errno.EROFS, "skrivebeskyttet drev", "the folder is on a read-only drive"),
        (errno.EACCES, "ikke ret til at skrive i mappen", "not allowed to write in the folder"),
        (errno.ENAMETOOLONG, "filnavnet er for langt", "the file name is too long"),
        (errno.EIO, "filen kan ikke skrives (Input/output error)", "cannot be written"),
    ],
)
def test_output_problem_words_os_errors(code, danish, english):
    e = files.output_problem("out.pdf", OSError(code, os.strerror(code)))
    assert isinstance(e, InputError)
    assert str(e).startswith("out.pdf: ") and danish in str(e)
    assert english in e.render("en")
