"""Privacy: CPR-like numbers refused without being echoed; no small cell can be read from any
table the follow-up functions return, directly or by subtraction (an independent attacker:
exact rational elimination over every row, column and total line)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from socinvest.errors import InputError
from socinvest.followup import adbb, fit
from socinvest.followup.privacy import Table, find_cpr, looks_like_cpr, suppress

ROOT = Path(__file__).resolve().parent.parent
MIN = 5


@pytest.mark.parametrize(
    "text",
    [
        "010190-1234",
        "0101901234",
        "010190 - 1234",
        "010190–1234",  # en dash
        "CPR 010190-1234",
        "01.01.90-1234",
        "290200-1234",  # 29 February 2000
        "k;311299 1234;x",
    ],
)
def test_cpr_like_numbers_are_found(text):
    assert looks_like_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "320190-1234",  # day 32
        "011390-1234",  # month 13
        "290201-1234",  # 29 February 2001 does not exist
        "2018-03-05",
        "05-03-2018",
        "05.03.2018",
        "K00001;F0001;Nord;2018-01-10;adult;13,4;38,7",
        "12345678901",  # eleven digits: not a CPR number
        "-1234,50",
    ],
)
def test_other_numbers_are_not_cpr(text):
    assert not looks_like_cpr(text)


@pytest.mark.parametrize(
    ("reader", "header", "row", "column"),
    [
        (fit.read_sessions, fit.HEADER, "010190-1234;c1;N;2018-01-10;adult;20;38", 1),
        (fit.read_sessions, fit.HEADER, "k1;CPR 01.01.90-1234;N;2018-01-10;adult;20;38", 2),
        (
            adbb.read_screenings,
            adbb.HEADER,
            'x;2018-01-10;3;0;0;0;0;0;0;0;0\nb1;2018-01-10;3;0;0;0;0;0;0;0;0;"010190 – 1234"',
            12,
        ),
    ],  # fmt: skip
)
def test_files_with_cpr_numbers_are_refused_without_echo(tmp_path, reader, header, row, column):
    p = tmp_path / "data.csv"
    p.write_text(";".join(header) + "\n" + row + "\n", "utf-8")
    with pytest.raises(InputError) as e:
        reader(p)
    line = 1 + row.count("\n") + 1
    for lang in ("da", "en"):
        text = e.value.render(lang)
        assert f"{p}:{line}:{column}:" in text
        assert "1234" not in text and "010190" not in text and "01.01.90" not in text
    assert "CPR" in e.value.render("en")


# ------------------------------------------------------------------ the attacker


def _determined(values: dict, lines: list) -> set:
    """Cells among `values` (None = hidden) whose value follows from the shown ones: exact
    Gauss–Jordan elimination over the rationals on the additive lines."""
    hidden = [c for c, v in values.items() if v is None]
    col = {c: k for k, c in enumerate(hidden)}
    rows = []
    for parts, total in lines:
        coef = [Fraction(0)] * (len(hidden) + 1)
        for c, sign in [*((p, 1) for p in parts), (total, -1)]:
            if values[c] is None:
                coef[col[c]] += sign
            else:
                coef[-1] -= sign * values[c]
        if any(coef[:-1]):
            rows.append(coef)
    pivots: list[int] = []
    r = 0
    for k in range(len(hidden)):
        piv = next((i for i in range(r, len(rows)) if rows[i][k] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        rows[r] = [x / rows[r][k] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][k] != 0:
                f = rows[i][k]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(k)
        r += 1
    out = set()
    for i, k in enumerate(pivots):
        if all(rows[i][j] == 0 for j in range(len(hidden)) if j != k):
            out.add(hidden[k])
    return out


def assert_no_small_cell_recoverable(t: Table, truth: np.ndarray | None = None) -> None:
    shape = t.counts.shape
    values = {
        (i, j): (None if t.hidden[i, j] else int(t.counts[i, j]))
        for i in range(shape[0])
        for j in range(shape[1])
    }
    # directly: no shown cell is small, and a hidden cell's value is not kept anywhere
    assert not any(v is not None and 0 < v < MIN for v in values.values())
    assert (t.counts[t.hidden] == -1).all()
    # by subtraction (any combination of lines): no hidden small cell is determined
    small = set(map(tuple, np.argwhere(t.primary)))
    assert not (_determined(values, t.lines()) & small)
    if truth is not None:  # the primary cells are exactly the small true ones
        assert set(map(tuple, np.argwhere((truth > 0) & (truth < MIN)))) == small


def test_attacker_finds_a_naive_suppression():
    # Only the small cell hidden: row total − the other cell gives it back.
    t = suppress(np.array([[3, 10], [7, 9]]), MIN)
    naive = Table(
        np.where(t.primary, -1, np.array([[3, 10, 13], [7, 9, 16], [10, 19, 29]])),
        t.primary,
        t.primary,
        True,
        True,
    )
    with pytest.raises(AssertionError):
        assert_no_small_cell_recoverable(naive)
    assert_no_small_cell_recoverable(t)


def test_random_tables_are_protected():
    rng = np.random.default_rng(7)
    for _ in range(150):
        r, c = int(rng.integers(1, 6)), int(rng.integers(1, 5))
        x = rng.choice([0, 1, 2, 3, 4, 5, 7, 12, 30], size=(r, c))
        t = suppress(x, MIN)
        full = np.vstack([np.column_stack([x, x.sum(1)]), np.r_[x.sum(0), x.sum()]])
        assert_no_small_cell_recoverable(t, full)
        # shown cells are the true values
        assert (t.counts[~t.hidden] == full[~t.hidden]).all()


def _fit_summaries(tmp_path):
    yield fit.summarise(ROOT / "examples" / "followup" / "fit-sessions.csv")[0]
    rng = np.random.default_rng(3)
    for k in range(6):
        lines = [";".join(fit.HEADER)]
        for i in range(int(rng.integers(5, 60))):
            team = f"T{int(rng.integers(0, 3))}"
            d0 = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 500)))
            for j in range(int(rng.integers(1, 4))):
                ors = f"{int(rng.integers(0, 40))},{int(rng.integers(0, 10))}"
                lines.append(f"k{i};c;{team};{d0 + dt.timedelta(days=20 * j)};adult;{ors};38")
        p = tmp_path / f"f{k}.csv"
        p.write_text("\n".join(lines) + "\n", "utf-8")
        yield fit.summarise(p)[0]


def test_every_fit_output_is_protected(tmp_path):
    for sm in _fit_summaries(tmp_path):
        t = sm.table
        assert_no_small_cell_recoverable(t)
        # shares and means only where the shown counts allow; a hidden mean never alone
        for i in range(len(t.counts)):
            if not np.isnan(sm.improved_share[i]):
                assert not t.hidden[i, 0] and not t.hidden[i, 3] and t.counts[i, 3] >= MIN
                assert sm.improved_share[i] == t.counts[i, 0] / t.counts[i, 3]
            if not np.isnan(sm.deteriorated_share[i]):
                assert sm.deteriorated_share[i] == t.counts[i, 2] / t.counts[i, 3]
            if not np.isnan(sm.mean_days[i]):
                assert not t.hidden[i, 3]
        hidden_means = np.isnan(sm.mean_days[:-1])
        assert hidden_means.sum() != 1 or np.isnan(sm.mean_days[-1])
        for v in (sm.courses, sm.single_session, sm.dropouts, sm.clinically_significant,
                  sm.alliance_warning_courses):  # fmt: skip
            assert v is None or not 0 < v < MIN
        if sm.courses is not None and sm.single_session is not None:
            assert not 0 < sm.courses - sm.single_session < MIN


def test_every_adbb_output_is_protected(tmp_path):
    outputs = [adbb.summarise(ROOT / "examples" / "followup" / "adbb-screenings.csv")[0]]
    rng = np.random.default_rng(11)
    for k in range(6):
        rows = [";".join(adbb.HEADER)]
        for i in range(int(rng.integers(5, 80))):
            d = dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 700)))
            for j in range(int(rng.integers(1, 3))):
                items = ";".join(
                    str(int(v)) for v in rng.choice(5, 8, p=[0.7, 0.2, 0.06, 0.03, 0.01])
                )
                rows.append(f"b{i};{d + dt.timedelta(days=40 * j)};6;{items}")
        p = tmp_path / f"a{k}.csv"
        p.write_text("\n".join(rows) + "\n", "utf-8")
        outputs.append(adbb.summarise(p, period="year" if k % 2 else "half")[0])
    for sm in outputs:
        t = sm.table
        assert_no_small_cell_recoverable(t)
        v = np.where(t.hidden, np.nan, t.counts.astype(float))
        for i in range(len(v)):
            flagged = v[i, 1] + v[i, 2] + v[i, 3]
            if np.isnan(flagged):
                flagged = v[i, 4] - v[i, 0]
            if not np.isnan(sm.flagged_share[i]):  # computable from shown cells only
                assert sm.flagged_share[i] == pytest.approx(flagged / v[i, 4])
            if not np.isnan(sm.resolved_share[i]):
                assert not t.hidden[i, 1]


def test_find_cpr_reports_the_first_valid_one():
    text = "320190-1234 and then 010190-1234"
    assert find_cpr(text) == text.index("010190")


def test_two_hidden_cells_per_line_is_not_enough(monkeypatch):
    # Found by the attacker: with only the rule "no line with exactly one hidden cell", the
    # 1 in the middle row follows from combining several lines. The algebraic stage of
    # `suppress` hides more until no small cell is determined.
    x = np.array([[5, 2, 12], [0, 0, 1], [7, 1, 3]])
    import socinvest.followup.privacy as privacy

    with monkeypatch.context() as m:
        m.setattr(privacy, "_determined", lambda hidden, lines, protect: [])
        with pytest.raises(AssertionError):
            assert_no_small_cell_recoverable(privacy.suppress(x, MIN))
    assert_no_small_cell_recoverable(suppress(x, MIN))


def test_refuse_cpr_locates_line_and_field_in_any_text():
    from socinvest.followup.privacy import refuse_cpr

    text = 'konto;tekst;beløb\n5.28.21;"ydelse; barn 0101901234";-1234,50\n'
    with pytest.raises(InputError) as e:
        refuse_cpr(text, "posteringer.csv")
    assert str(e.value).startswith("posteringer.csv:2:2: ligner et CPR-nummer")
    assert "0101901234" not in str(e.value)
    refuse_cpr("konto;beløb\n5.28.21;-1234,50\n", "ok.csv")  # nothing to refuse
