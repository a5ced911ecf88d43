"""Turn an in-place edit (a form: one parameter's value or distribution, one line's label,
amounts or driver) into the case file's new text, which the workspace service then validates
and saves as a new version (or previews).

This is request parsing, not domain logic: the edited value is read as one YAML value (the
same syntax as the case file, e.g. `500`, `{2017: 2100, 2018: 1500}` or
`{dist: pert, min: 475, mode: 500, max: 560}`), written back in canonical flow style, and put
in place of the old value in the text — comments and layout elsewhere stay as the author wrote
them. Whether the result is a valid case is for the case loader to say (located InputError).
"""

from __future__ import annotations

import functools
from typing import Any

import yaml

from ..case.yamlsafe import compose, safe_load
from ..errors import InputError
from ..i18n import Msg

Path_ = tuple[str | int, ...]


def _int(v: Any) -> bool:
    return type(v) is int


def flow(value: Any) -> str:
    """`value` as one line of YAML (flow style; a scalar as itself). Whole numbers and
    year → whole number mappings, most of a case's values, are written directly: the same text
    as PyYAML's (tests/test_web_edits.py), at a fraction of its cost."""
    if _int(value):
        return str(value)
    if isinstance(value, dict) and value and all(_int(k) and _int(v) for k, v in value.items()):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    key = repr(value)  # tells 1, 1.0 and True apart
    text = _DUMPED.get(key)
    if text is None:
        if len(_DUMPED) > 4096:
            _DUMPED.clear()
        text = _DUMPED[key] = _dump(value)
    return text


_DUMPED: dict[str, str] = {}
"""PyYAML's flow text of values by their repr: a case page shows the same distributions and
values on every request."""


def _dump(value: Any) -> str:
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False
    )
    text = text.strip()
    return text[: -len("...")].strip() if text.endswith("...") else text


def read_value(text: str, field: str) -> Any:
    """A form field's text read as one YAML value (InputError naming the field when not)."""
    if "\n" in text.strip():
        text = " ".join(text.split("\n"))
    try:
        return safe_load(text, field)
    except InputError as e:
        raise InputError(Msg("feltet {field}: {error}", field=field, error=e.message)) from None


def _find(node: yaml.Node, path: Path_) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(parent mapping/sequence node, value node at `path`) — value None if the key is absent."""
    parent = None
    cur: yaml.Node | None = node
    for key in path:
        parent = cur
        if isinstance(cur, yaml.MappingNode):
            cur = next((v for k, v in cur.value if k.value == key), None)
        elif isinstance(cur, yaml.SequenceNode) and isinstance(key, int):
            cur = cur.value[key] if 0 <= key < len(cur.value) else None
        else:
            cur = None
        if cur is None and key != path[-1]:
            return None, None
    return parent, cur


@functools.lru_cache(maxsize=16)
def _composed(text: str, source: str) -> yaml.Node:
    """The node tree of a text (read only here): an edit is made to a stored version's text,
    and the next edit of the same version finds it composed already."""
    return compose(text, source)


def set_value(text: str, path: Path_, value: Any, source: str = "<case>") -> str:
    """The text with the value at `path` replaced by `value` (added when absent; removed
    when `value` is None)."""
    root = _composed(text, source)
    parent, node = _find(root, path)
    if parent is None or not isinstance(parent, yaml.MappingNode):
        raise InputError(Msg("{path} findes ikke i casen", path=".".join(map(str, path))))
    key = path[-1]
    if node is not None and value is not None:  # replace in place
        a, b = node.start_mark.index, node.end_mark.index
        while b > a and text[b - 1] in " \n":
            b -= 1
        return text[:a] + flow(value) + text[b:]
    if parent.flow_style or not parent.value:  # a flow mapping: write the mapping anew
        data = safe_load(text[parent.start_mark.index : parent.end_mark.index], source)
        data = {k: v for k, v in data.items() if k != key}
        if value is not None:
            data[key] = value
        a, b = parent.start_mark.index, parent.end_mark.index
        while b > a and text[b - 1] in " \n":
            b -= 1
        return text[:a] + flow(data) + text[b:]
    if value is None:  # remove `key: value` from a block mapping (its whole lines)
        if node is None:
            return text
        knode = next(k for k, v in parent.value if v is node)
        start = text.rfind("\n", 0, knode.start_mark.index) + 1
        end = node.end_mark.index
        while end > start and text[end - 1] in " ":
            end -= 1
        if not text[start : knode.start_mark.index].strip() == "":
            raise InputError(Msg("{path} kan ikke fjernes her", path=".".join(map(str, path))))
        nl = text.find("\n", end - 1 if text[end - 1 : end] == "\n" else end)
        return text[:start] + text[(nl + 1) if nl >= 0 else len(text) :]
    # add `key: value` after the block mapping's last entry, at its indentation
    first_key = parent.value[0][0]
    indent = " " * first_key.start_mark.column
    last = parent.value[-1][1]
    end = last.end_mark.index
    while end > 0 and text[end - 1] in " \n":
        end -= 1
    return text[:end] + f"\n{indent}{flow(key)}: {flow(value)}" + text[end:]


def set_parameter(text: str, name: str, value: str, uncertainty: str | None) -> str:
    """A parameter's value and (when given: '' removes it) its distribution."""
    out = set_value(text, ("parameters", name, "value"), read_value(value, "value"))
    if uncertainty is not None:
        dist = read_value(uncertainty, "uncertainty") if uncertainty.strip() else None
        out = set_value(out, ("parameters", name, "uncertainty"), dist)
    return out


def line_index(data: dict[str, Any] | None, line_id: str) -> int:
    """Where the line `line_id` is in the case's list of lines."""
    lines = (data or {}).get("lines") or []
    for i, ln in enumerate(lines):
        if isinstance(ln, dict) and ln.get("id") == line_id:
            return i
    raise InputError(Msg("linjen {id} findes ikke i casen", id=line_id))


def set_line(
    text: str,
    index: int,
    label: str | None = None,
    amounts: str | None = None,
    driver: str | None = None,
) -> str:
    """A line's label, amounts or driver (a line has amounts or a driver: giving one removes
    the other)."""
    out = text
    if label is not None and label.strip():
        out = set_value(out, ("lines", index, "label"), " ".join(label.split()))
    if amounts is not None and amounts.strip():
        out = set_value(out, ("lines", index, "amounts"), read_value(amounts, "amounts"))
        out = set_value(out, ("lines", index, "driver"), None)
    elif driver is not None and driver.strip():
        out = set_value(out, ("lines", index, "driver"), read_value(driver, "driver"))
        out = set_value(out, ("lines", index, "amounts"), None)
    return out
