"""Load, capacity and the outlier rule; `cityplan units` and `cityplan overloaded`."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityplan_cli.workload import outlier_threshold

UNITS = """
[[units]]
name = "甲厅"
full_name = "测试省甲厅"
kind = "省直部门"
{capacity}
[[units]]
name = "乙厅"
full_name = "测试省乙厅"
kind = "省直部门"

[[units]]
name = "丙厅"
full_name = "测试省丙厅"
kind = "省直部门"

[[units]]
name = "丁厅"
full_name = "测试省丁厅"
kind = "省直部门"

[[units]]
name = "戊厅"
full_name = "测试省戊厅"
kind = "省直部门"

[[units]]
name = "一市政府"
full_name = "一市人民政府"
kind = "市州政府"

[[units]]
name = "二市政府"
full_name = "二市人民政府"
kind = "市州政府"
"""


def dataset(root: Path, leads: dict[str, int], settings: str = "", capacity: str = "") -> Path:
    """A data directory where each unit leads the given number of tasks (weights: lead 1)."""
    root.mkdir()
    (root / "units.toml").write_text(UNITS.format(capacity=capacity), encoding="utf-8")
    (root / "cityplan.toml").write_text("[weights]\nlead = 1\nsupport = 1\nlocal = 1\n" + settings, "utf-8")
    parts = ['[document]\nid = "t"\ntitle = "测试"\nissuer = "测试省人民政府"\n']
    seq = 0
    for unit, n in leads.items():
        for _ in range(n):
            seq += 1
            parts.append(f'[[tasks]]\nid = "t-{seq}"\nseq = {seq}\ntitle = "任务{seq}"\nlead = ["{unit}"]\n')
    (root / "t.toml").write_text("\n".join(parts), encoding="utf-8")
    return root


LOADS = {"甲厅": 20, "乙厅": 4, "丙厅": 3, "丁厅": 2, "戊厅": 1, "一市政府": 9, "二市政府": 1}


def test_outlier_threshold_by_hand():
    # Loads 1 2 3 4 20: Q1 = 2, Q3 = 4 (inclusive quartiles), IQR = 2, threshold 4 + 3 = 7.
    assert outlier_threshold([1, 2, 3, 4, 20]) == 7
    assert outlier_threshold([5, 5, 5]) is None  # too few to compare
    # Units carrying nothing are not peers: four loads of 0 and one of 5 judge nobody.
    assert outlier_threshold([0, 0, 0, 0, 5]) is None


@given(st.lists(st.floats(min_value=0, max_value=500), min_size=4, max_size=40))
def test_the_fence_is_never_below_the_median_of_the_loads_carried(loads):
    carried = [x for x in loads if x > 0]
    threshold = outlier_threshold(loads)
    assert (threshold is None) == (len(carried) < 4)
    if threshold is not None:
        assert threshold >= statistics.median(carried)


def test_the_outlier_of_its_kind_is_flagged(run, tmp_path):
    data = dataset(tmp_path / "d", LOADS)
    rows = run.json("overloaded", data=data)
    assert [(r["name"], r["load"], r["capacity"], r["capacity_rule"]) for r in rows] == [
        ("甲厅", 20, 7, "outlier")
    ]
    basis = rows[0]["capacity_basis"]  # the numbers behind the fence
    assert all(f in basis for f in ("Q1 = 2", "Q3 = 4", "IQR = 2", "中位数 = 3", "n = 5")), basis
    # 一市政府 carries 9, far above 二市政府, but two cities are too few to judge.
    units = {u["name"]: u for u in run.json("units", data=data)}
    assert units["一市政府"]["capacity"] is None and not units["一市政府"]["overloaded"]
    run("overloaded", "--fail-on-findings", "--format", "json", data=data, code=1)


def test_a_group_carrying_too_little_is_not_judged(run, tmp_path):
    """A unit whose peers carry nothing is not judged against zero, and says why."""
    data = dataset(tmp_path / "d", {"甲厅": 5, "一市政府": 1})
    units = {u["name"]: u for u in run.json("units", data=data)}
    assert units["甲厅"]["capacity"] is None and not units["甲厅"]["overloaded"]
    assert "未判断" in units["甲厅"]["capacity_basis"] and "有任务的 1 个" in units["甲厅"]["capacity_basis"]
    assert run.json("overloaded", data=data) == []


def test_a_first_task_never_overloads(run, tmp_path):
    """Four departments with one supporting duty each, one newly given a task to lead: its load (2)
    is above everyone's 1, but one duty is never too many."""
    data = dataset(tmp_path / "d", {"甲厅": 1})
    (data / "cityplan.toml").write_text("[weights]\nlead = 2\nsupport = 1\nlocal = 1\n", encoding="utf-8")
    text = (data / "t.toml").read_text(encoding="utf-8")
    for n, unit in enumerate(["乙厅", "丙厅", "丁厅", "戊厅"], 2):
        text += f'\n[[tasks]]\nid = "t-{n}"\nseq = {n}\ntitle = "任务{n}"\nsupport = ["{unit}"]\n'
    (data / "t.toml").write_text(text, encoding="utf-8")
    units = {u["name"]: u for u in run.json("units", data=data)}
    assert units["甲厅"]["load"] > units["甲厅"]["capacity"] and not units["甲厅"]["overloaded"]


def test_capacity_precedence(run, tmp_path):
    # A kind capacity replaces the outlier rule for that kind …
    data = dataset(tmp_path / "a", LOADS, settings='[capacity]\n"市州政府" = 5\n')
    assert {(r["name"], r["capacity_rule"]) for r in run.json("overloaded", data=data)} == {
        ("甲厅", "outlier"),
        ("一市政府", "kind capacity"),
    }
    # … a unit's own capacity wins over its kind's …
    data = dataset(tmp_path / "b", LOADS, settings='[capacity]\n"省直部门" = 3\n', capacity="capacity = 25")
    rows = {r["name"]: r for r in run.json("units", data=data)}
    assert (rows["甲厅"]["capacity"], rows["甲厅"]["capacity_rule"], rows["甲厅"]["overloaded"]) == (
        25,
        "unit capacity",
        False,
    )
    assert (rows["乙厅"]["capacity"], rows["乙厅"]["overloaded"]) == (3, True)
    # … and --max wins over everything.
    rows = run.json("overloaded", "--max", "8.5", data=data)
    assert [(r["name"], r["capacity"], r["capacity_rule"]) for r in rows] == [
        ("甲厅", 8.5, "--max"),
        ("一市政府", 8.5, "--max"),
    ]


def test_weights_come_from_settings(run, tmp_path):
    data = dataset(tmp_path / "d", {"甲厅": 2}, settings="")
    (data / "cityplan.toml").write_text("[weights]\nlead = 2.5\n", encoding="utf-8")
    assert {u["name"]: u["load"] for u in run.json("units", data=data)}["甲厅"] == 5


def test_bad_settings_are_located(run, tmp_path):
    data = dataset(tmp_path / "d", {"甲厅": 1})
    (data / "cityplan.toml").write_text("[weights]\nlead = -1\nboss = 3\n", encoding="utf-8")
    found = json.loads(run("check", "--format", "json", data=data, code=2).stdout)
    assert [(p["line"], p["severity"]) for p in found] == [(2, "error"), (3, "warning")]


def test_bundled_data(run):
    rows = {r["name"]: r for r in run.json("overloaded")}
    assert "省发展改革委" in rows
    ndrc = rows["省发展改革委"]
    # 10 leads in 甘政发〔2024〕57号 and 牵头抓总 in 甘政发〔2023〕73号; 9 supports; the notice of 73号
    # through 省政府各部门.
    assert (ndrc["lead_count"], ndrc["support_count"], ndrc["local_count"], ndrc["load"]) == (11, 9, 1, 32)
    assert ndrc["capacity_rule"] == "outlier" and ndrc["load"] > ndrc["capacity"]
    units = {u["name"]: u for u in run.json("units")}
    single_support = [
        n for n, u in units.items() if (u["lead_count"], u["support_count"], u["local_count"]) == (0, 1, 1)
    ]
    assert "省司法厅" in single_support
    assert not any(units[n]["overloaded"] for n in single_support)
    table = run("overloaded", "--format", "table").stdout
    assert "省发展改革委" in table and "Q3 + 1.5×IQR" in table


def test_units_listing(run):
    units = run.json("units", "--sort", "load")
    loads = [u["load"] for u in units]
    assert loads == sorted(loads, reverse=True)
    fields = {
        "name",
        "full_name",
        "aliases",
        "kind",
        "lead_count",
        "support_count",
        "local_count",
        "load",
        "capacity",
    }
    assert all(fields <= set(u) for u in units)
    jinchang = next(u for u in units if u["name"] == "金昌市政府")
    assert (jinchang["full_name"], jinchang["local_count"]) == ("金昌市人民政府", 31)
    collective = next(u for u in units if u["name"] == "各市州政府")
    assert collective["members"][:2] == ["兰州市政府", "嘉峪关市政府"] and collective["capacity"] is None
    assert [u["name"] for u in run.json("units", "--sort", "name")] == sorted(u["name"] for u in units)


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_units_formats(run, fmt):
    out = run("units", "--format", fmt).stdout
    assert "省发展改革委" in out and "甘肃省发展和改革委员会" in out
