"""`cityplan.toml`: role weights, capacities by peer group, the lights' limits, whose `done`
closes a task, and supervision (the supervising unit, the days to acknowledge a task)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cityplan_cli.errors import Finding
from cityplan_cli.i18n import N_
from cityplan_cli.load.fields import FileReader, Parsed
from cityplan_cli.model import DONE_WHEN, ROLES, Settings


def parse_settings(path: Path) -> Parsed:
    defaults = Settings()
    f = FileReader(path)
    if not f.read():
        return Parsed("settings", {}, f.problems)
    weights, capacity, lights = dict(defaults.weights), {}, dict(defaults.lights)
    scores = dict(defaults.scores)
    sections: dict[str, tuple[dict[str, Any], set[str] | None]] = {
        "weights": (weights, set(ROLES)),
        "capacity": (capacity, None),  # any peer group
        "lights": (lights, set(lights)),
        "scores": (scores, set(scores)),
    }
    f.unknown_keys(f.data, {*sections, "tracking", "supervision"}, (1, 1))
    done_when = _tracking(f)
    supervision = _supervision(f, defaults.supervision)
    for section, (target, known) in sections.items():
        table = f.data.get(section, {})
        span = (f"[{section}]", 0)
        if not isinstance(table, dict):
            f.report(f.first(span), Finding(N_("'{section}' must be a table"), section=section))
            continue
        if known is not None:
            f.unknown_keys(table, known, span)
        for key in table:
            kind = int if section == "lights" else float
            value = f.get(table, key, kind, span)
            if value is not None and value < 0:
                f.report(f.line(key, span), Finding(N_("'{key}' must not be negative"), key=key))
            elif value is not None and (known is None or key in known):
                target[key] = value
    row = json.dumps(
        {
            "weights": weights,
            "capacity_by_kind": capacity,
            "lights": lights,
            "done_when": done_when,
            "supervision": supervision,
            "scores": scores,
        },
        ensure_ascii=False,
    )
    return Parsed("settings", {"settings": [(row,)]}, f.problems)


def _tracking(f: FileReader) -> str:
    """[tracking] done_when: "lead" (a task is done when its leads say so) or "all" (every owner)."""
    table = f.data.get("tracking", {})
    span = ("[tracking]", 0)
    if not isinstance(table, dict):
        f.report(f.first(span), Finding(N_("'tracking' must be a table")))
        return DONE_WHEN[0]
    f.unknown_keys(table, {"done_when"}, span)
    value = f.get(table, "done_when", str, span, default=DONE_WHEN[0])
    if value not in DONE_WHEN:
        f.report(
            f.line("done_when", span),
            Finding(N_("done_when '{value}' is not one of {choices}"), value=value, choices=DONE_WHEN),
        )
        return DONE_WHEN[0]
    return value


def _supervision(f: FileReader, defaults: dict[str, Any]) -> dict[str, Any]:
    """[supervision] supervisor: the unit that supervises every document that names none (a unit
    name, checked against the registry with the documents); ack_days: the working days from
    assignment within which an owner acknowledges (签收) a task."""
    out = dict(defaults)
    table = f.data.get("supervision", {})
    span = ("[supervision]", 0)
    if not isinstance(table, dict):
        f.report(f.first(span), Finding(N_("'supervision' must be a table")))
        return out
    f.unknown_keys(table, set(out), span)
    supervisor = f.get(table, "supervisor", str, span)
    if supervisor is not None:
        out["supervisor"] = supervisor.strip()
    days = f.get(table, "ack_days", int, span)
    if days is not None and not 0 <= days <= 366:
        f.report(f.line("ack_days", span), Finding(N_("'ack_days' must be 0 to 366, not {days}"), days=days))
    elif days is not None:
        out["ack_days"] = days
    return out


def settings_from(row: str | None) -> Settings:
    if not row:
        return Settings()
    return Settings(**json.loads(row))
