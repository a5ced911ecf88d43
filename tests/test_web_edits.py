"""The in-place edits (web/edits.py): a form value written back into the case text in the
file's own syntax. `flow` writes whole numbers and year mappings itself (fast); it must give
PyYAML's text for every value, and those values must read back as themselves."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.case.yamlsafe import safe_load
from socinvest.web.edits import flow, set_parameter


def pyyaml(value):
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False
    ).strip()
    return text[: -len("...")].strip() if text.endswith("...") else text


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(st.integers(1990, 2060) | st.text(max_size=6), kids, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(values)
def test_flow_is_pyyaml_text_and_reads_back(value):
    assert flow(value) == pyyaml(value)


@settings(max_examples=300, deadline=None)
@given(
    st.integers()
    | st.dictionaries(st.integers(1990, 2060), st.integers(-(10**12), 10**12), min_size=1)
)
def test_whole_numbers_and_year_mappings_read_back(value):
    assert flow(value) == pyyaml(value)
    assert safe_load(f"x: {flow(value)}\n")["x"] == value


def test_a_parameter_edit_keeps_the_rest_of_the_text():
    text = (
        "# kommentar\nparameters:\n  price: {value: 500, unit: kr.}  # pris\n"
        "  rate:\n    value: {2017: 2100, 2018: 1500}\n"
    )
    out = set_parameter(text, "rate", "{2017: 2000, 2018: 1500}", None)
    assert out == text.replace("{2017: 2100, 2018: 1500}", "{2017: 2000, 2018: 1500}")
    out = set_parameter(text, "price", "510", "{dist: pert, min: 475, mode: 510, max: 560}")
    assert "# pris" in out and "# kommentar" in out
    assert safe_load(out)["parameters"]["price"] == {
        "value": 510,
        "unit": "kr.",
        "uncertainty": {"dist": "pert", "min": 475, "mode": 510, "max": 560},
    }
