"""`format_number`'s fast path against babel's locale data (da_DK, en_GB), which it replaces
for speed: the same text for every kind of value — halves that round to even or not, values
just under the fast path's limit, tiny and negative values — in both languages."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from socinvest.numbers import _babel_number, format_number, format_percent


def babel(value: float, decimals: int, lang: str) -> str:
    rounded = round(value, decimals)
    return _babel_number(0.0 if rounded == 0 else rounded, decimals, lang)


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.floats(-1e16, 1e16, allow_nan=False),
        st.integers(-(10**15), 10**15).map(float),
        st.integers(-(10**7), 10**7).map(lambda n: n / 1000),  # exact halves and thirds
        st.integers(-(10**7), 10**7).map(lambda n: n / 8),
    ),
    st.integers(0, 4),
    st.sampled_from(["da", "en"]),
)
@example(2.675, 2, "da")
@example(-0.4, 0, "da")
@example(999_999_999_999_999.4, 0, "da")
@example(-1763.0, 0, "da")
@example(0.125, 2, "en")
def test_fast_path_matches_babel(value, decimals, lang):
    assert format_number(value, decimals, lang) == babel(value, decimals, lang)


def test_as_users_write_them():
    # hand-written: Danish thousands point and decimal comma, English the other way round
    assert format_number(-1763) == "-1.763"
    assert format_number(1234567.891, 2) == "1.234.567,89"
    assert format_number(1234567.891, 2, "en") == "1,234,567.89"
    assert format_number(-0.3) == "0"
    assert format_number(float("nan")) == "–"
    assert format_number(1e20) == "100.000.000.000.000.000.000"  # babel's path
    assert format_number(123456, -2) == "123.500"  # negative decimals: babel's path
    assert format_percent(0.035) == "3,5 %"
    assert format_percent(0.035, lang="en") == "3.5%"
