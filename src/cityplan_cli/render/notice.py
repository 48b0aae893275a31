"""A reminder notice (催办通知) and the supervisor's summary (催办汇总), as Markdown or as a Word
document in the checklists' 公文 layout. The same notices give the same bytes."""

from __future__ import annotations

import datetime as dt

from cityplan_cli.remind import CATEGORIES, CATEGORY_LABELS, Item, Notice, role_text
from cityplan_cli.render import contact_text
from cityplan_cli.render.checklist import progress_command
from cityplan_cli.render.markdown import md_table
from cityplan_cli.render.safe import markdown as escape
from cityplan_cli.render.safe import markdown_code

ORDINALS = "一二三四五六"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _counts(notice: Notice) -> str:
    groups = notice.by_category()
    return "、".join(f"{CATEGORY_LABELS[c]} {len(items)} 项" for c, items in groups.items() if items)


def _signature(notice: Notice) -> str:
    """Who issues the notice: the supervisors of its tasks, by their full names."""
    return "、".join(u.full_name for u in notice.supervisors.values()) or "督查督办单位"


def _fields(item: Item) -> list[tuple[str, str]]:
    return [
        ("编号", item.task_id),
        ("文件", item.doc),
        ("本单位职责", role_text(item)),
        ("时限", item.deadline_text),
        ("最近记录", item.last),
        ("督办单位", item.supervisor or "未明确"),
    ]


def _contacts(notice: Notice) -> list[str]:
    return [
        f"{u.name}（{u.full_name}）：{contact_text(u.contact) if u.contact else '未登记联系方式'}"
        for u in notice.supervisors.values()
    ]


def _opening(notice: Notice) -> str:
    return (
        f"截至{chinese_date(notice.as_of)}，你单位承担的下列任务需抓紧办理：{_counts(notice)}。"
        "请对照时限加快推进，及时签收并反馈进展；确有困难的，请说明原因和下一步安排。"
    )


def _commands(notice: Notice) -> list[str]:
    unit = notice.unit.name
    return [
        f"签收：cityplan ack 编号 --unit {unit}",
        f"反馈进展：{progress_command(unit)}",
    ]


def notice_md(notice: Notice) -> str:
    unit = notice.unit
    out = ["# 催办通知", "", f"{escape(unit.full_name)}：", "", escape(_opening(notice))]
    n = 0
    for category, items in notice.by_category().items():
        if not items:
            continue
        out += ["", f"## {ORDINALS[n]}、{CATEGORY_LABELS[category]}（{len(items)} 项）"]
        n += 1
        for k, item in enumerate(items, 1):
            out += ["", f"### {k}. {escape(item.title)}", ""]
            out += [f"- {label}：{escape(value)}" for label, value in _fields(item)]
    out += ["", f"## {ORDINALS[n]}、办理方式", ""]
    out += [
        f"- {escape(line.split('：', 1)[0])}：{markdown_code(line.split('：', 1)[1])}"
        for line in _commands(notice)
    ]
    out += ["", "## 联系方式", ""]
    out += [f"- {escape(line)}" for line in _contacts(notice)] or ["- 未明确督办单位"]
    out += ["", escape(_signature(notice)), "", chinese_date(notice.as_of)]
    return "\n".join(out) + "\n"


SUMMARY_HEADER = ["单位", *CATEGORY_LABELS.values(), "合计"]
ITEM_HEADER = ["单位", "编号", "任务", "事项", "时限", "最近记录", "督办单位"]


def summary_rows(notices: list[Notice]) -> list[list[str]]:
    rows = []
    for notice in notices:
        groups = notice.by_category()
        rows.append([notice.unit.name, *(str(len(groups[c])) for c in CATEGORIES), str(len(notice.items))])
    return rows


def item_rows(notices: list[Notice]) -> list[list[str]]:
    return [
        [
            n.unit.name,
            i.task_id,
            i.title,
            CATEGORY_LABELS[i.category],
            i.deadline_text,
            i.last,
            i.supervisor or "",
        ]
        for n in notices
        for i in n.items
    ]


def summary_md(notices: list[Notice], as_of: dt.date) -> str:
    total = sum(len(n.items) for n in notices)
    out = [
        "# 催办汇总",
        "",
        f"截至{chinese_date(as_of)}，向 {len(notices)} 个单位发出催办通知，涉及 {total} 项（次）任务。",
        "",
        "## 一、各单位情况",
        "",
        md_table(SUMMARY_HEADER, summary_rows(notices)).rstrip() if notices else "无。",
        "",
        "## 二、催办事项",
        "",
        md_table(ITEM_HEADER, item_rows(notices)).rstrip() if notices else "无。",
    ]
    return "\n".join(out) + "\n"


def notice_docx(notice: Notice) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from cityplan_cli.render.docx import BODY_FONT, HEADING_FONT, TITLE_FONT, official, paragraph, saved

    doc = official()
    paragraph(doc, "催办通知", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, f"{notice.unit.full_name}：", BODY_FONT, 16)
    paragraph(doc, _opening(notice), BODY_FONT, 16, indent=True)
    n = 0
    for category, items in notice.by_category().items():
        if not items:
            continue
        paragraph(doc, f"{ORDINALS[n]}、{CATEGORY_LABELS[category]}（{len(items)} 项）", HEADING_FONT, 16)
        n += 1
        for k, item in enumerate(items, 1):
            said = "；".join(f"{label}：{value}" for label, value in _fields(item))
            paragraph(doc, f"{k}. {item.title}。{said}。", BODY_FONT, 16, indent=True)
    paragraph(doc, f"{ORDINALS[n]}、办理方式", HEADING_FONT, 16)
    for line in _commands(notice):
        paragraph(doc, line, BODY_FONT, 12, indent=True)
    paragraph(
        doc, "联系方式：" + ("；".join(_contacts(notice)) or "未明确督办单位"), BODY_FONT, 16, indent=True
    )
    paragraph(doc, _signature(notice), BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, chinese_date(notice.as_of), BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return saved(doc, notice.as_of)


def summary_docx(notices: list[Notice], as_of: dt.date) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from cityplan_cli.render.docx import (
        BODY_FONT,
        HEADING_FONT,
        TITLE_FONT,
        official,
        paragraph,
        saved,
        table,
    )

    doc = official()
    paragraph(doc, "催办汇总", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    total = sum(len(n.items) for n in notices)
    paragraph(
        doc,
        f"截至{chinese_date(as_of)}，向 {len(notices)} 个单位发出催办通知，涉及 {total} 项（次）任务。",
        BODY_FONT,
        16,
        indent=True,
    )
    paragraph(doc, "一、各单位情况", HEADING_FONT, 16)
    table(doc, SUMMARY_HEADER, summary_rows(notices))
    paragraph(doc, "二、催办事项", HEADING_FONT, 16)
    table(doc, ITEM_HEADER, item_rows(notices))
    return saved(doc, as_of)
