"""The weekly report as Markdown or as one self-contained HTML file (inline CSS and SVG, no network)."""

from __future__ import annotations

from typing import Any

from cityplan_cli.model import STATE_LABELS
from cityplan_cli.render import status_label
from cityplan_cli.render.columns import evidence_text
from cityplan_cli.render.markdown import md_table
from cityplan_cli.render.safe import document
from cityplan_cli.render.safe import markdown as escape
from cityplan_cli.tracking import LIGHT_LABELS

LIGHT_COLOURS = {"red": "#c62828", "yellow": "#f9a825", "green": "#2e7d32", "closed": "#78909c"}
STATUS_COLOURS = {
    "not_started": "#90a4ae",
    "in_progress": "#1e88e5",
    "done": "#43a047",
    "pending": "#fb8c00",
    "blocked": "#e53935",
}


def _units(units: list[str]) -> str:
    return "、".join(units)


def _percent(value: Any) -> str:
    return "" if value is None else f"{value}%"


def _parts(parts: list[dict[str, Any]]) -> str:
    """Each owner's part that has been reported: 金昌市政府 受阻 2026-11-25：资金未到位；…"""
    return "；".join(
        f"{p['unit']} {status_label(p['status'])} {p['date']}" + (f"：{p['note']}" if p["note"] else "")
        for p in parts
    )


def report_md(r: dict[str, Any]) -> str:
    out = [
        f"# 任务推进周报（{r['week']}）",
        "",
        f"统计截至 {r['as_of']}；本周 {r['from']} 至 {r['to']}；任务 {r['totals']['tasks']} 项。",
        "",
        "## 总体情况",
        "",
        md_table(
            ["", *STATE_LABELS.values()], [["状态", *map(str, r["totals"]["status"].values())]]
        ).rstrip(),
        "",
        md_table(
            ["", *LIGHT_LABELS.values()], [["亮灯", *map(str, r["totals"]["lights"].values())]]
        ).rstrip(),
    ]

    def section(title: str, header: list[str], rows: list[list[str]]) -> None:
        out.extend(["", f"## {title}（{len(rows)}）", ""])
        out.append(md_table(header, rows).rstrip() if rows else "无。")

    section(
        "红灯任务",
        ["编号", "任务", "牵头单位", "原因"],
        [[t["id"], t["title"], _units(t["lead"]), ";".join(t["reasons"])] for t in r["red"]],
    )
    section(
        "本周进展",
        ["日期", "单位", "编号", "任务", "状态", "进度", "说明", "佐证材料"],
        [
            [
                u["date"],
                u["unit"],
                u["task"],
                u["title"],
                status_label(u["status"]),
                _percent(u["percent"]),
                u["note"],
                evidence_text(u["evidence"]),
            ]
            for u in r["updates"]
        ],
    )
    section(
        "状态变化",
        ["编号", "任务", "上周", "本周"],
        [[c["task"], c["title"], status_label(c["from"]), status_label(c["to"])] for c in r["changes"]],
    )
    section(
        f"超过 {r['settings']['stale_days']} 天未更新",
        ["编号", "任务", "牵头单位", "最近更新"],
        [[t["id"], t["title"], _units(t["lead"]), t["last_update"] or "从未"] for t in r["stale"]],
    )
    section(
        "逾期未签收",
        ["编号", "任务", "未签收单位", "签收期限"],
        [
            [
                t["id"],
                t["title"],
                _units([u["unit"] for u in t["unacknowledged"]]),
                "、".join(dict.fromkeys(u["deadline"] for u in t["unacknowledged"])),
            ]
            for t in r["unacknowledged"]
        ],
    )
    section(
        "未落实责任单位", ["编号", "文件", "任务"], [[t["id"], t["doc"], t["title"]] for t in r["unowned"]]
    )
    section(
        "负荷过重的单位",
        ["单位", "类别", "负荷", "上限", "依据"],
        [
            [o["unit"], o["kind"], f"{o['load']:g}", f"{o['capacity']:g}", o["capacity_basis"]]
            for o in r["overloaded"]
        ],
    )
    section(
        "通报（考评排名）",
        BULLETIN_HEADER,
        bulletin_rows(r["bulletin"]),
    )
    out.extend(["", f"## 上级任务分解落实情况（{len(r['cascade'])}）", ""])
    out.append(md_table(CASCADE_HEADER, cascade_rows(r["cascade"])).rstrip() if r["cascade"] else "无。")
    out.extend(["", "## 各牵头单位任务"])
    for group in r["by_lead"]:
        out.extend(["", f"### {escape(group['unit'])}（{len(group['tasks'])} 项）", ""])
        out.append(
            md_table(
                ["编号", "任务", "状态", "亮灯", "完成时限", "最近更新", "进度", "各单位进展"],
                [
                    [
                        t["id"],
                        t["title"],
                        status_label(t["status"]),
                        LIGHT_LABELS[t["light"]],
                        t["due"] or "",
                        t["last_update"] or "",
                        _percent(t["percent"]),
                        _parts(t["parts"]),
                    ]
                    for t in group["tasks"]
                ],
            ).rstrip()
        )
    return "\n".join(out) + "\n"


CASCADE_HEADER = ["编号", "任务", "单位", "承担部分", "下级任务", "说明"]
BULLETIN_HEADER = [
    "排名",
    "单位",
    "得分",
    "按时率",
    "按时完成",
    "超期完成",
    "逾期",
    "按时签收/应签收",
    "反馈间隔（天）",
]


def bulletin_rows(scores: list[dict[str, Any]]) -> list[list[str]]:
    """Each scored unit, ranked, with what its score is made of."""
    from cityplan_cli.render.columns import SCORES

    shown = {c.field: c for c in SCORES}
    return [
        [
            str(s["rank"]),
            s["unit"],
            shown["score"].show(s["score"]),
            shown["on_time_rate"].show(s["on_time_rate"]),
            str(s["completed_on_time"]),
            str(s["completed_late"]),
            str(s["overdue"]),
            f"{s['acknowledged_on_time']}/{s['ack_due']}",
            shown["update_interval_mean"].show(s["update_interval_mean"]),
        ]
        for s in scores
    ]


def cascade_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    """Each part of each task that tasks beneath carry out; the units with nothing to show yet, in
    one row per task."""
    from cityplan_cli.render.tree import SOURCES

    rows = []
    for item in items:
        idle = []
        for p in item["parts"]:
            if p["source"] == "none":
                idle.append(p["unit"])
                continue
            notes = []
            if p["disagrees"]:
                notes.append(
                    f"自报「{status_label(p['recorded'])}」与下级汇总「{status_label(p['derived'])}」不一致"
                )
            if p["blocked"]:
                notes.append("受阻：" + "；".join(p["blocked"]))
            state = f"{status_label(p['status'])}（{SOURCES[p['source']]}）"
            rows.append([item["id"], item["title"], p["unit"], state, _units(p["tasks"]), "；".join(notes)])
        if idle:
            rows.append([item["id"], item["title"], _units(idle), SOURCES["none"], "", ""])
    return rows


def _bars(
    counts: dict[str, int | float], labels: dict[str, str], colours: dict[str, str]
) -> list[dict[str, Any]]:
    """Bars for an inline SVG chart: label, value, width in per cent of the longest, colour."""
    top = max(counts.values(), default=0) or 1
    return [
        {
            "label": labels.get(k, k),
            "value": v,
            "width": round(100 * v / top, 1),
            "colour": colours.get(k, "#546e7a"),
        }
        for k, v in counts.items()
    ]


def report_html(r: dict[str, Any]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("cityplan_cli", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Every value printed, before autoescaping: no control character from the data in the page.
    env.finalize = lambda value: document(value) if isinstance(value, str) else value
    env.filters["status"] = status_label
    env.filters["light"] = LIGHT_LABELS.get
    env.filters["units"] = _units
    env.filters["percent"] = _percent
    env.filters["parts"] = _parts
    env.filters["evidence"] = evidence_text
    env.globals["cascade"] = (CASCADE_HEADER, cascade_rows(r["cascade"]))
    env.globals["bulletin"] = (BULLETIN_HEADER, bulletin_rows(r["bulletin"]))
    charts = {
        "lights": _bars(r["totals"]["lights"], LIGHT_LABELS, LIGHT_COLOURS),
        "status": _bars(r["totals"]["status"], STATE_LABELS, STATUS_COLOURS),
        "workload": _bars({w["unit"]: w["load"] for w in r["workload"]}, {}, {}),
    }
    return env.get_template("weekly.html").render(r=r, charts=charts, colours=LIGHT_COLOURS)
