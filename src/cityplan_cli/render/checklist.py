"""A unit's 任务清单 as Markdown or CSV."""

from __future__ import annotations

import re

from cityplan_cli.checklist import Checklist
from cityplan_cli.model import ROLE_LABELS
from cityplan_cli.render import cells, contact_text, status_label
from cityplan_cli.render.columns import CHECKLIST
from cityplan_cli.render.csv import to_csv
from cityplan_cli.render.markdown import escape


def related_text(tasks: list[dict]) -> str:
    """Tasks above or beneath, as a list names them: id, title, document and lead."""
    return "；".join(
        f"{t['id']} {t['title']}（{t['doc']}" + (f"，{'、'.join(t['lead'])}牵头" if t["lead"] else "") + "）"
        for t in tasks
    )


def checklist_csv(c: Checklist) -> str:
    return to_csv([col.label for col in CHECKLIST], [cells(item, CHECKLIST) for item in c.items])


def checklist_md(c: Checklist) -> str:
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
        f"- 承接上级任务 {len(c.received)} 项，已向下分解 {len(c.passed)} 项",
    ]
    for role, items in groups.items():
        out += ["", f"## {ROLE_LABELS[role]}任务（{len(items)} 项）", ""]
        if not items:
            out.append("无。")
        for n, item in enumerate(items, 1):
            doc = item["doc"] or item["doc_title"] or item["doc_id"]
            item_no = item["label"] or f"第 {item['seq']} 项"
            out += [f"### {n}. {escape(item['title'])}", "", f"- 文件：{escape(doc)} {escape(item_no)}"]
            if item["section"]:
                out.append(f"- 所属部分：{escape(item['section'])}")
            for other_role, units in item["others"].items():
                if units:
                    out.append(f"- {ROLE_LABELS[other_role]}单位：{escape('、'.join(units))}")
            if item["via"]:
                out.append(f"- 经由：{escape(item['via'])}（本单位为其成员）")
            for key, label in (("received", "承接上级任务"), ("passed_down", "已分解至")):
                if item[key]:
                    out.append(f"- {label}：{escape(related_text(item[key]))}")
            if item["time_limit"]:
                out.append(f"- 办理时限：{escape(item['time_limit'])}")
            out += [f"- 完成时限：{item['due'] or '未定'}", f"- 状态：{status_label(item['status'])}"]
            if item["text"]:
                out += ["", f"> {escape(item['text'])}"]
            out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip("\n") + "\n"
