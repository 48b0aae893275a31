"""Names as written → units, and the rules a document states once for many items.

Everything here depends on the registry as well as on the file: when `units.toml` changes, every
document is resolved again from its rows, without reading it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from cityplan_cli.errors import Finding
from cityplan_cli.i18n import N_
from cityplan_cli.layout import SEP
from cityplan_cli.load.fields import Found, Parsed
from cityplan_cli.model import ROLES
from cityplan_cli.registry import Registry, unknown_unit_message

Locate = Callable[[str, tuple[str, int]], int]  # the line of `key = …` in the n-th table of a header


def memberships(registry: Registry) -> tuple[list[tuple[str, str, int]], list[tuple[str, list[str]]]]:
    """(member, collective, distance) for every collective a unit belongs to, directly or through
    other collectives; and the cycles found (a collective that contains itself), each once, as its
    path from the first of its collectives in the registry."""
    direct: dict[str, list[str]] = {}
    for unit in registry:
        for member in unit.members:
            resolved = registry.resolve(member)
            if resolved is not None:
                direct.setdefault(resolved, []).append(unit.name)
    rows, cycles = [], []
    for unit in registry:
        seen: dict[str, int] = {}
        frontier, distance = [unit.name], 0
        while frontier:
            distance += 1
            nxt = []
            for node in frontier:
                for parent in direct.get(node, []):
                    if parent == unit.name:
                        if unit.is_collective:
                            cycles.append((unit.name, _cycle(direct, unit.name)))
                        continue
                    if parent not in seen:
                        seen[parent] = distance
                        nxt.append(parent)
            frontier = nxt
        rows += [(unit.name, collective, d) for collective, d in seen.items()]
    unique: dict[frozenset[str], tuple[str, list[str]]] = {}
    for name, path in cycles:  # a cycle is reported once, at the first of its collectives
        unique.setdefault(frozenset(path), (name, path))
    return rows, list(unique.values())


def _cycle(direct: dict[str, list[str]], start: str) -> list[str]:
    """A path of membership from `start` back to itself."""
    stack = [(start, [start])]
    visited = set()
    while stack:
        node, path = stack.pop()
        for parent in direct.get(node, []):
            if parent == start:
                return [*path, start][::-1]
            if parent not in visited:
                visited.add(parent)
                stack.append((parent, [*path, parent]))
    return [start, start]


def resolve_document(
    tasks: Iterable[tuple[int, int, str, str, str]],
    rules: Iterable[tuple[int, str, int, int | None, str]],
    registry: Registry,
    locate: Locate,
    base: int = 0,
) -> tuple[list[tuple[str, str, str, str, int]], list[tuple[str, int, int, int]], list[Found]]:
    """One document's tasks with their units resolved and its rules applied.

    `tasks` are (pos, seq, lead, support, local) with the names as written (joined by SEP);
    `rules` are (pos, local, from_seq, to_seq, unless_kind). Returns, per task, its lead, support,
    local and local-by-rule units (joined by SEP) and its pos; the units' own duties as rows (unit,
    task, rank of its first role: 0 lead, 1 support, 2 local, place in that role's list), the task
    numbered `base` + pos as the index numbers it; and the problems of its names."""
    problems: list[Found] = []
    checking = len(registry) > 0  # with no registry (missing or broken, reported already) all is unknown
    known: dict[str, str | None] = {}

    def resolve(name: str, key: str, where: tuple[str, int]) -> str | None:
        unit = known.get(name, "")
        if unit == "":
            unit = known[name] = registry.resolve(name)
        if unit is None and checking:
            problems.append((locate(key, where), "error", unknown_unit_message(registry, name, key)))
        return unit

    kinds: set[str] | None = None  # of every unit: only a rule with `unless_kind` needs them
    parsed_rules = []
    for pos, local, from_seq, to_seq, unless_kind in rules:
        where = ("[[document.rules]]", pos)
        units = [u for name in _split(local) if (u := resolve(name, "local", where)) is not None]
        unless = set(json.loads(unless_kind) if unless_kind else ())
        if unless and kinds is None:
            kinds = {u.kind for u in registry}
        for kind in unless:
            if checking and kind not in kinds:
                problems.append(
                    (
                        locate("unless_kind", where),
                        "warning",
                        Finding(N_("no registered unit is of kind '{kind}'"), kind=kind),
                    )
                )
        parsed_rules.append((from_seq, to_seq, tuple(dict.fromkeys(units)), unless))

    owners: list[tuple[str, str, str, str, int]] = []
    duties: list[tuple[str, int, int, int]] = []  # unit, task, rank of its first role, place in its list
    kinds_of: dict[str, set[str]] = {}
    seen = known.get  # a province's tasks name a hundred thousand units: the names known, looked up inline
    for pos, seq, *written in tasks:
        tid = base + pos
        named: dict[str, str] = {}
        lists: list[list[str]] = []
        for rank, names in enumerate(written):
            role = ROLES[rank]
            units: list[str] = []
            for name in names.split(SEP) if names else ():
                unit = seen(name) or resolve(name, role, ("[[tasks]]", pos))
                if unit is None or unit in units:  # unknown (reported), or named again in this role
                    continue
                if unit in named:
                    message = Finding(
                        N_("'{unit}' is named twice in this task ({first} and {role})"),
                        unit=unit,
                        first=Finding(named[unit]),
                        role=Finding(role),
                    )
                    problems.append((locate(role, ("[[tasks]]", pos)), "warning", message))
                else:  # a unit named in two roles has the duty of the first
                    named[unit] = role
                    duties.append((unit, tid, rank, len(units)))
                units.append(unit)
            lists.append(units)
        added: list[str] = []
        for from_seq, to_seq, local, unless in parsed_rules:
            if seq < from_seq or (to_seq is not None and seq > to_seq):
                continue
            if unless:
                named_kinds: set[str] = set()
                for unit in named:
                    if unit not in kinds_of:
                        kinds_of[unit] = registry.kinds_of(unit)
                    named_kinds |= kinds_of[unit]
                if named_kinds & unless:
                    continue
            added += [u for u in local if u not in named and u not in added]
        duties += [(unit, tid, 2, at) for at, unit in enumerate(added, len(lists[2]))]
        joined = [SEP.join(units) for units in (lists[0], lists[1], lists[2] + added)]
        # Names as written are mostly the units' own: the same string then, stored and sent once.
        owners.append(
            (*(w if w == j else j for w, j in zip(written, joined, strict=True)), SEP.join(added), pos)
        )
    return owners, duties, problems


def resolve_parsed(parsed: Parsed, registry: Registry, locate: Locate, base: int = 0) -> None:
    """Resolve a file just read, in place: a document's tasks gain their units and `duties` rows,
    and are numbered `base` + pos (see resolve_document); a progress file gains its unit; problems
    of names go to `parsed.resolved`."""
    if parsed.kind == "progress":
        for i, (name, *_) in enumerate(parsed.rows.get("progress_files", [])):
            unit, found = resolve_progress_unit(name, registry, locate)
            parsed.rows["progress_files"][i] = (name, unit)
            parsed.resolved += found
        return
    tasks = parsed.rows.get("tasks", [])
    owners, duties, found = resolve_document(
        [(row[0], row[3], *row[-3:]) for row in tasks],
        [(r[0], *r[3:7]) for r in parsed.rows.get("rules", [])],
        registry,
        locate,
        base,
    )
    parsed.rows["tasks"] = [
        (base + row[0], *row[1:], *owned[:4]) for row, owned in zip(tasks, owners, strict=True)
    ]
    parsed.rows["links"] = [(base + pos, target) for pos, target in parsed.rows.get("links", [])]
    parsed.rows["duties"] = duties
    parsed.resolved += found


def _split(text: str | None) -> list[str]:
    return text.split(SEP) if text else []


def resolve_progress_unit(
    name: str | None, registry: Registry, locate: Locate
) -> tuple[str | None, list[Found]]:
    if not name:
        return None, []
    unit = registry.resolve(name)
    if unit is None and len(registry):
        return None, [(locate("unit", ("", 0)), "error", unknown_unit_message(registry, name, "unit"))]
    return unit, []
