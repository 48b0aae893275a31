"""A synthetic data directory of N tasks and M units, shaped like real plans.

    python benchmarks/gen.py N M [--out DIR] [--seed S]

Documents of 20–500 items, each item naming 1–12 units (a lead, supports, local governments), some
through collectives; units with aliases; a document rule now and then; progress records for about a
third of the tasks, in one clone's file per unit as `cityplan progress` writes them. The same N, M
and seed give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

KINDS = ["省直部门", "省委部门", "中央驻甘单位", "群团组织", "市州政府", "县区政府"]
STATUSES = ["not_started", "in_progress", "done", "blocked"]
VERBS = ["推进", "加强", "完善", "深化", "健全", "加快", "强化", "优化"]
SUBJECTS = [
    "城市更新",
    "农村供水",
    "产业园区",
    "职业技能培训",
    "数字政府",
    "生态保护",
    "交通网络",
    "公共服务",
]


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def generate(n_tasks: int, n_units: int, out: Path, seed: int = 0) -> None:
    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "progress").mkdir(exist_ok=True)
    units = [f"测试单位{i:05d}" for i in range(n_units)]
    kinds = {u: KINDS[i % len(KINDS)] for i, u in enumerate(units)}
    local = [u for u in units if kinds[u] in ("市州政府", "县区政府")]
    departments = [u for u in units if u not in local]
    collectives = {
        f"测试集合{i:03d}": rnd.sample(local, min(len(local), 14)) for i in range(max(1, n_units // 200))
    }

    lines = ["# Synthetic registry for benchmarks.\n"]
    for i, unit in enumerate(units):
        lines.append(
            f'\n[[units]]\nname = "{unit}"\nfull_name = "甘肃省{unit}全称"\nkind = "{kinds[unit]}"\n'
        )
        if i % 3 == 0:
            lines.append(f'aliases = ["{unit}别名"]\n')
    for name, members in collectives.items():
        lines.append(f'\n[[collectives]]\nname = "{name}"\nmembers = [{", ".join(map(q, members))}]\n')
    (out / "units.toml").write_text("".join(lines), encoding="utf-8")
    (out / "cityplan.toml").write_text("[weights]\nlead = 2\nsupport = 1\nlocal = 1\n", encoding="utf-8")

    progress: dict[str, list[str]] = {}
    made, doc_no = 0, 0
    while made < n_tasks:
        doc_no += 1
        size = min(rnd.randint(20, 500), n_tasks - made)
        doc_id = f"doc-{doc_no:05d}"
        date = dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 700))
        parts = [
            f'[document]\nid = "{doc_id}"\nnumber = "测政发〔{date.year}〕{doc_no}号"\n'
            f'issuer = "测试省人民政府"\ndate = {date}\ntitle = "第{doc_no}号测试行动方案"\n'
        ]
        if doc_no % 5 == 0:
            collective = rnd.choice(list(collectives))
            parts.append(
                f'\n[[document.rules]]\ntext = "以下任务均需{collective}落实"\nlocal = ["{collective}"]\n'
            )
        for seq in range(1, size + 1):
            owners = rnd.sample(departments, rnd.randint(1, min(8, len(departments))))
            places = rnd.sample(local, rnd.randint(0, min(3, len(local))))
            if rnd.random() < 0.1:
                places.append(rnd.choice(list(collectives)))
            if rnd.random() < 0.2:
                owners[0] = owners[0] + "别名" if units.index(owners[0]) % 3 == 0 else owners[0]
            title = f"{rnd.choice(VERBS)}{rnd.choice(SUBJECTS)}第{seq}项"
            task_id = f"{doc_id}-{seq:03d}"
            parts.append(
                f'\n[[tasks]]\nid = "{task_id}"\nseq = {seq}\nsection = "二、重点任务"\ntitle = "{title}"\n'
                f'text = "{title}。'
                + "按照部署要求扎实推进各项工作,确保按期完成。"
                * rnd.randint(1, 4)
                + '"\n'
                f"lead = [{q(owners[0])}]\nsupport = [{', '.join(map(q, owners[1:]))}]\n"
                f"local = [{', '.join(map(q, places))}]\n"
            )
            if rnd.random() < 0.3:
                unit = owners[0].removesuffix("别名")
                day = date + dt.timedelta(days=rnd.randint(1, 300))
                progress.setdefault(unit, []).append(
                    f'\n[[records]]\nid = "{day}-{rnd.getrandbits(24):06x}"\ntask = "{task_id}"\n'
                    f'date = {day}\nstatus = "{rnd.choice(STATUSES)}"\npercent = {rnd.randint(0, 100)}\n'
                    f'note = "第{rnd.randint(1, 9)}次调度"\nby = "调度员"\nentered = {day}T09:00:00+08:00\n'
                )
        (out / f"{doc_id}.toml").write_text("".join(parts), encoding="utf-8")
        made += size
    for unit, records in progress.items():  # one clone's file per unit, as `cityplan progress` writes
        (out / "progress" / unit).mkdir(exist_ok=True)
        (out / "progress" / unit / "0a1b2c3d.toml").write_text(
            f'unit = "{unit}"\n' + "".join(records), encoding="utf-8"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tasks", type=int)
    parser.add_argument("units", type=int)
    parser.add_argument("--out", type=Path, default=None, help="default: build/bench-N-M")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out = args.out or Path("build") / f"bench-{args.tasks}-{args.units}"
    generate(args.tasks, args.units, out, args.seed)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
