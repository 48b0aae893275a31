"""Load and capacity: which units carry more than they can.

A unit's load is the weighted count of its duties (weights from cityplan.toml). Its capacity comes from,
in order: `--max N`, its own `capacity` in the registry, the capacity of its kind in cityplan.toml, or
else its peers: above Q3 + 1.5 × IQR of the loads of units of the same kind is an outlier.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import quantiles

import networkx as nx

from cityplan_cli import graph
from cityplan_cli.load import Dataset
from cityplan_cli.model import ROLES

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


def workloads(ds: Dataset, g: nx.DiGraph, max_load: float | None = None) -> list[Workload]:
    """Every unit's counts, load and capacity, in registry order. Collectives are listed with their
    own assignments but never judged: what they must do is carried by their members."""
    weights = ds.settings.weights
    counts: dict[str, Counter[str]] = {}
    loads: dict[str, float] = {}
    for unit in ds.registry:
        counts[unit.name] = Counter(d.role for d in graph.duties(g, unit.name, ordered=False))
        loads[unit.name] = sum(weights[role] * n for role, n in counts[unit.name].items())

    peers: dict[str, list[float]] = defaultdict(list)
    for unit in ds.registry:
        if not unit.is_collective:
            peers[unit.kind].append(loads[unit.name])
    thresholds = {kind: outlier_threshold(values) for kind, values in peers.items()}

    result = []
    for unit in ds.registry:
        capacity, rule, basis = None, RULE_NONE, "集合：任务由成员单位承担"
        if not unit.is_collective:
            capacity, rule, basis = _capacity(ds, unit.name, unit.kind, max_load, thresholds, peers)
        c = counts[unit.name]
        result.append(
            Workload(
                unit=unit.name,
                kind=unit.kind,
                **{role: c[role] for role in ROLES},
                load=loads[unit.name],
                capacity=capacity,
                rule=rule,
                basis=basis,
                collective=unit.is_collective,
            )
        )
    return result


def _capacity(
    ds: Dataset,
    name: str,
    kind: str,
    max_load: float | None,
    thresholds: dict[str, float | None],
    peers: dict[str, list[float]],
) -> tuple[float | None, str, str]:
    own = ds.registry.get(name).capacity
    by_kind = ds.settings.capacity_by_kind.get(kind)
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


def overloaded(ds: Dataset, g: nx.DiGraph, max_load: float | None = None) -> list[Workload]:
    """The overloaded units, heaviest first."""
    return heaviest_overloaded(workloads(ds, g, max_load))


def heaviest_overloaded(loads: list[Workload]) -> list[Workload]:
    return sorted((w for w in loads if w.overloaded), key=lambda w: -w.load)
