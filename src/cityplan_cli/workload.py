"""Load and capacity: which units carry more than they can.

A unit's load is the weighted count of its duties (weights from cityplan.toml). Its capacity comes from,
in order: `--max N`, its own `capacity` in the registry, the capacity of its kind in cityplan.toml, or
else its peers: above Q3 + 1.5 × IQR of the loads of units of the same kind is an outlier.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import quantiles

from cityplan_cli.model import ROLES, Settings
from cityplan_cli.registry import Registry

MIN_PEERS = 4  # fewer units of a kind give no meaningful quartiles

# How the capacity was set; the CLI shows these words.
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
    rule: str
    basis: str  # the rule in words, for people: "同类 27 个省直部门负荷的 Q3 + 1.5×IQR"
    collective: bool = False

    @property
    def overloaded(self) -> bool:
        return self.capacity is not None and self.load > self.capacity


def outlier_threshold(loads: list[float]) -> float | None:
    """Q3 + 1.5 × IQR, or None when there are too few loads to judge."""
    if len(loads) < MIN_PEERS:
        return None
    q1, _, q3 = quantiles(loads, n=4, method="inclusive")
    return q3 + 1.5 * (q3 - q1)


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
    thresholds = {kind: outlier_threshold(values) for kind, values in peers.items()}

    result = []
    for unit in registry:
        capacity, rule, basis = None, RULE_NONE, "集合：任务由成员单位承担"
        if not unit.is_collective:
            capacity, rule, basis = _capacity(unit.capacity, settings, unit.kind, max_load, thresholds, peers)
        c = counts.get(unit.name, {})
        result.append(
            Workload(
                unit=unit.name,
                kind=unit.kind,
                **{role: c.get(role, 0) for role in ROLES},
                load=loads[unit.name],
                capacity=capacity,
                rule=rule,
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
    thresholds: dict[str, float | None],
    peers: dict[str, list[float]],
) -> tuple[float | None, str, str]:
    by_kind = settings.capacity_by_kind.get(kind)
    if max_load is not None:
        return max_load, RULE_MAX, f"命令行 --max {max_load:g}"
    if own is not None:
        return own, RULE_UNIT, "units.toml 中本单位的 capacity"
    if by_kind is not None:
        return by_kind, RULE_KIND, f"cityplan.toml 中{kind}的 capacity"
    threshold = thresholds.get(kind)
    if threshold is None:
        return None, RULE_NONE, f"未设上限；同类{kind}仅 {len(peers[kind])} 个，不足 {MIN_PEERS} 个无法比较"
    return threshold, RULE_OUTLIER, f"同类 {len(peers[kind])} 个{kind}负荷的 Q3 + 1.5×IQR"


def heaviest_overloaded(loads: list[Workload]) -> list[Workload]:
    return sorted((w for w in loads if w.overloaded), key=lambda w: -w.load)
