"""`units.toml`, the unit registry: units and collectives, and the problems of the registry itself
(a unit registered twice, one name for two units, an unknown parent or member)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cityplan_cli.load.fields import FileReader, Parsed, Where, dumps
from cityplan_cli.model import COLLECTIVE_KIND, Unit
from cityplan_cli.registry import Registry, unknown_unit_message

UNIT_KEYS = frozenset(
    {"name", "full_name", "kind", "aliases", "nameplates", "parent", "capacity", "contact", "places"}
    | {"remit", "source", "team"}
)
CONTACT_KEYS = frozenset({"address", "postcode", "phone", "fax", "email", "hours"})
COLLECTIVE_KEYS = frozenset({"name", "full_name", "kind", "aliases", "members", "source"})
SOURCES = ("seed", "registry")


def parse_units(path: Path) -> Parsed:
    f = FileReader(path)
    if not path.is_file():
        f.report(1, "missing: the unit registry is required")
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
            f.report(f.line("capacity", span), "'capacity' must be above 0")
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
            f.report(f.line("members", span), "a collective needs at least one member")
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
    for unit, span in pending:
        if unit.name in registry:
            f.report(f.first(span), f"unit '{unit.name}' is registered twice")
            continue
        for name, other in registry.add(unit):
            f.report(f.first(span), f"name '{name}' is registered for both '{other}' and '{unit.name}'")
        rows.append(unit_row(len(rows), unit))
    # Parents and members may be registered further down the file, so they are checked last.
    for unit, span in pending:
        if unit.parent and registry.resolve(unit.parent) is None:
            f.report(f.line("parent", span), "parent: " + unknown_unit_message(registry, unit.parent))
        for member in unit.members:
            if registry.resolve(member) is None:
                f.report(
                    f.line("members", span),
                    f"collective '{unit.name}' has an unknown member: "
                    + unknown_unit_message(registry, member),
                )
    return Parsed("units", {"units": rows}, f.problems)


def _source(f: FileReader, table: dict[str, Any], where: Where) -> str:
    source = f.get(table, "source", str, where, default="") or ""
    if source and source not in SOURCES:
        f.report(f.line("source", where), f"source '{source}' is not one of {', '.join(SOURCES)}")
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
        f.report(f.line("contact", where), "'contact' must be a table ([units.contact])")
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
