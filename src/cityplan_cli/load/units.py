"""`units.toml`, the unit registry: units and collectives, and the problems of the registry itself
(a unit registered twice, one name for two units, an unknown parent or member)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cityplan_cli.errors import Finding
from cityplan_cli.i18n import N_
from cityplan_cli.layout import PROGRESS_DIR
from cityplan_cli.load.fields import FileReader, Parsed, Where, dumps
from cityplan_cli.model import COLLECTIVE_KIND, Unit
from cityplan_cli.registry import Registry, normalize, unknown_unit_message

UNIT_KEYS = frozenset(
    {"name", "full_name", "kind", "aliases", "nameplates", "parent", "capacity", "contact", "places"}
    | {"remit", "source", "team"}
)
CONTACT_KEYS = frozenset({"address", "postcode", "phone", "fax", "email", "hours"})
COLLECTIVE_KEYS = frozenset({"name", "full_name", "kind", "aliases", "members", "source"})
SOURCES = ("seed", "registry")
_PLAIN = re.compile(r"[^\W_]+(?:、[^\W_]+)*")  # letters and digits of any script, 、 between them
_PLAIN_MAX = 40  # characters: far from any file name's limit
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)})


def parse_units(path: Path) -> Parsed:
    f = FileReader(path)
    if not path.is_file():
        f.report(1, Finding(N_("missing: the unit registry is required")))
        return Parsed("units", {}, f.problems)
    if not f.read():
        return Parsed("units", {}, f.problems)
    f.unknown_keys(f.data, {"units", "collectives"}, (1, 1))
    units = f.tables(f.data, "units")
    collectives = f.tables(f.data, "collectives")
    pending: list[tuple[Unit, Where]] = []
    for i, table in enumerate(units):
        span: Where = ("[[units]]", i)
        f.unknown_keys(table, UNIT_KEYS, span)
        name = f.get(table, "name", str, span, required=True)
        capacity = f.get(table, "capacity", float, span)
        if capacity is not None and capacity <= 0:
            f.report(f.line("capacity", span), Finding(N_("'capacity' must be above 0")))
            capacity = None
        unit = Unit(
            name=name or "",
            full_name=f.get(table, "full_name", str, span, required=True, default=name) or "",
            kind=f.get(table, "kind", str, span, required=True, default="") or "",
            aliases=f.get(table, "aliases", list, span, default=()),
            nameplates=f.get(table, "nameplates", list, span, default=()),
            parent=f.get(table, "parent", str, span),
            capacity=capacity,
            contact=_contact(f, table, span),
            places=f.get(table, "places", list, span, default=()),
            remit=f.get(table, "remit", list, span, default=()),
            source=_source(f, table, span),
            team=f.get(table, "team", str, span, default="") or "",
        )
        if name:
            pending.append((unit, span))
    for i, table in enumerate(collectives):
        span = ("[[collectives]]", i)
        f.unknown_keys(table, COLLECTIVE_KEYS, span)
        name = f.get(table, "name", str, span, required=True)
        members = f.get(table, "members", list, span, required=True, default=())
        if "members" in table and not members:
            f.report(f.line("members", span), Finding(N_("a collective needs at least one member")))
        unit = Unit(
            name=name or "",
            full_name=f.get(table, "full_name", str, span, default=name) or "",
            kind=f.get(table, "kind", str, span, default=COLLECTIVE_KIND),
            aliases=f.get(table, "aliases", list, span, default=()),
            members=members,
            source=_source(f, table, span),
        )
        if name:
            pending.append((unit, span))

    registry = Registry()
    rows = []
    added: list[tuple[Unit, Where]] = []
    for unit, span in pending:
        if unit.name in registry:
            f.report(f.first(span), Finding(N_("unit '{name}' is registered twice"), name=unit.name))
            continue
        for name, other in registry.add(unit):
            f.report(
                f.first(span),
                Finding(
                    N_("name '{name}' is registered for both '{other}' and '{unit}'"),
                    name=name,
                    other=other,
                    unit=unit.name,
                ),
            )
        rows.append(unit_row(len(rows), unit))
        added.append((unit, span))
    if not rows and not any(severity == "error" for _, severity, _ in f.problems):
        f.report(1, Finding(N_("the registry lists no units ([[units]])")))
    _lookalikes(f, added)
    # Parents and members may be registered further down the file, so they are checked last.
    for unit, span in pending:
        if unit.parent and registry.resolve(unit.parent) is None:
            f.report(f.line("parent", span), unknown_unit_message(registry, unit.parent, "parent"))
        for member in unit.members:
            if registry.resolve(member) is None:
                f.report(
                    f.line("members", span),
                    Finding(
                        N_("collective '{name}' has an unknown member: {member}"),
                        name=unit.name,
                        member=unknown_unit_message(registry, member),
                    ),
                )
    return Parsed("units", {"units": rows}, f.problems)


def _lookalikes(f: FileReader, units: list[tuple[Unit, Where]]) -> None:
    """Units a reader could not tell apart: names that differ only in case (`registry.add` has
    caught those that differ in width, spaces or invisible characters), and names that make one
    progress file name (`a/b` and `a:b` are both `a_b`), whose records would land in one file."""
    folded: dict[str, tuple[str, Unit, Where]] = {}
    for unit, span in units:
        named = [("name", unit.name), ("full_name", unit.full_name)]
        named += [("aliases", n) for n in unit.aliases] + [("nameplates", n) for n in unit.nameplates]
        for key, name in named:
            norm = normalize(name)
            seen = folded.setdefault(norm.casefold(), (norm, unit, span))
            if seen[1] is not unit and seen[0] != norm:
                f.report(
                    f.line(key, span),
                    Finding(
                        N_(
                            "name '{name}' of '{unit}' differs only in case from '{seen}' of '{other}' "
                            "(line {line}): rename one"
                        ),
                        name=name,
                        unit=unit.name,
                        seen=seen[0],
                        other=seen[1].name,
                        line=f.first(seen[2]),
                    ),
                )
    # A name that is a file name already (letters, digits, 、, short, no device name) keeps it, or gets
    # one of its own: names that are all so cannot share a file unless they differ only in case, just
    # reported. Only otherwise are file names worked out (which loads what files.py needs).
    if all(_plain(u.name) for u, _ in units):
        return
    from cityplan_cli.files import safe_names

    files: dict[str, tuple[Unit, Where]] = {}
    for unit, span in units:
        stem = safe_names([unit.name])[unit.name]
        other, other_span = files.setdefault(stem.casefold(), (unit, span))
        if other is not unit and normalize(other.name).casefold() != normalize(unit.name).casefold():
            f.report(
                f.line("name", span),
                Finding(
                    N_(
                        "units '{other}' (line {line}) and '{unit}' would share the progress file "
                        "{folder}/{stem}.toml: rename one of them"
                    ),
                    other=other.name,
                    line=f.first(other_span),
                    unit=unit.name,
                    folder=PROGRESS_DIR,
                    stem=stem,
                ),
            )


def _plain(name: str) -> bool:
    return len(name) <= _PLAIN_MAX and bool(_PLAIN.fullmatch(name)) and name.upper() not in _DEVICES


def _source(f: FileReader, table: dict[str, Any], where: Where) -> str:
    source = f.get(table, "source", str, where, default="") or ""
    if source and source not in SOURCES:
        f.report(
            f.line("source", where),
            Finding(N_("source '{source}' is not one of {choices}"), source=source, choices=SOURCES),
        )
        return ""
    return source


def _contact(f: FileReader, table: dict[str, Any], where: Where) -> dict[str, str]:
    contact = table.get("contact", {})
    if not contact:
        return {}

    def cspan() -> tuple[int, int]:
        # [units.contact] follows its unit's [[units]] header: its own header line is where it starts.
        span = f.span(where)
        after = [c for c in f.lines.tables("[units.contact]") if c[0] >= span[1]]
        return after[0] if after else span

    if not isinstance(contact, dict):
        f.report(f.line("contact", where), Finding(N_("'contact' must be a table ([units.contact])")))
        return {}
    f.unknown_keys(contact, CONTACT_KEYS, cspan)
    return {key: value for key in contact if (value := f.get(contact, key, str, cspan)) is not None}


def unit_row(pos: int, u: Unit) -> tuple[Any, ...]:
    return (
        pos,
        u.name,
        u.full_name,
        u.kind,
        dumps(list(u.aliases)),
        dumps(list(u.nameplates)),
        u.parent,
        u.capacity,
        dumps(list(u.members)),
        dumps(u.contact),
        dumps(list(u.places)),
        dumps(list(u.remit)),
        u.source,
        u.team,
    )
