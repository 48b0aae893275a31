"""Load and capacity: which units carry more than they can.

A unit's load is the weighted count of its duties (weights from cityplan.toml). Its capacity comes from,
in order: `--max N`, its own `capacity` in the registry, the capacity of its peer group (its kind) in
cityplan.toml, or else its peers: the fence Q3 + 1.5 × IQR of the loads of the units of its kind that
carry any, never below their median. A group with fewer than MIN_PEERS units carrying load is not
judged (the basis says why), and one duty is never too many.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import median, quantiles

from cityplan_cli.model import ROLES, Settings
from cityplan_cli.registry import Registry

MIN_PEERS = 4  # fewer units carrying load give no meaningful quartiles

# How the capacity was set; JSON carries these words.
RULE_MAX = "--max"
RULE_UNIT = "unit capacity"
RULE_KIND = "kind capacity"
RULE_OUTLIER = "outlier"
RULE_NONE = "none"


@dataclass(frozen=True, slots=True)
class Workload:
    unit: str
    kind: str
    lead: int
    support: int
    local: int
    load: float
    capacity: float | None
    capacity_rule: str
    basis: str  # the rule in words and numbers, for people: "同类 27 个省直部门中 … Q3 = 6，IQR = 4 …"
    collective: bool = False

    @property
    def duties(self) -> int:
        return self.lead + self.support + self.local

    @property
    def overloaded(self) -> bool:
        # One duty is never too many: a unit just given its first task is not overloaded by it.
        return self.capacity is not None and self.load > self.capacity and self.duties > 1


@dataclass(frozen=True, slots=True)
class Fence:
    """What the loads of a peer group say: the outlier fence and the numbers behind it."""

    n: int  # units carrying load
    q1: float
    q3: float
    middle: float  # the median

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @property
    def threshold(self) -> float:
        return max(self.q3 + 1.5 * self.iqr, self.middle)


def fence(loads: list[float]) -> Fence | None:
    """The fence over the loads that are above zero, or None when too few units carry any."""
    carrying = [load for load in loads if load > 0]
    if len(carrying) < MIN_PEERS:
        return None
    q1, _, q3 = quantiles(carrying, n=4, method="inclusive")
    return Fence(len(carrying), q1, q3, median(carrying))


def outlier_threshold(loads: list[float]) -> float | None:
    """Q3 + 1.5 × IQR of the loads carried (never below their median), or None when too few."""
    found = fence(loads)
    return found.threshold if found else None


def workloads(
    registry: Registry,
    settings: Settings,
    counts: dict[str, dict[str, int]],
    max_load: float | None = None,
) -> list[Workload]:
    """Every unit's counts (unit → role → duties), load and capacity, in registry order. Collectives
    are listed with their own assignments but never judged: their members carry what they must do."""
    weights = settings.weights
    loads = {u.name: sum(weights[role] * n for role, n in counts.get(u.name, {}).items()) for u in registry}
    peers: dict[str, list[float]] = defaultdict(list)
    for unit in registry:
        if not unit.is_collective:
            peers[unit.kind].append(loads[unit.name])
    fences = {kind: fence(values) for kind, values in peers.items()}

    result = []
    for unit in registry:
        capacity, rule, basis = None, RULE_NONE, "集合：任务由成员单位承担"
        if not unit.is_collective:
            capacity, rule, basis = _capacity(unit.capacity, settings, unit.kind, max_load, fences, peers)
        c = counts.get(unit.name, {})
        result.append(
            Workload(
                unit=unit.name,
                kind=unit.kind,
                **{role: c.get(role, 0) for role in ROLES},
                load=loads[unit.name],
                capacity=capacity,
                capacity_rule=rule,
                basis=basis,
                collective=unit.is_collective,
            )
        )
    return result


def _capacity(
    own: float | None,
    settings: Settings,
    kind: str,
    max_load: float | None,
    fences: dict[str, Fence | None],
    peers: dict[str, list[float]],
) -> tuple[float | None, str, str]:
    by_kind = settings.capacity_by_kind.get(kind)
    if max_load is not None:
        return max_load, RULE_MAX, f"命令行 --max {max_load:g}"
    if own is not None:
        return own, RULE_UNIT, "units.toml 中本单位的 capacity"
    if by_kind is not None:
        return by_kind, RULE_KIND, f"cityplan.toml 中{kind}的 capacity"
    found = fences.get(kind)
    group = f"同类{kind} {len(peers[kind])} 个"
    if found is None:
        carrying = sum(load > 0 for load in peers[kind])
        return (
            None,
            RULE_NONE,
            f"未判断：{group}，有任务的 {carrying} 个，不足 {MIN_PEERS} 个无法比较"
            "（可在 cityplan.toml 为其设上限）",
        )
    numbers = (
        f"Q1 = {found.q1:g}，Q3 = {found.q3:g}，IQR = {found.iqr:g}，中位数 = {found.middle:g}，n = {found.n}"
    )
    return (
        found.threshold,
        RULE_OUTLIER,
        f"{group}中有任务的 {found.n} 个：上限取 Q3 + 1.5×IQR 与中位数之大者（{numbers}）",
    )


def heaviest_overloaded(loads: list[Workload]) -> list[Workload]:
    return sorted((w for w in loads if w.overloaded), key=lambda w: -w.load)
