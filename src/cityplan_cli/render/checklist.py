"""A unit's 任务清单 as Markdown or CSV, and what every checklist says about recording progress."""

from __future__ import annotations

import re
import shlex
from typing import Any

from cityplan_cli.checklist import Checklist
from cityplan_cli.model import ROLE_LABELS, STATUS_LABELS
from cityplan_cli.render import cells, contact_text, status_label
from cityplan_cli.render.columns import (
    CHECKLIST,
    DUE,
    ID,
    LEAD_CONTACTS,
    PASSED_DOWN,
    RECEIVED,
    TIME_LIMIT,
    VIA,
    related_text,
)
from cityplan_cli.render.csv import to_csv
from cityplan_cli.render.safe import markdown as escape
from cityplan_cli.render.safe import markdown_code

# Characters a POSIX shell would act on in an unquoted word.
_SHELL_SPECIAL = re.compile(r"[\s'\"`$\\|&;<>()*?\[\]#~{}!=]")
STATUS_HELP = "状态：" + "、".join(f"{key} {label}" for key, label in STATUS_LABELS.items())


def progress_command(unit: str) -> str:
    """The command that records progress on one of `unit`'s tasks, its unit name quoted for a shell
    only where the shell needs it."""
    word = shlex.quote(unit) if _SHELL_SPECIAL.search(unit) or not unit else unit
    return f"cityplan progress 编号 --unit {word} --status 状态 --note 说明"


def progress_hint(unit: str) -> str:
    return f"记录进展：{progress_command(unit)}（{STATUS_HELP}）"


def checklist_csv(c: Checklist) -> str:
    return to_csv([col.label for col in CHECKLIST], [cells(item, CHECKLIST) for item in c.items])


def checklist_md(c: Checklist, memo: dict[Any, Any] | None = None) -> str:
    """`memo`: shared by the checklists of one run (one data set), which hold each task several
    times: the lines that are the same in every list holding a task are made once."""
    memo = {} if memo is None else memo
    unit = c.unit
    groups = c.by_role()
    counts = "、".join(f"{ROLE_LABELS[role]} {len(items)} 项" for role, items in groups.items())
    out = [
        f"# {escape(unit.name)}任务清单",
        "",
        f"- 单位：{escape(unit.name)}"
        + (f"（{escape(unit.full_name)}）" if unit.full_name != unit.name else ""),
        f"- 类别：{escape(unit.kind)}",
        *([f"- 联系方式：{escape(contact_text(unit.contact))}"] if unit.contact else []),
        f"- 任务：共 {len(c.items)} 项，其中{counts}",
        f"- {RECEIVED.label} {len(c.received)} 项，已向下分解 {len(c.passed)} 项",
        f"- 记录进展：{markdown_code(progress_command(unit.name))}（{STATUS_HELP}）",
    ]
    # Per item, as little work as will do: a province's checklists hold a million items. What a
    # task's item says in every list is made once (its heading, tail, owners and contacts lines),
    # and an item takes those lines where the unit is not among them.
    contacts_label, via_label = f"- {LEAD_CONTACTS.label}：", f"- {VIA.label}："
    passed_label = f"- {PASSED_DOWN.label}："
    for role, items in groups.items():
        out += ["", f"## {ROLE_LABELS[role]}任务（{len(items)} 项）"]
        if not items:
            out += ["", "无。"]
        for n, item in enumerate(items, 1):
            block = memo.get(item["id"])
            if block is None:
                block = memo[item["id"]] = _block(item)
            head, owners, received, tail = block[:4]
            out.append(f"\n### {n}. {head}")
            others = item["others"]
            for other_role, line in owners:
                names = others[other_role]
                if len(names) == len(item[other_role]):
                    out.append(line)
                elif names:  # the task's list without this unit: the same for many tasks
                    key = (other_role, *names)
                    line = memo.get(key)
                    if line is None:
                        line = memo[key] = f"- {ROLE_LABELS[other_role]}单位：" + escape("、".join(names))
                    out.append(line)
            contacts = item["lead_contacts"]
            if contacts:
                if len(others["lead"]) == len(item["lead"]):  # every lead's: the same in every list
                    if block[4] is None:
                        block[4] = contacts_label + escape(LEAD_CONTACTS.show(contacts))
                    out.append(block[4])
                else:
                    out.append(contacts_label + escape(LEAD_CONTACTS.show(contacts)))
            if item["via"]:
                out.append(f"{via_label}{_escaped(memo, item['via'])}（本单位为其成员）")
            if received:
                out.append(received)
            if item["passed_down"]:
                out.append(passed_label + escape(related_text(item["passed_down"])))
            out.append(tail)
    return "\n".join(out) + "\n"


def _escaped(memo: dict[Any, Any], text: str) -> str:
    found = memo.get(("escaped", text))
    if found is None:
        found = memo["escaped", text] = escape(text)
    return found


def _block(item: dict[str, Any]) -> list[Any]:
    """What an item says of its task in every list holding it: its heading, each role's owners line
    (with every owner), what it carries out, its tail, and (made when first needed) its lead units'
    contacts line."""
    owners = [
        (role, f"- {label}单位：" + escape("、".join(item[role])))
        for role, label in ROLE_LABELS.items()
        if item[role]
    ]
    received = f"- {RECEIVED.label}：" + escape(related_text(item["received"])) if item["received"] else ""
    return [_head(item), owners, received, _tail(item), None]


def _head(item: dict[str, Any]) -> str:
    """An item's heading (after its number), id, document and section: the same in every list."""
    doc = item["doc"] or item["doc_title"] or item["doc_id"]
    item_no = item["label"] or f"第 {item['seq']} 项"
    lines = [escape(item["title"]), "", f"- {ID.label}：" + escape(item["id"])]
    lines.append(f"- 文件：{escape(f'{doc} {item_no}')}")
    if item["section"]:
        lines.append(f"- 所属部分：{escape(item['section'])}")
    return "\n".join(lines)


def _tail(item: dict[str, Any]) -> str:
    """An item's time limit, due date, status and text: the same in every list."""
    lines = []
    if item["time_limit"]:
        lines.append(f"- {TIME_LIMIT.label}：" + escape(item["time_limit"]))
    # The due date is an ISO date the record computed, never text from the data.
    lines += [f"- {DUE.label}：" + (item["due"] or "未定"), f"- 状态：{status_label(item['status'])}"]
    if item["text"]:
        lines += ["", f"> {escape(item['text'])}"]
    return "\n".join(lines)
