"""One task in full, and one unit's card."""

from __future__ import annotations

from typing import Any

from cityplan_cli.render import CONTACT_LABELS, Format, cells, render, to_json
from cityplan_cli.render.columns import BASIS, HISTORY, TASK, UNIT, UNIT_CARD
from cityplan_cli.render.safe import markdown as escape


def _pairs(record: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = list(zip([c.label for c in TASK], cells(record, TASK), strict=True))
    doc = record["doc"] or record["doc_title"] or record["doc_id"]
    pairs[1] = ("文件", f"{doc} {record['doc_title']}" if record["doc"] else doc)
    if record["local_by_rule"]:
        pairs.append(("依文件规定落实", "、".join(record["local_by_rule"])))
    return pairs


def task_detail(record: dict[str, Any], fmt: Format, width: int | None = None, plain: bool = False) -> str:
    """`width` and `plain` as for `render`: the terminal's width, and whether to draw rules."""
    if fmt is Format.json:
        return to_json(record)
    if fmt is Format.csv:
        return render([record], TASK, fmt)
    if fmt is Format.md:
        lines = [f"# {escape(record['title'])}", ""]
        lines += [f"- **{label}**：{escape(value)}" for label, value in _pairs(record)]
        if record.get("basis"):
            lines += ["", "## 责任依据", "", render(record["basis"], BASIS, fmt).rstrip()]
        if record["progress"]:
            lines += ["", "## 进展记录", "", render(record["progress"], HISTORY, fmt).rstrip()]
        return "\n".join(lines) + "\n"
    from cityplan_cli.render.table import layout

    pairs = [[label, value] for label, value in _pairs(record) if value]
    lines = layout(None, pairs, [True, False], width)  # wrapped values still keep every number whole
    out = "\n".join(lines) + "\n"
    if record.get("basis"):
        out += "\n" + render(record["basis"], BASIS, fmt, "责任依据", width, plain)
    if record["progress"]:
        out += "\n" + render(record["progress"], HISTORY, fmt, "进展记录", width, plain)
    return out


def unit_cards(
    records: list[dict[str, Any]], fmt: Format, width: int | None = None, plain: bool = False
) -> str:
    """Units in full, one card each: names, kind, parent, members, counts, load and contacts."""
    if fmt is Format.json:
        return to_json(records)
    if fmt is Format.csv:
        return render(records, UNIT, fmt)

    def pairs(r: dict[str, Any]) -> list[list[str]]:
        out = [[c.label, value] for c, value in zip(UNIT_CARD, cells(r, UNIT_CARD), strict=True)]
        out += [[label, r["contact"][key]] for key, label in CONTACT_LABELS.items() if key in r["contact"]]
        return [pair for pair in out if pair[1]]

    if fmt is Format.md:
        cards = [
            f"## {escape(r['name'])}\n\n" + "\n".join(f"- **{k}**：{escape(v)}" for k, v in pairs(r))
            for r in records
        ]
        return "\n\n".join(cards) + "\n"
    from cityplan_cli.render.table import layout

    return "\n".join("\n".join(layout(None, pairs(r), [True, False], width)) + "\n" for r in records)
