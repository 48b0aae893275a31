"""A unit's 任务清单 as Markdown or CSV, and what every checklist says about recording progress."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cityplan_cli.checklist import Checklist, without
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

if TYPE_CHECKING:
    from cityplan_cli.queries import Duty

# Characters a POSIX shell would act on in an unquoted word.
_SHELL_SPECIAL = re.compile(r"[\s'\"`$\\|&;<>()*?\[\]#~{}!=]")
STATUS_HELP = "状态：" + "、".join(f"{key} {label}" for key, label in STATUS_LABELS.items())
PIECES = 512  # a list is written this many of its parts (lines, headings) at a time: some tens of KB


def progress_command(unit: str) -> str:
    """The command that records progress on one of `unit`'s tasks, its unit name quoted for a shell
    only where the shell needs it."""
    word = shlex.quote(unit) if _SHELL_SPECIAL.search(unit) or not unit else unit
    return f"cityplan progress 编号 --unit {word} --status 状态 --note 说明"


def progress_hint(unit: str) -> str:
    return f"记录进展：{progress_command(unit)}（{STATUS_HELP}）"


def checklist_csv(c: Checklist) -> str:
    return to_csv([col.label for col in CHECKLIST], [cells(item, CHECKLIST) for item in c.items])


def checklist_md(c: Checklist, memo: dict[Any, Any] | None = None) -> list[bytes]:
    """The list as UTF-8 Markdown, in pieces of some tens of kilobytes to be written one after
    another: a province's longest lists (5 MB) are never made whole. `memo`: shared by the
    checklists of one run (one data set), which hold each task several times: what is the same in
    every list holding a task is made (and encoded) once (see shared_md)."""
    memo = {} if memo is None else memo
    unit = c.unit
    name = unit.name
    groups: dict[str, list[Duty]] = {role: [] for role in ROLE_LABELS}
    for duty in c.duties:
        groups[duty.role].append(duty)
    counts = "、".join(f"{ROLE_LABELS[role]} {len(duties)} 项" for role, duties in groups.items())
    out = [b""]  # the head, once the counts are known
    received_count = passed_count = 0
    blocks, via_lines = memo.setdefault("blocks", {}), memo.setdefault("via", {})
    passed_down = c.passed_down
    # Per item, as little work as will do: a province's checklists hold a million items (600 MB).
    # What a task's item says in every list is made once, as bytes (its heading, tail, owners and
    # contacts lines), and an item takes those lines where the unit is not among them.
    for role, duties in groups.items():
        out.append(f"\n## {ROLE_LABELS[role]}任务（{len(duties)} 项）".encode())
        if not duties:
            out.append("\n无。".encode())
        for n, (task_id, _, via) in enumerate(duties, 1):
            block = blocks.get(task_id)
            if block is None:
                block = blocks[task_id] = _block(c, task_id)
            heading, owners, received, tail, contacts = block
            out.append(b"\n### %d. %b" % (n, heading))
            # A list naming this unit or the collective it comes through is shown without them;
            # the others as the task's own.
            for role_, named, names, line in owners:
                if name in named or (via is not None and via in named):
                    others = without(names, name, via)
                    if others:
                        out.append(_owners_line(role_, others))
                    if role_ == "lead":
                        contacts = _contacts_line(c.lead_contacts(task_id, others))
                else:
                    out.append(line)
            if contacts:
                out.append(contacts)
            if via:
                line = via_lines.get(via)
                if line is None:
                    line = via_lines[via] = f"- {VIA.label}：{escape(via)}（本单位为其成员）".encode()
                out.append(line)
            if received:
                received_count += 1
                out.append(received)
            below = c.passed_down_of(task_id) if task_id in passed_down else None
            if below:
                passed_count += 1
                out.append(f"- {PASSED_DOWN.label}：{escape(related_text(below))}".encode())
            out.append(tail)
    head = [
        f"# {escape(name)}任务清单",
        "",
        f"- 单位：{escape(name)}" + (f"（{escape(unit.full_name)}）" if unit.full_name != name else ""),
        f"- 类别：{escape(unit.kind)}",
        *([f"- 联系方式：{escape(contact_text(unit.contact))}"] if unit.contact else []),
        f"- 任务：共 {len(c.duties)} 项，其中{counts}",
        f"- {RECEIVED.label} {received_count} 项，已向下分解 {passed_count} 项",
        f"- 记录进展：{markdown_code(progress_command(name))}（{STATUS_HELP}）",
    ]
    out[0] = "\n".join(head).encode()
    return [b"\n".join(out[i : i + PIECES]) + b"\n" for i in range(0, len(out), PIECES)]


def shared_md(c: Checklist, memo: dict[Any, Any], task_ids: Iterable[str]) -> None:
    """Make now what every Markdown list holding these tasks says of them, with any list of the
    run: before the lists are shared among processes, each of which would otherwise make nearly
    all of them again (a province's lists hold every task several times between them)."""
    blocks = memo.setdefault("blocks", {})
    for task_id in task_ids:
        if task_id not in blocks:
            blocks[task_id] = _block(c, task_id)


def _owners_line(role: str, names: list[str]) -> bytes:
    return (f"- {ROLE_LABELS[role]}单位：" + escape("、".join(names))).encode()


def _contacts_line(contacts: dict[str, dict[str, str]]) -> bytes:
    return f"- {LEAD_CONTACTS.label}：{escape(LEAD_CONTACTS.show(contacts))}".encode() if contacts else b""


def _block(c: Checklist, task_id: str) -> tuple[Any, ...]:
    """What an item says of its task in every list holding it, encoded: its heading, each role's
    owners (role, the names as a set and as listed, the line with them all), what it carries out,
    its tail, and its lead units' contacts line."""
    record = c.records[task_id]
    owners = [
        (role, frozenset(names), names, _owners_line(role, names))
        for role in ROLE_LABELS
        if (names := record[role])
    ]
    implements = c.received_of(task_id)
    received = f"- {RECEIVED.label}：{escape(related_text(implements))}".encode() if implements else b""
    contacts = _contacts_line(c.lead_contacts(task_id, record["lead"]))
    return _head(record).encode(), owners, received, _tail(record).encode(), contacts


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
