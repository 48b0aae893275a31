"""Which fields each listing shows, under which Chinese heading."""

from __future__ import annotations

from cityplan_cli.render import Column, role_label, status_label

TASK = (
    Column("id", "编号"),
    Column("doc", "文件"),
    Column("seq", "序号"),
    Column("section", "所属部分", wide=True),
    Column("title", "任务"),
    Column("text", "内容", wide=True),
    Column("lead", "牵头单位"),
    Column("support", "配合单位"),
    Column("local", "落实单位"),
    Column("status", "状态", status_label),
    Column("due", "完成时限"),
)

DUTY = (
    Column("role", "职责", role_label),
    Column("via", "经由"),
    *TASK,
)

PROBLEM = (
    Column("file", "文件"),
    Column("line", "行"),
    Column("severity", "级别"),
    Column("message", "问题"),
)
