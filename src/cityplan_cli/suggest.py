"""Owner suggestions for tasks the text leaves unowned, each with the words of the text behind it.

Three readings of a task's text, all driven by the registry: places named as the focus
(以金昌、嘉峪关…为重点) → those places' governments implement; enterprises relied on (依托金川集团…)
→ they take part; and the subjects the text covers, matched against each department's `remit`, →
the department whose remit it is leads. A suggestion is never an owner until `cityplan assign`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cityplan_cli.model import Dataset, Role, Task

# 以金昌、嘉峪关、白银、兰州等地为重点 / 以白银、兰州为中心 / 平凉、陇南等地为支撑 / 围绕兰州…等地区
_FOCUS = re.compile(
    r"以(?P<places>[^,\uff0c。;\uff1b:\uff1a以]+?)(?:等地区|等地|等市州)?为(?:重点|中心|核心|支撑)"
)
_AROUND = re.compile(r"围绕(?P<places>[^,\uff0c。;\uff1b:\uff1a]+?)等地区")
_SUPPORTING = re.compile(r"(?<=[,\uff0c])(?P<places>[^,\uff0c。;\uff1b:\uff1a以]+?)(?:等地)?为支撑")
# 依托金川集团、酒钢集团、白银有色集团等“链主”企业 / 依托甘肃稀土、白银有色集团等重点企业
_RELIED_ON = re.compile(r"依托(?P<names>[^,\uff0c。;\uff1b:\uff1a]+?)(?:等|为载体|,|\uff0c|。)")
_ENTERPRISE = re.compile(r"(集团|公司|石化|稀土|农牧|乳业|股份)$")
MAX_SUPPORT = 2


@dataclass(frozen=True)
class Suggestion:
    task_id: str
    unit: str
    role: Role
    basis: str  # place, enterprise or remit
    reason: str  # the words of the text (or the remit) behind it
    registered: bool = True
    score: int = 0  # for a remit: keyword hits, a hit in the title counting three times


def suggest(ds: Dataset, task: Task, scope: str | None = None) -> list[Suggestion]:
    """Owners for a task, among the units under the issuer of its document, or under `scope` (a
    unit, for a task handed down to it: a city's departments for a provincial item)."""
    found: dict[str, Suggestion] = {}
    for s in [*_places(ds, task), *_enterprises(ds, task), *_remit(ds, task, scope)]:
        if s.unit in task.owners or (scope is not None and scope not in _ancestors(ds, s.unit)):
            continue
        found.setdefault(s.unit, s)  # the first reading that names a unit gives its reason
    return list(found.values())


def _places(ds: Dataset, task: Task) -> list[Suggestion]:
    place_of = {p: u.name for u in ds.registry for p in u.places}
    out = []
    for pattern in (_FOCUS, _AROUND, _SUPPORTING):
        for m in pattern.finditer(task.text):
            for place in re.split("[、和及]", m["places"]):
                if place in place_of:
                    out.append(Suggestion(task.id, place_of[place], "local", "place", m.group(0)))
    return out


def _enterprises(ds: Dataset, task: Task) -> list[Suggestion]:
    out = []
    for m in _RELIED_ON.finditer(task.text):
        for name in m["names"].split("、"):
            unit = ds.registry.resolve(name)
            if unit is not None and ds.registry.get(unit).kind == "企业":
                out.append(Suggestion(task.id, unit, "support", "enterprise", m.group(0).rstrip(",\uff0c。")))
            elif unit is None and _ENTERPRISE.search(name):
                out.append(
                    Suggestion(task.id, name, "support", "enterprise", m.group(0).rstrip(",\uff0c。"), False)
                )
    return out


def _remit(ds: Dataset, task: Task, scope: str | None = None) -> list[Suggestion]:
    """The departments in the issuer's reach (or under `scope`) whose remit the text covers most, by
    keyword hits (a hit in the title counts three times)."""
    if scope is None:
        scope = _scope_root(ds, ds.documents[task.doc_id].issuer)
    scored = []
    for unit in ds.registry:
        if not unit.remit or (scope is not None and scope not in _ancestors(ds, unit.name)):
            continue
        hits = [k for k in unit.remit if k in task.title or k in task.text]
        score = sum(3 * task.title.count(k) + task.text.count(k) for k in hits)
        if score:
            scored.append((score, unit.name, hits))
    scored.sort(key=lambda s: (-s[0], s[1]))
    out = []
    for rank, (score, name, hits) in enumerate(scored[: 1 + MAX_SUPPORT]):
        words = "、".join(f"“{k}”" for k in hits)
        role: Role = "lead" if rank == 0 else "support"
        out.append(Suggestion(task.id, name, role, "remit", f"内容涉及{words}", score=score))
    return out


def _scope_root(ds: Dataset, issuer: str) -> str | None:
    """The government whose departments may own a document's tasks: the issuer, or the government
    an issuing office belongs to (金昌市人民政府办公室 → 金昌市政府)."""
    unit = ds.registry.resolve(issuer)
    if unit is None:
        return None
    return ds.registry.get(unit).parent or unit


def _ancestors(ds: Dataset, name: str) -> list[str]:
    if name not in ds.registry:  # an enterprise not registered yet
        return []
    chain, seen = [], {name}
    parent = ds.registry.get(name).parent
    while parent and parent in ds.registry and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = ds.registry.get(parent).parent
    return chain
