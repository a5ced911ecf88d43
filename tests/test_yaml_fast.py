"""The fast YAML reader (libyaml's parser and composer, then our limits on its nodes) against
the pure-Python reference reader: on every YAML file of the project and on thousands of damaged and generated
texts, whenever the fast reader accepts a text, the reference reader accepts it too and both
give the same nodes (tags, values, styles, every start position and every end index — the
web's in-place edits cut the text there). When the fast reader refuses, `compose`
falls back to the reference reader, so messages never change; that is checked too.

`make fuzz`-sized runs: SOCINVEST_YAML_DIFF=20000 pytest tests/test_yaml_fast.py.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from socinvest.case import yamlsafe
from socinvest.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    p
    for pattern in ("examples/**/*.y*ml", "tests/fixtures/**/*.y*ml")
    for p in ROOT.glob(pattern)
    if p.is_file() and p.stat().st_size < 1_000_000
)
MUTATIONS = int(os.environ.get("SOCINVEST_YAML_DIFF", "1500"))
PIECES = (
    ":", ": ", "-", "- ", "[", "]", "{", "}", ",", '"', "'", "\t", "\n", " ", "  ", "#", "&a ",
    "*a", "!!str ", "!!int ", "!x ", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n",
    "|", ">", "|-\n", "\\", "\\x", "? ", "@", "`", "\r\n", "\r", "\ufeff", "æ", "😀", "\u2028",
    "\x85", "0x1F", "1e3", ".inf", "~", "null", "2025-02-30", "<<: *a\n", "&a {x: 1}\n",
)  # fmt: skip
pytestmark = pytest.mark.skipif(yamlsafe._FastLoader is None, reason="PyYAML without libyaml")


def shape(node: yaml.Node | None) -> Any:
    """Everything about a node tree that the project reads."""
    if node is None:
        return None
    s, e = node.start_mark, node.end_mark
    # where a node starts (located messages) and the index where it ends (in-place edits cut
    # the text there); libyaml counts the line of an end at the stream's end differently
    head = (type(node).__name__, node.tag, (s.index, s.line, s.column), e.index)
    if isinstance(node, yaml.ScalarNode):
        return (*head, node.value, node.style or None)  # plain: None or ''
    if isinstance(node, yaml.SequenceNode):
        return (*head, bool(node.flow_style), [shape(v) for v in node.value])
    return (*head, bool(node.flow_style), [(shape(k), shape(v)) for k, v in node.value])


def reference(text: str) -> Any:
    try:
        return shape(yamlsafe._reference_compose(text, "x.yaml"))
    except InputError as e:
        return ("refused", e.message)


def assert_same(text: str) -> bool:
    """Same nodes whenever both readers accept; False when only libyaml accepts (PyYAML is
    stricter than YAML 1.1 in a few corners, e.g. `? ` inside a plain scalar in a flow
    mapping, which YAML allows); True otherwise."""
    fast = yamlsafe._fast_compose(text)
    if fast is None:  # refused by the fast reader: the reference reader decides and words
        return True
    ref = reference(text)
    if ref[0] == "refused":
        return False
    assert shape(fast) == ref, text
    return True


def damage(rng: random.Random, text: str) -> str:
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(5)
        if op == 0:
            text = text[:i] + rng.choice(PIECES) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + rng.randrange(1, 12) :]
        elif op == 2:  # a line moved in or out
            j = text.rfind("\n", 0, i) + 1
            text = text[:j] + rng.choice(("", " ", "  ", "\t")) + text[j + rng.randrange(0, 3) :]
        elif op == 3:
            j = rng.randrange(len(text) + 1)
            text = text[:i] + text[min(i, j) : max(i, j)][:200] + text[i:]
        else:
            text = text[:i] + chr(rng.randrange(0x20, 0x250)) + text[i:]
    return text


def test_every_project_file_reads_the_same():
    assert len(FILES) > 60
    for p in FILES:
        text = p.read_text("utf-8", errors="replace")
        if text.strip():
            assert assert_same(text), p


def test_the_fast_reader_is_used_on_a_case():
    text = (ROOT / "examples/tidlig-indsats-0-2.yaml").read_text("utf-8")
    assert yamlsafe._fast_compose(text) is not None


def test_damaged_texts_read_the_same_or_fall_back():
    rng = random.Random(int(os.environ.get("SOCINVEST_YAML_SEED", "20261130")))
    texts = [p.read_text("utf-8", errors="replace") for p in FILES if p.suffix == ".yaml"]
    texts = [t for t in texts if 0 < len(t) < 40_000]
    accepted, only_fast = 0, []
    for _ in range(MUTATIONS):
        text = damage(rng, rng.choice(texts))
        if not text.strip():
            continue
        if not assert_same(text):
            only_fast.append(text)
        accepted += yamlsafe._fast_compose(text) is not None
    assert accepted > MUTATIONS // 10  # the comparison covered accepted texts, not only refusals
    # texts only libyaml accepts are valid YAML that PyYAML refuses: rare, and then the case
    # loader names the odd key or value instead of a YAML error
    print(f"{MUTATIONS} damaged texts: {accepted} accepted, {len(only_fast)} by libyaml only")
    assert len(only_fast) <= max(3, accepted // 100), only_fast[:3]


def test_a_refusal_is_worded_by_the_reference_reader():
    cases = {
        "a: [1, 2\n": "'<stream end>'",
        "a: 'x\n": "lukkes aldrig",
        "a: 1\n\tb: 2\n": "tabulator",
        "a: \x07\n": "U+0007",
        "a: &x [*x]\n": "aliaset *x",
        "a: " + "[" * 60 + "]" * 60 + "\n": "indlejret",
    }
    for text, words in cases.items():
        with pytest.raises(InputError) as fast:
            yamlsafe.compose(text, "x.yaml")
        with pytest.raises(InputError) as ref:
            yamlsafe._reference_compose(text, "x.yaml")
        assert str(fast.value.message) == str(ref.value.message)
        assert words in str(fast.value.message), str(fast.value.message)


def test_limits_hold_in_the_fast_reader():
    bomb = "a: &a [1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert yamlsafe._fast_compose(bomb) is None  # 10^9 values once expanded: refused
    with pytest.raises(InputError, match="aliasser"):
        yamlsafe.compose(bomb, "bomb.yaml")
    deep = "a: " + "[" * 60 + "]" * 60 + "\n"
    assert yamlsafe._fast_compose(deep) is None
    assert yamlsafe._fast_compose("a: &x [1, *x]\n") is None  # an alias inside itself
    assert yamlsafe._fast_compose("a:\nb: 1\n") is None  # an empty value: placed differently
    shallow = "a: " + "[" * 40 + "]" * 40 + "\n"
    assert yamlsafe._fast_compose(shallow) is not None


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates(),
)
data = st.recursive(
    scalars,
    lambda kids: (
        st.lists(kids, max_size=5)
        | st.dictionaries(st.text(max_size=8) | st.integers(1990, 2040), kids, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(data, st.booleans(), st.sampled_from([None, '"', "'", "|", ">"]), st.integers(20, 200))
def test_generated_documents_read_the_same(value, flow, style, width):
    text = yaml.safe_dump(
        {"root": value},
        default_flow_style=flow,
        default_style=style,
        allow_unicode=True,
        width=width,
        sort_keys=False,
    )
    assert assert_same(text)
