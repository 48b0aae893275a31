"""One task in full, and one unit's card."""

from __future__ import annotations

from typing import Any

from cityplan_cli.i18n import N_, _, chinese
from cityplan_cli.model import ACT_LABELS
from cityplan_cli.render import CONTACT_LABELS, Column, Format, cells, render, to_json
from cityplan_cli.render.columns import HISTORY, OWNER_BASIS, PARTS, PROGRESS, REVIEW, TASK, UNIT, UNIT_CARD
from cityplan_cli.render.safe import markdown as escape


def _pairs(record: dict[str, Any], terminal: bool) -> list[tuple[str, str]]:
    """Heading and value of each field: on the terminal in the language of the run, else Chinese."""
    say = _ if terminal else chinese
    pairs = list(zip([say(c.title) for c in TASK], cells(record, TASK), strict=True))
    doc = record["doc"] or record["doc_title"] or record["doc_id"]
    pairs[1] = (pairs[1][0], f"{doc} {record['doc_title']}" if record["doc"] else doc)
    if record["local_by_rule"]:
        pairs.append((say(N_("Local by the document's rule")), "、".join(record["local_by_rule"])))
    if record.get("supervisor"):
        pairs.append((say(N_("Supervisor")), record["supervisor"]))
    return pairs


def task_detail(record: dict[str, Any], fmt: Format, width: int | None = None, plain: bool = False) -> str:
    """`width` and `plain` as for `render`: the terminal's width, and whether to draw rules."""
    if fmt is Format.json:
        return to_json(record)
    if fmt is Format.csv:
        return render([record], TASK, fmt)
    if fmt is Format.md:
        lines = [f"# {escape(record['title'])}", ""]
        lines += [f"- **{label}**：{escape(value)}" for label, value in _pairs(record, terminal=False)]
        for rows, title, columns in _tables(record):
            lines += ["", f"## {chinese(title)}", "", render(rows, columns, fmt).rstrip()]
        return "\n".join(lines) + "\n"
    from cityplan_cli.render.table import layout

    pairs = [[label, value] for label, value in _pairs(record, terminal=True) if value]
    out = "\n".join(layout(None, pairs, [True, False], width)) + "\n"  # wrapped, every number whole
    for rows, title, columns in _tables(record):
        out += "\n" + render(rows, columns, fmt, _(title), width, plain)
    return out


def _standing(record: dict[str, Any]) -> str:
    """What became of a record, and what it does to another."""
    said = []
    if record.get("amends"):
        said.append(f"更正 {record['amends']}")
    if record.get("withdraws"):
        said.append(f"撤回 {record['withdraws']}")
    if record.get("amended_by"):
        said.append(f"已被 {record['amended_by']} 更正")
    if record.get("withdrawn_by"):
        said.append(f"已被 {record['withdrawn_by']} 撤回")
    return "；".join(said)


def _tables(record: dict[str, Any]) -> list[tuple[list[dict[str, Any]], str, tuple[Column, ...]]]:
    """The task's tables that have rows: its owners' basis, each owner's part, the records that
    count, and (show --history) every record."""
    history = [
        {**row, "standing": _standing(row), "status": ACT_LABELS.get(row.get("kind", ""), row["status"])}
        for row in record.get("history") or ()
    ]
    wanted = (
        (record.get("basis"), N_("Basis of each owner"), OWNER_BASIS),
        (record.get("parts"), N_("Each unit's part"), PARTS),
        (record.get("progress"), N_("Progress records"), PROGRESS),
        (record.get("review"), N_("Receipts and confirmations"), REVIEW),
        (history, N_("Every record"), HISTORY),
    )
    return [(rows, title, columns) for rows, title, columns in wanted if rows]


def unit_cards(
    records: list[dict[str, Any]], fmt: Format, width: int | None = None, plain: bool = False
) -> str:
    """Units in full, one card each: names, kind, parent, members, counts, load and contacts."""
    if fmt is Format.json:
        return to_json(records)
    if fmt is Format.csv:
        return render(records, UNIT, fmt)

    def pairs(r: dict[str, Any]) -> list[list[str]]:
        say = chinese if fmt is Format.md else _
        out = [[say(c.title), value] for c, value in zip(UNIT_CARD, cells(r, UNIT_CARD), strict=True)]
        out += [
            [say(label), r["contact"][key]] for key, label in CONTACT_LABELS.items() if key in r["contact"]
        ]
        return [pair for pair in out if pair[1]]

    if fmt is Format.md:
        cards = [
            f"## {escape(r['unit'])}\n\n" + "\n".join(f"- **{k}**：{escape(v)}" for k, v in pairs(r))
            for r in records
        ]
        return "\n\n".join(cards) + "\n"
    from cityplan_cli.render.table import layout

    return "\n".join("\n".join(layout(None, pairs(r), [True, False], width)) + "\n" for r in records)
