"""Arbitrary TOML values in every field the loader knows, through `cityplan check`: any type, any
string (control characters included), nested lists and tables. Never a traceback, exit 0 or 2, every
problem at a line of its file; and on data `check` passes, the listings answer."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityplan_cli.load.documents import BASIS_KEYS, DOC_KEYS, MILESTONE_KEYS, RULE_KEYS, TASK_KEYS
from cityplan_cli.load.progress import RECORD_KEYS
from cityplan_cli.load.units import COLLECTIVE_KEYS, CONTACT_KEYS, UNIT_KEYS

NAMES = ["甲厅", "乙局", "丙市政府", "各组"]
UNITS = {
    "units": [
        {"name": "甲厅", "full_name": "甲省甲厅", "kind": "省直部门", "contact": {"phone": "0931-1"}},
        {"name": "乙局", "full_name": "甲省乙局", "kind": "省直部门", "aliases": ["乙"]},
        {"name": "丙市政府", "full_name": "丙市人民政府", "kind": "市州政府", "parent": "甲厅"},
    ],
    "collectives": [{"name": "各组", "members": ["乙局", "丙市政府"]}],
}
DOCUMENT = {
    "document": {
        "id": "d",
        "number": "甲发〔2024〕1号",
        "issuer": "甲厅",
        "date": dt.date(2024, 1, 1),
        "title": "标题",
        "addressees": ["各组"],
        "rules": [{"text": "规则", "local": ["丙市政府"], "from_seq": 1, "unless_kind": ["市州政府"]}],
    },
    "tasks": [
        {
            "id": "d-1",
            "seq": 1,
            "title": "任务",
            "text": "正文",
            "lead": ["甲厅"],
            "support": ["乙局"],
            "local": [],
            "due": dt.date(2025, 6, 30),
            "milestones": [{"date": dt.date(2024, 6, 30), "text": "节点"}],
            "basis": [{"quote": "甲厅牵头", "how": "named"}],
        },
        {"id": "d-2", "seq": 2, "title": "二", "lead": ["各组"], "due_working_days": 20},
    ],
}
PROGRESS = {
    "unit": "甲厅",
    "records": [
        {"task": "d-1", "date": dt.date(2024, 3, 1), "status": "in_progress", "note": "备注", "percent": 5}
    ],
}
SETTINGS = {"weights": {"lead": 2}, "capacity": {"省直部门": 3}, "lights": {"due_soon_days": 7}}

# Where a field lives: the file, the path to its table within the file's data, and the fields it knows.
PLACES: list[tuple[str, tuple[Any, ...], frozenset[str]]] = [
    ("units.toml", (), frozenset({"units", "collectives"})),
    ("units.toml", ("units", 0), UNIT_KEYS),
    ("units.toml", ("units", 2), UNIT_KEYS),
    ("units.toml", ("units", 0, "contact"), CONTACT_KEYS),
    ("units.toml", ("collectives", 0), COLLECTIVE_KEYS),
    ("d.toml", (), frozenset({"document", "tasks"})),
    ("d.toml", ("document",), DOC_KEYS),
    ("d.toml", ("document", "rules", 0), RULE_KEYS),
    ("d.toml", ("tasks", 0), TASK_KEYS),
    ("d.toml", ("tasks", 1), TASK_KEYS),
    ("d.toml", ("tasks", 0, "basis", 0), BASIS_KEYS),
    ("d.toml", ("tasks", 0, "milestones", 0), MILESTONE_KEYS),
    ("progress/甲厅.toml", (), frozenset({"unit", "records"})),
    ("progress/甲厅.toml", ("records", 0), RECORD_KEYS),
    ("cityplan.toml", (), frozenset({"weights", "capacity", "lights"})),
    ("cityplan.toml", ("weights",), frozenset({"lead", "support", "local"})),
    ("cityplan.toml", ("lights",), frozenset({"due_soon_days", "stale_days"})),
]

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    TEXT,
    st.sampled_from([*NAMES, "", "d-1", "done", "named", "seed", "\u200b甲厅", "甲\x1b[31m厅"]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, 1, 20, 7500, 7501, 10**9]),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.sampled_from([dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1948, 12, 31)]),
    st.datetimes(),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


DATES = frozenset({"date", "due", "start", "published"})
EDGES = st.sampled_from([dt.date(9999, 12, 31), dt.date(9999, 12, 1), dt.date(1, 1, 1), dt.date(2024, 2, 29)])


def value_for(key: str) -> st.SearchStrategy[Any]:
    """Any value; for a date field, often one at the calendar's edges."""
    return EDGES | VALUES if key in DATES else VALUES


FILES = {"units.toml": UNITS, "d.toml": DOCUMENT, "progress/甲厅.toml": PROGRESS, "cityplan.toml": SETTINGS}


@st.composite
def spoilt(draw, file: str) -> dict[str, Any]:
    """A file's data with arbitrary values in a few fields of each of its tables: inner tables
    first, so that a value put in place of a whole table (`tasks = 3`) has the last word."""
    data = copy.deepcopy(FILES[file])
    for _, path, known in sorted((p for p in PLACES if p[0] == file), key=lambda p: -len(p[1])):
        table = data
        for step in path:
            table = table[step]
        # known fields, and now and then an unknown one
        fields = st.sampled_from(sorted(known)).flatmap(lambda k: st.tuples(st.just(k), value_for(k)))
        table.update(draw(st.lists(fields | st.tuples(TEXT, VALUES), max_size=2)))
    return data


def write(root: Path, file: str, data: dict[str, Any]) -> None:
    for name, content in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomli_w.dumps(data if name == file else content), encoding="utf-8")


def run_app():
    from cityplan_cli.cli import app

    return app


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("file", list(FILES))
@given(data=st.data())
def test_any_value_in_any_field_through_check(run, file, data):
    spoiled = data.draw(spoilt(file))
    root = Path(tempfile.mkdtemp())
    try:
        write(root, file, spoiled)
        result = run.runner.invoke(
            run_app(), ["check", "--format", "json", "--no-cache", "--data", str(root)]
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 2), result.output
        for problem in json.loads(result.stdout):
            path = Path(problem["file"])
            if path == root:  # the data directory as a whole
                assert problem["line"] == 0, problem
                continue
            lines = max(1, len(path.read_text(encoding="utf-8").splitlines()))
            assert 1 <= problem["line"] <= lines, (problem, lines)
        if result.exit_code == 0:  # data `check` passes is data every listing reads
            for argv in (["tasks"], ["units"], ["duties", "甲厅"], ["report"]):
                answer = run.runner.invoke(
                    run_app(), [*argv, "--format", "json", "--no-cache", "--data", str(root)]
                )
                assert answer.exception is None or isinstance(answer.exception, SystemExit), (
                    argv,
                    answer.exception,
                )
                assert answer.exit_code == 0, (argv, answer.output)
    finally:
        shutil.rmtree(root)


def test_the_unspoilt_files_are_clean(run, tmp_path):
    """The base every example spoils passes `check`: what the examples find, they made."""
    write(tmp_path, "", {})
    result = run("check", "--format", "json", data=tmp_path)
    assert json.loads(result.stdout) == []
