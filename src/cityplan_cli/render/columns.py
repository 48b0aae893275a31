"""Which fields each listing shows, under which Chinese heading."""

from __future__ import annotations

from cityplan_cli.render import Column, role_label, status_label

TASK = (
    Column("id", "编号"),
    Column("doc", "文件"),
    Column("seq", "序号"),
    Column("label", "项次", wide=True),
    Column("section", "所属部分", wide=True),
    Column("title", "任务"),
    Column("text", "内容", wide=True),
    Column("lead", "牵头单位"),
    Column("support", "配合单位"),
    Column("local", "落实单位"),
    Column("status", "状态", status_label),
    Column("due", "完成时限"),
    Column("time_limit", "办理时限", wide=True),
)

DUTY = (
    Column("role", "职责", role_label),
    Column("via", "经由"),
    Column("id", "编号"),
    Column("doc", "文件", wide=True),
    Column("seq", "序号", wide=True),
    Column("section", "所属部分", wide=True),
    Column("title", "任务"),
    Column("text", "内容", wide=True),
    Column("lead", "牵头单位"),
    Column("support", "配合单位"),
    Column("local", "落实单位", wide=True),
    Column("status", "状态", status_label),
    Column("part", "本单位进展", lambda v: "" if v is None else status_label(v)),
    Column("part_date", "进展日期", wide=True),
    Column("part_note", "进展说明", wide=True),
    Column("due", "完成时限"),
    Column("time_limit", "办理时限", wide=True),
)

PROBLEM = (
    Column("file", "文件"),
    Column("line", "行"),
    Column("severity", "级别"),
    Column("message", "问题"),
)

UNIT = (
    Column("name", "单位"),
    Column("full_name", "全称"),
    Column("kind", "类别"),
    Column("lead_count", "牵头"),
    Column("support_count", "配合"),
    Column("local_count", "落实"),
    Column("load", "负荷", lambda v: f"{v:g}"),
    Column("capacity", "上限", lambda v: "" if v is None else f"{v:g}"),
    Column("overloaded", "超负荷", lambda v: "是" if v else ""),
)

OVERLOAD = (
    Column("name", "单位"),
    Column("kind", "类别"),
    Column("load", "负荷", lambda v: f"{v:g}"),
    Column("capacity", "上限", lambda v: "" if v is None else f"{v:g}"),
    Column("capacity_basis", "上限依据"),
    Column("lead_count", "牵头"),
    Column("support_count", "配合"),
    Column("local_count", "落实"),
)


def _others(role: str):
    return lambda others: "、".join(others[role])


CHECKLIST = (
    Column("role", "职责", role_label),
    Column("doc", "文件"),
    Column("seq", "序号"),
    Column("label", "项次"),
    Column("title", "任务"),
    Column("text", "内容"),
    Column("others", "牵头单位", _others("lead")),
    Column("others", "配合单位", _others("support")),
    Column("others", "落实单位", _others("local")),
    Column("via", "经由"),
    Column("due", "完成时限"),
    Column("time_limit", "办理时限"),
    Column("status", "状态", status_label),
)

SUMMARY = (
    Column("measure", "指标"),
    Column("value", "数值"),
)

DOCUMENT = (
    Column("index", "序号"),
    Column("id", "编号"),
    Column("title", "标题"),
    Column("number", "发文字号"),
    Column("date", "成文日期"),
    Column("published", "发布日期"),
    Column("tasks", "任务数"),
    Column("unowned", "未落实责任"),
)

SUGGESTION = (
    Column("task_id", "编号"),
    Column("title", "任务"),
    Column("role", "建议职责", role_label),
    Column("unit", "建议单位", lambda v: v),
    Column("registered", "已登记", lambda v: "是" if v else "否（先登记再指派）"),
    Column("reason", "依据"),
)
