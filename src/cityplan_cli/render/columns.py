"""Every column of every listing, sheet and table, with its heading: each defined once here, and the
sets each output shows built from them. A heading is written in English and translated by the catalog:
documents show it in Chinese always, the terminal in the language of the run."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cityplan_cli.i18n import N_
from cityplan_cli.model import ACT_LABELS, ROLE_LABELS
from cityplan_cli.render import Column, contact_text, role_label, status_label


def _number(value: Any) -> str:
    return "" if value is None else f"{value:g}"


def _yes(value: Any) -> str:
    return "是" if value else ""


def _percent(value: Any) -> str:
    return "" if value is None else f"{value}%"


def _light(value: str | None) -> str:
    from cityplan_cli.tracking import LIGHT_LABELS  # here: a listing need not load tracking

    return "" if value is None else LIGHT_LABELS[value]


def _doc_name(row: dict[str, Any]) -> str:
    """The 发文字号, or the title of a document that has none."""
    return row["doc"] or row["doc_title"] or row["doc_id"]


def _others(role: str):
    return lambda others: "、".join(others[role])


def _ids(tasks: Any) -> str:
    """Task ids, given as ids or as the records of the tasks."""
    return "、".join(t["id"] if isinstance(t, dict) else str(t) for t in tasks or ())


def related_text(tasks: Any) -> str:
    """Tasks above or beneath, as a list names them: id, title, document and lead."""
    return "；".join(
        f"{t['id']} {t['title']}（{t['doc']}" + (f"，{'、'.join(t['lead'])}牵头" if t["lead"] else "") + "）"
        for t in tasks or ()
    )


def _contacts(contacts: dict[str, dict[str, str]] | None) -> str:
    """Each other lead unit with its contact, so that whoever supports it knows whom to call."""
    return "\n".join(
        f"{unit}（{contact_text(contact) if contact else '未登记联系方式'}）"
        for unit, contact in (contacts or {}).items()
    )


# Tasks and duties
ID = Column("id", N_("ID"), key=True, width=16)
DOC = Column("doc", N_("Document"), key=True, width=18)
DOC_NAME = Column(None, N_("Document"), _doc_name, width=18)
SEQ = Column("seq", N_("No."), key=True, width=6)
LABEL = Column("label", N_("Item"), wide=True, width=8)
SECTION = Column("section", N_("Section"), wide=True, width=24)
TITLE = Column("title", N_("Task"), width=24)
TEXT = Column("text", N_("Text"), wide=True, width=60)
LEAD = Column("lead", N_("Lead"), width=14)
SUPPORT = Column("support", N_("Support"), width=24)
LOCAL = Column("local", N_("Local"), width=24)
OWNERS = (LEAD, SUPPORT, LOCAL)
LEADERS = Column("leaders", N_("Leaders"), width=10)
STATUS = Column("status", N_("Status"), status_label, key=True, width=8)
DUE = Column("due", N_("Due"), key=True, width=11)
TIME_LIMIT = Column("time_limit", N_("Time limit"), wide=True, width=18)
ROLE = Column("role", N_("Role"), role_label, key=True, width=6)
VIA = Column("via", N_("Via"), width=12)
LIGHT = Column("light", N_("Light"), _light, key=True, width=6)
REASONS = Column("reasons", N_("Reasons"), ";".join, width=24)
LAST_UPDATE = Column("last_update", N_("Last update"), key=True, width=11)
PERCENT = Column("percent", N_("Percent"), _percent, key=True, width=6)
NOTE = Column("note", N_("Latest progress"), width=30)
OTHER_LEAD = Column("others", N_("Lead"), _others("lead"), width=14)
OTHER_SUPPORT = Column("others", N_("Support"), _others("support"), width=24)
OTHER_LOCAL = Column("others", N_("Local"), _others("local"), width=24)
LEAD_CONTACTS = Column("lead_contacts", N_("Lead contacts"), _contacts, width=36)
# Tasks above and beneath (`implements`): the tasks a task carries out, and those of a unit's own
# documents that carry its part out; ids, or the related tasks' records (a checklist's)
IMPLEMENTS = Column("implements", N_("Carries out"), _ids, wide=True, width=20)
RECEIVED = Column("received", N_("Carries out"), _ids, width=20)
PASSED_DOWN = Column("passed_down", N_("Passed down to"), _ids, width=20)
# A unit's part in a task, in `show --tree` and the ledger's 分解落实 sheet
PART_UNIT = Column("unit", N_("Unit"), width=20)
PART_NOTE = Column("note", N_("Note"), width=40)

# Units
NAME = Column("unit", N_("Unit"), width=18)
FULL_NAME = Column("full_name", N_("Full name"), width=30)
KIND = Column("kind", N_("Kind"), width=12)
LEAD_COUNT = Column("lead_count", N_("Leads"), key=True, width=6)
SUPPORT_COUNT = Column("support_count", N_("Supports"), key=True, width=6)
LOCAL_COUNT = Column("local_count", N_("Locals"), key=True, width=6)
LOAD = Column("load", N_("Load"), _number, key=True, width=8)
CAPACITY = Column("capacity", N_("Capacity"), _number, key=True, width=8)
CAPACITY_BASIS = Column("capacity_basis", N_("Capacity basis"), width=36)
OVERLOADED = Column("overloaded", N_("Overloaded"), _yes, key=True, width=8)

TASK = (
    ID,
    replace(DOC, wide=True),  # the id names the document and the item already
    replace(SEQ, wide=True),
    LABEL,
    SECTION,
    TITLE,
    TEXT,
    *OWNERS,
    STATUS,
    DUE,
    TIME_LIMIT,
    IMPLEMENTS,
)

DUTY = (
    ROLE,
    VIA,
    ID,
    replace(DOC, wide=True),
    replace(SEQ, wide=True),
    SECTION,
    TITLE,
    TEXT,
    LEAD,
    SUPPORT,
    replace(LOCAL, wide=True),
    STATUS,
    Column("part", N_("Own part"), lambda v: "" if v is None else status_label(v), key=True),
    Column("part_date", N_("Part date"), key=True, wide=True),
    Column("part_note", N_("Part note"), wide=True),
    DUE,
    TIME_LIMIT,
    PASSED_DOWN,
)

PROBLEM = (
    Column("file", N_("Document")),
    Column("line", N_("Line"), key=True),
    Column("severity", N_("Severity"), key=True),
    Column("message", N_("Problem")),
)

UNIT = (NAME, FULL_NAME, KIND, LEAD_COUNT, SUPPORT_COUNT, LOCAL_COUNT, LOAD, CAPACITY, OVERLOADED)

OVERLOAD = (NAME, KIND, LOAD, CAPACITY, CAPACITY_BASIS, LEAD_COUNT, SUPPORT_COUNT, LOCAL_COUNT)

SUMMARY = (
    Column("measure", N_("Measure")),
    Column("value", N_("Value")),
)

DOCUMENT = (
    Column("index", N_("No."), key=True),
    Column("id", N_("ID"), key=True),
    Column("title", N_("Title")),
    Column("number", N_("Number"), key=True),
    Column("date", N_("Issued"), key=True),
    Column("published", N_("Published"), key=True),
    Column("tasks", N_("Tasks"), key=True),
    Column("unowned", N_("Unowned"), key=True),
)

SUGGESTION = (
    Column("task", N_("ID"), key=True),
    TITLE,
    Column("role", N_("Suggested role"), role_label, key=True),
    Column("unit", N_("Suggested unit")),
    Column("registered", N_("Registered"), lambda v: "是" if v else "否（先登记再指派）"),
    Column("reason", N_("Basis")),
)

# `show --tree` as rows: each task (its issuer as its unit) and each unit's part, with its level
TREE = (
    Column("level", N_("Level"), key=True, width=6),
    ID,
    PART_UNIT,
    TITLE,
    STATUS,
    LIGHT,
    PART_NOTE,
)


# `show`: the records that count, each owner's part, and (--history) every record
def evidence_text(value: Any) -> str:
    """Attached files by the names they had: 验收报告.pdf、现场照片.jpg"""
    return "、".join(e["name"] or e["file"] for e in value or ())


PROGRESS = (
    Column("date", N_("Date"), key=True),
    Column("unit", N_("Unit")),
    STATUS,
    Column("percent", N_("Percent"), _percent, key=True),
    Column("note", N_("Note")),
    Column("evidence", N_("Evidence"), evidence_text),
)
PARTS = (
    Column("unit", N_("Unit")),
    ROLE,
    VIA,
    Column("status", N_("Status"), lambda v: "未报告" if v is None else status_label(v), key=True),
    Column("date", N_("Date"), key=True),
    Column("percent", N_("Percent"), _percent, key=True),
    Column("note", N_("Note")),
)
REVIEW = (  # receipts (签收) and the supervisor's verdicts (销号, 退回)
    Column("date", N_("Date"), key=True),
    Column("unit", N_("Unit")),
    Column("kind", N_("Act"), lambda v: ACT_LABELS.get(v, v or "")),
    Column("note", N_("Note")),
)
HISTORY = (
    Column("id", N_("Record"), key=True),
    Column("date", N_("Date"), key=True),
    Column("unit", N_("Unit")),
    Column("status", N_("Status"), lambda v: "撤回" if v is None else status_label(v), key=True),
    Column("percent", N_("Percent"), _percent, key=True),
    Column("note", N_("Note")),
    Column("by", N_("Entered by")),
    Column("entered", N_("Entered at"), key=True),
    Column("standing", N_("Amended or withdrawn")),
)

# The ledger workbook's sheets
LEDGER_TASK = (
    ID,
    DOC_NAME,
    SEQ,
    LABEL,
    SECTION,
    TITLE,
    TEXT,
    *OWNERS,
    LEADERS,
    STATUS,
    LIGHT,
    REASONS,
    DUE,
    TIME_LIMIT,
    LAST_UPDATE,
    PERCENT,
    NOTE,
)
LEDGER_UNIT = (
    NAME,
    FULL_NAME,
    KIND,
    LEAD_COUNT,
    SUPPORT_COUNT,
    LOCAL_COUNT,
    LOAD,
    CAPACITY,
    CAPACITY_BASIS,
    OVERLOADED,
)
LEDGER_UNOWNED = (ID, DOC_NAME, SEQ, LABEL, TITLE, TEXT)
# 分解落实: a task from above, the tasks that carry out each unit's part, their owners, to any depth
LEDGER_HIERARCHY = (
    replace(ID, width=22),
    Column("doc", N_("Document"), width=18),
    replace(TITLE, width=36),
    PART_UNIT,
    ROLE,
    STATUS,
    LIGHT,
    PART_NOTE,
)
# A unit's checklist: every row carries the task's id (what `cityplan progress` takes) and the
# contacts of its other lead units.
CHECKLIST = (
    ROLE,
    ID,
    DOC_NAME,
    SEQ,
    replace(LABEL, wide=False),
    TITLE,
    TEXT,
    OTHER_LEAD,
    OTHER_SUPPORT,
    OTHER_LOCAL,
    LEAD_CONTACTS,
    VIA,
    DUE,
    TIME_LIMIT,
    STATUS,
    RECEIVED,
    PASSED_DOWN,
)
# The workbook has the room to say what each task above and beneath is.
CHECKLIST_SHEET = tuple(
    replace(c, show=related_text, width=30) if c in (RECEIVED, PASSED_DOWN) else c for c in CHECKLIST
)

# The Word checklist's table, narrow enough for an A4 page: the task with where it comes from, the
# other owners with the lead units' contacts, and the limit.


def _task_and_source(row: dict[str, Any]) -> str:
    item = row["label"] or f"第 {row['seq']} 项"
    return f"{row['title']}\n（{_doc_name(row)} {item}）"


def _other_owners(row: dict[str, Any]) -> str:
    lines = [f"{ROLE_LABELS[role]}：{'、'.join(units)}" for role, units in row["others"].items() if units]
    if row["via"]:
        lines.append(f"经由{row['via']}")
    if row["lead_contacts"]:
        lines.append(f"{LEAD_CONTACTS.label}：{_contacts(row['lead_contacts'])}")
    return "\n".join(lines)


CHECKLIST_WORD = (
    ID,
    Column(None, N_("Task and source"), _task_and_source),
    TEXT,
    Column(None, N_("Other owners"), _other_owners),
    Column(None, N_("Due"), lambda row: row["due"] or row["time_limit"] or "未定"),
    STATUS,
)

# A task's owners with their basis (`show`), and a unit's card (`units UNIT`)
_HOW = {
    "addressee": "主送单位",
    "collective": "所属集合",
    "column": "分工表列",
    "rule": "文件规定",
    "assigned": "指派",
}


def _ground(g: dict[str, Any]) -> str:
    where = f"原文第 {g['source_line']} 行" if g.get("source_line") else ""
    said = [x for x in (_HOW.get(g["how"], ""), where) if x]
    note = f"（{g['note']}）" if g.get("note") else ""
    quote = f"「{g['text']}」" if g.get("text") else ""
    return quote + (f"（{'，'.join(said)}）" if said else "") + note


OWNER_BASIS = (
    ROLE,
    Column("unit", N_("Unit")),
    Column("grounds", N_("Basis"), lambda grounds: "；".join(_ground(g) for g in grounds) or "（无）"),
)
UNIT_CARD = (
    NAME,
    FULL_NAME,
    Column("aliases", N_("Aliases")),
    KIND,
    Column("parent", N_("Parent")),
    Column("members", N_("Members")),
    LEAD_COUNT,
    SUPPORT_COUNT,
    LOCAL_COUNT,
    LOAD,
    CAPACITY,
    Column("capacity_basis", N_("Capacity basis")),
)


def _rate(value: Any) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


# 考评: `cityplan scores`, the weekly report's 通报 and the ledger's 考评 sheet
SCORES = (
    Column("rank", N_("Rank"), key=True, width=6),
    Column("unit", N_("Unit"), width=16),
    Column("score", N_("Score"), _number, key=True, width=8),
    Column("owned", N_("Owned"), key=True, width=8),
    Column("led", N_("Leads"), key=True, width=6),
    Column("completed_on_time", N_("On time"), key=True, width=8),
    Column("completed_late", N_("Late"), key=True, width=8),
    Column("overdue", N_("Overdue"), key=True, width=8),
    Column("on_time_rate", N_("On-time"), _rate, key=True, width=10),
    Column("acknowledged_on_time", N_("Acked"), key=True, width=8),
    Column("ack_due", N_("To ack"), key=True, width=8),
    Column("ack_days_mean", N_("Ack days"), _number, key=True, width=12),
    Column("update_interval_mean", N_("Update days"), _number, key=True, width=12),
)
