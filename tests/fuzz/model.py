"""One fuzz input: the files it consists of, the command that reads them, and what it may write.

An input is data (picklable, JSON-able), so the harness can hand it to a worker process, save
it when it fails, and replay it later from the saved folder alone (docs/fuzzing.md).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class Input:
    """`argv` runs as `socinvest ARGV` with the job folder as working directory; `files` are
    written there first (relative paths). `outputs` are the only paths the command may create or
    change (a path, everything under it, or with a final `*` every path it begins). `call` names a library function ("module:function") run instead of the CLI, for
    input kinds that have no command yet (follow-up files): it gets the paths in `argv`."""

    kind: str
    argv: tuple[str, ...]
    files: dict[str, bytes] = field(default_factory=dict)
    outputs: tuple[str, ...] = ()
    json: bool = False
    call: str = ""
    fifos: tuple[str, ...] = ()
    seed: str = ""
    slow: bool = False  # writes several report formats (PDF, docx): three times the time limit

    def command(self) -> str:
        """The command as a user would type it (for messages)."""
        head = f"python -c {self.call}" if self.call else "socinvest"
        return " ".join((head, *(repr(a) if " " in a or not a else a for a in self.argv)))

    def to_json(self) -> str:
        keys = ("kind", "argv", "outputs", "json", "call", "fifos", "slow")
        d = {k: getattr(self, k) for k in keys}
        d["seed"] = self.seed
        d["files"] = {k: base64.b64encode(v).decode() for k, v in self.files.items()}
        return json.dumps(d)

    @classmethod
    def from_json(cls, s: str) -> Input:
        d = json.loads(s)
        d.setdefault("slow", False)
        files = {k: base64.b64decode(v) for k, v in d.pop("files").items()}
        tup = {k: tuple(d[k]) for k in ("argv", "outputs", "fifos")}
        return cls(**{**d, **tup, "files": files})

    def save(self, folder: Path) -> Path:
        """Write the input's files and `input.json` (replayable) into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        for rel, data in self.files.items():
            p = folder / "files" / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        (folder / "input.json").write_text(self.to_json())
        (folder / "command.txt").write_text(f"cd files && {self.command()}\n")
        return folder


def report_outputs(name: str) -> tuple[str, ...]:
    """A report's file, and for Markdown the figures written beside it (`<name>-figur-<n>.svg`,
    `-figure-` in English)."""
    stem = name[: -len(".md")] if name.lower().endswith(".md") else ""
    return (name, f"{stem}-figur-*", f"{stem}-figure-*") if stem else (name,)
