"""Every column of every listing, sheet and table, with its Chinese heading: each defined once here,
and the sets each output shows built from them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

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
ID = Column("id", "编号", key=True, width=16)
DOC = Column("doc", "文件", key=True, width=18)
DOC_NAME = Column(None, "文件", _doc_name, width=18)
SEQ = Column("seq", "序号", key=True, width=6)
LABEL = Column("label", "项次", wide=True, width=8)
SECTION = Column("section", "所属部分", wide=True, width=24)
TITLE = Column("title", "任务", width=24)
TEXT = Column("text", "内容", wide=True, width=60)
LEAD = Column("lead", "牵头单位", width=14)
SUPPORT = Column("support", "配合单位", width=24)
LOCAL = Column("local", "落实单位", width=24)
LEADERS = Column("leaders", "分管领导", width=10)
STATUS = Column("status", "状态", status_label, key=True, width=8)
DUE = Column("due", "完成时限", key=True, width=11)
TIME_LIMIT = Column("time_limit", "办理时限", wide=True, width=18)
ROLE = Column("role", "职责", role_label, key=True, width=6)
VIA = Column("via", "经由", width=12)
LIGHT = Column("light", "亮灯", _light, key=True, width=6)
REASONS = Column("reasons", "原因", ";".join, width=24)
LAST_UPDATE = Column("last_update", "最近更新", key=True, width=11)
PERCENT = Column("percent", "进度", _percent, key=True, width=6)
NOTE = Column("note", "最新进展", width=30)
OTHER_LEAD = Column("others", "牵头单位", _others("lead"), width=14)
OTHER_SUPPORT = Column("others", "配合单位", _others("support"), width=24)
OTHER_LOCAL = Column("others", "落实单位", _others("local"), width=24)
LEAD_CONTACTS = Column("lead_contacts", "牵头单位联系方式", _contacts, width=36)
# Tasks above and beneath (`implements`): the tasks a task carries out, and those of a unit's own
# documents that carry its part out; ids, or the related tasks' records (a checklist's)
IMPLEMENTS = Column("implements", "承接上级任务", _ids, wide=True, width=20)
RECEIVED = Column("received", "承接上级任务", _ids, width=20)
PASSED_DOWN = Column("passed_down", "已分解至", _ids, width=20)

# Units
NAME = Column("name", "单位", width=18)
FULL_NAME = Column("full_name", "全称", width=30)
KIND = Column("kind", "类别", width=12)
LEAD_COUNT = Column("lead_count", "牵头", key=True, width=6)
SUPPORT_COUNT = Column("support_count", "配合", key=True, width=6)
LOCAL_COUNT = Column("local_count", "落实", key=True, width=6)
LOAD = Column("load", "负荷", _number, key=True, width=8)
CAPACITY = Column("capacity", "上限", _number, key=True, width=8)
CAPACITY_BASIS = Column("capacity_basis", "上限依据", width=36)
OVERLOADED = Column("overloaded", "超负荷", _yes, key=True, width=8)

TASK = (
    ID,
    replace(DOC, wide=True),  # the id names the document and the item already
    replace(SEQ, wide=True),
    LABEL,
    SECTION,
    TITLE,
    TEXT,
    LEAD,
    SUPPORT,
    LOCAL,
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
    Column("part", "本单位进展", lambda v: "" if v is None else status_label(v), key=True),
    Column("part_date", "进展日期", key=True, wide=True),
    Column("part_note", "进展说明", wide=True),
    DUE,
    TIME_LIMIT,
    PASSED_DOWN,
)

PROBLEM = (
    Column("file", "文件"),
    Column("line", "行", key=True),
    Column("severity", "级别", key=True),
    Column("message", "问题"),
)

UNIT = (NAME, FULL_NAME, KIND, LEAD_COUNT, SUPPORT_COUNT, LOCAL_COUNT, LOAD, CAPACITY, OVERLOADED)

OVERLOAD = (NAME, KIND, LOAD, CAPACITY, CAPACITY_BASIS, LEAD_COUNT, SUPPORT_COUNT, LOCAL_COUNT)

SUMMARY = (
    Column("measure", "指标"),
    Column("value", "数值"),
)

DOCUMENT = (
    Column("index", "序号", key=True),
    Column("id", "编号", key=True),
    Column("title", "标题"),
    Column("number", "发文字号", key=True),
    Column("date", "成文日期", key=True),
    Column("published", "发布日期", key=True),
    Column("tasks", "任务数", key=True),
    Column("unowned", "未落实责任", key=True),
)

SUGGESTION = (
    Column("task_id", "编号", key=True),
    TITLE,
    Column("role", "建议职责", role_label, key=True),
    Column("unit", "建议单位"),
    Column("registered", "已登记", lambda v: "是" if v else "否（先登记再指派）"),
    Column("reason", "依据"),
)

# `show --tree` as rows: each task (its issuer as its unit) and each unit's part, with its level
TREE = (
    Column("level", "层级", key=True, width=6),
    ID,
    Column("unit", "单位", width=20),
    TITLE,
    STATUS,
    LIGHT,
    Column("note", "说明", width=40),
)


# `show`: the records that count, each owner's part, and (--history) every record
def evidence_text(value: Any) -> str:
    """Attached files by the names they had: 验收报告.pdf、现场照片.jpg"""
    return "、".join(e["name"] or e["file"] for e in value or ())


PROGRESS = (
    Column("date", "日期", key=True),
    Column("unit", "单位"),
    STATUS,
    Column("percent", "进度", _percent, key=True),
    Column("note", "说明"),
    Column("evidence", "佐证材料", evidence_text),
)
PARTS = (
    Column("unit", "单位"),
    ROLE,
    VIA,
    Column("status", "状态", lambda v: "未报告" if v is None else status_label(v), key=True),
    Column("date", "日期", key=True),
    Column("percent", "进度", _percent, key=True),
    Column("note", "说明"),
)
REVIEW = (  # receipts (签收) and the supervisor's verdicts (销号, 退回)
    Column("date", "日期", key=True),
    Column("unit", "单位"),
    Column("kind", "事项", lambda v: ACT_LABELS.get(v, v or "")),
    Column("note", "说明"),
)
HISTORY = (
    Column("id", "记录编号", key=True),
    Column("date", "日期", key=True),
    Column("unit", "单位"),
    Column("status", "状态", lambda v: "撤回" if v is None else status_label(v), key=True),
    Column("percent", "进度", _percent, key=True),
    Column("note", "说明"),
    Column("by", "录入人"),
    Column("entered", "录入时间", key=True),
    Column("standing", "更正与撤回"),
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
    LEAD,
    SUPPORT,
    LOCAL,
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
    Column("doc", "文件", width=18),
    replace(TITLE, width=36),
    Column("unit", "单位", width=20),
    ROLE,
    STATUS,
    LIGHT,
    Column("note", "说明", width=40),
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
    Column(None, "任务及出处", _task_and_source),
    TEXT,
    Column(None, "其他责任单位", _other_owners),
    Column(None, "完成时限", lambda row: row["due"] or row["time_limit"] or "未定"),
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
    Column("unit", "单位"),
    Column("grounds", "依据", lambda grounds: "；".join(_ground(g) for g in grounds) or "（无）"),
)
UNIT_CARD = (
    NAME,
    FULL_NAME,
    Column("aliases", "别名"),
    KIND,
    Column("parent", "上级"),
    Column("members", "成员"),
    LEAD_COUNT,
    SUPPORT_COUNT,
    LOCAL_COUNT,
    LOAD,
    CAPACITY,
    Column("capacity_basis", "上限依据"),
)


def _rate(value: Any) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


# 考评: `cityplan scores`, the weekly report's 通报 and the ledger's 考评 sheet
SCORES = (
    Column("rank", "排名", key=True, width=6),
    Column("unit", "单位", width=16),
    Column("score", "得分", _number, key=True, width=8),
    Column("owned", "承担", key=True, width=8),
    Column("led", "牵头", key=True, width=6),
    Column("completed_on_time", "按时完成", key=True, width=8),
    Column("completed_late", "超期完成", key=True, width=8),
    Column("overdue", "逾期", key=True, width=8),
    Column("on_time_rate", "按时率", _rate, key=True, width=10),
    Column("acknowledged_on_time", "按时签收", key=True, width=8),
    Column("ack_due", "应签收", key=True, width=8),
    Column("ack_days_mean", "签收用时", _number, key=True, width=12),
    Column("update_interval_mean", "反馈间隔", _number, key=True, width=12),
)
