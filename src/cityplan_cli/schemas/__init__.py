"""The JSON Schema (draft 2020-12) of every command's JSON output, shipped as files beside this one.

Each command's file describes its output; `defs.json` holds the records several share (a task, a
unit, a part). A schema as printed is whole: the definitions it uses are copied into its `$defs`.

VERSION is the contract's version: renaming, removing or retyping a key is a new version; adding a
key is not. A key kept only for the old name's sake is marked `deprecated` and goes at the next one.
"""

from __future__ import annotations

import json
from typing import Any

VERSION = "1"

# The commands that print JSON, in the order `cityplan --help` lists them.
COMMANDS = (
    "check",
    "docs",
    "tasks",
    "show",
    "duties",
    "units",
    "unowned",
    "overloaded",
    "graph",
    "suggest",
    "report",
    "scores",
)

_REF = "defs.json#/$defs/"


def _read(name: str) -> dict[str, Any]:
    from importlib import resources  # only to print a schema: every JSON output reads VERSION

    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def schema(command: str) -> dict[str, Any]:
    """One command's schema, with the shared definitions it uses (and those they use) inlined."""
    shared = _read("defs.json")["$defs"]
    own = _read(f"{command}.json")
    used: dict[str, Any] = {}

    def local(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF):
                name = ref[len(_REF) :]
                if name not in used:
                    used[name] = None  # before recursing: a definition may refer to itself
                    used[name] = local(shared[name])
                node = {**node, "$ref": f"#/$defs/{name}"}
            return {k: local(v) for k, v in node.items()}
        if isinstance(node, list):
            return [local(v) for v in node]
        return node

    whole = local(own)
    defs = {**whole.pop("$defs", {}), **dict(sorted(used.items()))}
    return {**whole, "$defs": defs} if defs else whole


def schemas() -> dict[str, dict[str, Any]]:
    """Every command's schema, keyed by the command."""
    return {command: schema(command) for command in COMMANDS}
