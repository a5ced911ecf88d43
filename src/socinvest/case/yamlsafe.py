"""The one YAML reader for case, pool and ladder files: YAML's safe rules, with every node's
position kept, and with limits so that no file can make the reader hang or eat the memory.

Limits (docs/case-format.md, "Limits of a file"):

- nesting: at most `MAX_DEPTH` levels (a case needs about 6);
- size: at most `MAX_NODES` values in the file *as read*, that is with every alias expanded;
- aliases (`*name`) are allowed, but each counts as the values it stands for, so a
  "billion laughs" file is refused at the first alias that would pass the limit, after reading
  a few hundred bytes; an alias inside the value it names (`&a [*a]`) is refused.

The file's size (1 MB) is bounded before parsing by `load.read_text`.

Speed: when PyYAML has libyaml, libyaml parses and composes the text and the limits are then
checked on its nodes: about eight times faster than the pure-Python reader, with the same nodes
and marks.
Any file the fast reader refuses is read again by the pure-Python reader, so every message
(and every decision to refuse) is the pure-Python reader's; tests/test_yaml_fast.py checks
that both readers give the same data and positions on every file and on generated ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from ..errors import InputError, Text
from ..i18n import Join, Msg
from .messages import yaml_error

MAX_DEPTH = 50
MAX_NODES = 20_000
"""Values in one file, aliases expanded (the largest example has about 1.500; 20.000 take
half a second to read)."""
Path_ = tuple[str | int, ...]
Marks = dict[Path_, tuple[int, int]]
Loaded = tuple[Any, Marks]
"""A text's data and the position of every key path in it (`load_located`)."""


class _Refused(Exception):
    """A limit was passed at `mark`; `message` says which."""

    def __init__(self, message: Text, mark: Any) -> None:
        super().__init__(str(message))
        self.message, self.mark = message, mark


def _too_deep(depth: int) -> Msg:
    return Msg(
        "YAML-strukturen er indlejret mere end {n} niveauer dybt (her {depth}); en case-, "
        "pulje- eller trappefil behøver under 10",
        n=MAX_DEPTH,
        depth=depth,
    )


def _too_many() -> Msg:
    return Msg(
        "filen har mere end {n} værdier (aliasser medregnet); skriv den kortere, eller brug "
        "færre aliasser (*navn)",
        n=MAX_NODES,  # no thousands separator: the same in every language
    )


class _Limits:
    """A composer mix-in that counts nodes (aliases by what they expand to) and depth."""

    anchors: dict[Any, yaml.Node]

    def _start_limits(self) -> None:
        self._depth = 0
        self._nodes = 0
        self._open: set[str] = set()  # anchors of the nodes being composed
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth)

    def _count(self, n: int, mark: Any) -> None:
        self._nodes += n
        if self._nodes > MAX_NODES:
            raise _Refused(_too_many(), mark)

    def _measure(self, node: yaml.Node) -> tuple[int, int]:
        """(values, depth) of a finished node with its aliases expanded (memoised across the
        file's aliases)."""
        got = _measure(node, self._measured)
        assert got is not None  # a finished node holds no alias to itself (refused before)
        return got

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            if event.anchor in self._open:
                itself = Msg(
                    "aliaset *{name} står inde i den værdi, det henviser til; det ville aldrig "
                    "slutte",
                    name=event.anchor,
                )
                raise _Refused(itself, event.start_mark)
            if event.anchor in self.anchors:
                size, depth = self._measure(self.anchors[event.anchor])
                if self._depth + depth > MAX_DEPTH:
                    raise _Refused(_too_deep(self._depth + depth), event.start_mark)
                self._count(size, event.start_mark)
            return super().compose_node(parent, index)  # type: ignore[misc]
        event = self.peek_event()  # type: ignore[attr-defined]
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(_too_deep(self._depth), event.start_mark)
        self._count(1, event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1
            self._open.discard(anchor or "")


class _Loader(_Limits, yaml.SafeLoader):
    """The pure-Python safe loader, within the limits: the reference (and every message)."""

    def __init__(self, stream: str) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._start_limits()


_FastLoader: Any = None
_TAGS: dict[tuple[str, Any], str] = {}  # (scalar, implicit) -> its tag, as the resolver says
try:  # libyaml parses and composes; the limits are checked on the nodes it made
    from yaml._yaml import CParser

    class _FastLoader(CParser, yaml.resolver.Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.resolver.Resolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is not yaml.ScalarNode:
                return super().resolve(kind, value, implicit)
            key = (value, implicit)
            tag = _TAGS.get(key)
            if tag is None:  # a safe loader's tag depends on these alone (no path resolvers)
                if len(_TAGS) > 50_000:
                    _TAGS.clear()
                tag = _TAGS[key] = super().resolve(kind, value, implicit)
            return tag

except ImportError:  # no libyaml: the pure-Python reader alone
    pass

_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_UNLIKE = re.compile("[\t\ufeff\x85\u2028\u2029]")
"""Characters the two readers treat differently (libyaml allows a tab inside a key, reads a
BOM inside the text, counts other line breaks): texts with them go to the reference reader."""
_NULL = "tag:yaml.org,2002:null"


def _fast_compose(text: str) -> yaml.Node | None:
    """The root node by libyaml, or None when it is missing, refuses the text, or made nodes
    outside the limits or placed differently (the pure-Python reader then reads the text and
    words the refusal). libyaml itself stops at 1.000 levels of nesting, so its composer never
    runs deep; the limits are then checked on the nodes (`_within_limits`)."""
    if _FastLoader is None or _UNLIKE.search(text) or _NON_PRINTABLE.search(text):
        return None
    try:
        loader = _FastLoader(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except Exception:  # noqa: BLE001 - any refusal is the reference reader's to word
        return None
    return node if node is not None and _within_limits(node) else None


def _within_limits(root: yaml.Node) -> bool:
    """Whether the nodes are within MAX_NODES (aliases expanded) and MAX_DEPTH, with no alias
    inside the value it names and no empty value (`key:`, which libyaml places at the next
    token, not after the colon)."""
    got = _measure(root, {}, refuse=_empty)
    return got is not None and got[0] <= MAX_NODES and got[1] <= MAX_DEPTH


def _empty(node: yaml.ScalarNode) -> bool:
    return node.value == "" and not node.style and node.tag == _NULL


def _measure(
    root: yaml.Node,
    measured: dict[int, tuple[int, int]],
    refuse: Callable[[yaml.ScalarNode], bool] | None = None,
) -> tuple[int, int] | None:
    """(values, depth) of `root` with its aliases expanded (values counted up to MAX_NODES + 1:
    enough to know it is too many), or None for an alias inside the value it names or a
    scalar `refuse` refuses. Each node is measured once, however often it is named
    (`measured`: id(node) -> (values, depth), kept by the caller); iterative, so a file
    nested as deep as libyaml allows (1.000) needs no deep recursion."""
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            size, depth = 1, 0
            for child in _children(node):
                cs, cd = measured[id(child)]
                size, depth = min(size + cs, MAX_NODES + 1), max(depth, cd)
            measured[key] = (size, depth + 1)
            continue
        if key in measured:
            continue
        if isinstance(node, yaml.ScalarNode):
            if refuse is not None and refuse(node):
                return None
            measured[key] = (1, 1)
            continue
        open_.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_:
                return None  # an alias inside the value it names
            if id(child) not in measured:
                stack.append((child, False))
    return measured[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _position(text: str, pos: int) -> str:
    """':line:col' of the character at `pos` (1-based, as an editor counts)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return f":{text.count(chr(10), 0, pos) + 1}:{pos - line_start + 1}"


def _unprintable(e: yaml.reader.ReaderError) -> Msg:
    """A control or other unprintable character, named by its code point (never echoed raw:
    it could be an escape sequence for the terminal)."""
    char = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or " ")
    return Msg(
        "tegnet U+{code} er ikke tilladt i en YAML-fil (et styretegn eller et ugyldigt tegn); "
        "fjern det",
        code=f"{char:04X}",
    )


def compose(text: str, source: str) -> yaml.Node:
    """The root node of `text` (one document), within the limits; InputError otherwise."""
    if not text.strip():
        raise InputError(Join((f"{source}: ", Msg("filen er tom"))))
    fast = _fast_compose(text)
    if fast is not None:
        return fast
    return _reference_compose(text, source)


def _reference_compose(text: str, source: str) -> yaml.Node:
    """`compose` by the pure-Python reader (its refusals are the messages users see)."""
    try:
        loader = _Loader(text)  # PyYAML checks every character here, before any parsing
    except yaml.reader.ReaderError as e:
        raise InputError(
            Join((f"{source}{_position(text, e.position)}: ", _unprintable(e)))
        ) from None
    try:
        node = loader.get_single_node()
    except _Refused as e:
        where = f":{e.mark.line + 1}:{e.mark.column + 1}" if e.mark else ""
        raise InputError(Join((f"{source}{where}: ", e.message))) from None
    except yaml.YAMLError as e:
        message, mark = yaml_error(e)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise InputError(Join((f"{source}{where}: ", message))) from None
    finally:
        loader.dispose()
    if node is None:
        raise InputError(Join((f"{source}: ", Msg("filen er tom"))))
    return node


def load_located(text: str, source: str) -> Loaded:
    """The data of `text` (dicts, lists, scalars) and the position of every key path in it."""
    marks: Marks = {}
    node = compose(text, source)
    try:
        return _construct(node, (), marks, source), marks
    except _Refused as e:  # a scalar that matches a rule but cannot be built
        at = f":{e.mark.line + 1}:{e.mark.column + 1}" if e.mark else ""
        raise InputError(Join((f"{source}{at}: ", e.message))) from None
    except yaml.YAMLError as e:  # a scalar that YAML's safe rules cannot construct (a tag)
        message, mark = yaml_error(e)
        at = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise InputError(Join((f"{source}{at}: ", message))) from None


def safe_load(text: str, source: str = "<yaml>") -> Any:
    """`yaml.safe_load` within the limits (no positions)."""
    return load_located(text, source)[0]


def load_checked(text: str) -> Any:
    """The data of a text that `load_located` has already accepted (so within the limits), read
    again at libyaml's full speed when it is there (the figures a save stores beside it)."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass  # a text only the reference reader accepts (a tab in a key)
    return safe_load(text)


def _construct(node: yaml.Node, path: Path_, marks: Marks, source: str) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                ln, col = knode.start_mark.line + 1, knode.start_mark.column + 1
                plain = Msg(
                    "en nøgle skal være en enkelt værdi som 2025 eller 2025-2027, ikke en liste "
                    "eller en mapping"
                )
                raise InputError(Join((where(source, ln, col, path), plain)))
            key = _scalar(knode)
            if key in out:
                ln, col = knode.start_mark.line + 1, knode.start_mark.column + 1
                twice = Msg("nøglen {key} er angivet to gange; fjern den ene", key=repr(key))
                raise InputError(Join((where(source, ln, col, path + (key,)), twice)))
            out[key] = _construct(vnode, path + (key,), marks, source)
            marks[path + (key,)] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (i,), marks, source) for i, v in enumerate(node.value)]
    return _scalar(node)


_SHARED = yaml.constructor.SafeConstructor()
_SIMPLE: dict[str, Any] = {  # these keep nothing in the constructor: one serves every scalar
    "tag:yaml.org,2002:str": _SHARED.construct_yaml_str,
    "tag:yaml.org,2002:int": _SHARED.construct_yaml_int,
    "tag:yaml.org,2002:float": _SHARED.construct_yaml_float,
    "tag:yaml.org,2002:bool": _SHARED.construct_yaml_bool,
    "tag:yaml.org,2002:null": _SHARED.construct_yaml_null,
}


def _scalar(node: yaml.Node) -> Any:
    """A scalar's value (int, float, date, text, ...) by YAML's safe rules. Text, numbers,
    booleans and null by a shared constructor; anything else by a fresh one (a long-lived one
    keeps every object it ever constructed). A value that matches a
    rule but cannot be built (2025-02-30; an integer of more than 4.300 digits) is refused at
    its position."""
    try:
        simple = _SIMPLE.get(node.tag) if isinstance(node, yaml.ScalarNode) else None
        if simple is not None:
            return simple(node)
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (ValueError, OverflowError):
        text = str(node.value)
        shown = repr(text if len(text) <= 40 else text[:20] + "…")
        if node.tag.endswith(":timestamp"):
            problem = Msg("datoen {value} findes ikke", value=shown)
        else:
            problem = Msg(
                "værdien {value} kan ikke læses (et tal med for mange cifre)", value=shown
            )
        raise _Refused(problem, node.start_mark) from None


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def where(source: str, ln: int, col: int, path: Path_) -> Join:
    """`file:line:col: key.path: `, the location as written (the top level is worded)."""
    return Join((f"{source}:{ln}:{col}: ", dotted(path) or Msg("(øverst)"), ": "))
