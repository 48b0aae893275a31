"""`cityplan import` on hostile input: every pattern runs in time linear in the text (RE2), so a
megabyte of one repeated token imports or is refused within seconds; arbitrary text and bytes never
end in a traceback, and a refusal writes nothing."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DATA = Path(__file__).resolve().parents[2] / "tasks"
LIMIT = 5.0  # seconds
SIZE = 600_000  # characters: large enough that a quadratic pattern would take minutes


@pytest.fixture(scope="module")
def registry_only(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("data")
    shutil.copy(DATA / "units.toml", root)
    return root


def repeat(token: str, head: str = "") -> str:
    return head + token * ((SIZE - len(head)) // len(token))


HOSTILE = {
    "paren then spaces": repeat(" ", "(一)"),  # took 80 s with a \s*…$ pattern
    "one character": repeat("责"),
    "open brackets": repeat("(", "1.任务"),
    "clause openings": repeat("(责任单位:", "1.任务"),
    "labels": repeat("牵头单位:", "1.任务\n"),
    "separators in a clause": repeat("、", "1.任务(责任单位:") + ")",
    "units in a clause": repeat("省住建厅、", "1.任务(责任单位:") + ")",
    "deadlines": repeat("2025年底前,", "1.任务"),
    "leads in the text": repeat("省发展改革委牵头", "1.任务"),
    "yishi": repeat("一是"),
    "numbered lines": repeat("1.任务\n"),
    "table cells": repeat(" | ", "序号 | 任务 | 牵头单位\n1 | 任务"),
    "table rows": repeat("1 | 任务 | 省住建厅\n", "序号 | 任务 | 牵头单位\n"),
    "docno lines": repeat("甘政发〔2024〕1号\n"),
    "addressee lines": repeat("各市州政府:\n"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_repeated_tokens_import_or_are_refused_quickly(run, registry_only, tmp_path, name):
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE[name], encoding="utf-8")
    out = tmp_path / "out"
    start = time.perf_counter()
    result = run.runner.invoke(
        run_app(), ["import", str(source), "--out", str(out), "--data", str(registry_only)]
    )
    elapsed = time.perf_counter() - start
    assert result.exit_code in (0, 2), result.exception
    assert elapsed < LIMIT, f"{name}: {elapsed:.1f} s"
    if result.exit_code == 2:
        assert not out.exists()


@pytest.mark.parametrize("size", [10_000_000], ids=["10 MB"])
def test_ten_megabytes_are_refused_quickly(run, registry_only, tmp_path, size):
    source = tmp_path / "huge.txt"
    source.write_bytes(b"a" * size)
    start = time.perf_counter()
    result = run("import", source, data=registry_only, code=2)
    assert time.perf_counter() - start < LIMIT
    assert "more than any document holds" in result.stderr


def run_app():
    from cityplan_cli.cli import app

    return app


TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "一二三是、.．﹒,，;；:：()（）[]【】〔〕1２3①⑴ |\n\t"
            "年月底前责任单位牵头配合省住建厅财政厅政府等及和"
        )
    )
    | st.characters(),
    max_size=400,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_any_text_through_the_cli(run, registry_only, tmp_path_factory, text):
    check_cli(run, registry_only, tmp_path_factory.mktemp("t"), text.encode("utf-8", "surrogatepass"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".csv", ".docx", ".xlsx", ".pdf"]))
def test_any_bytes_through_the_cli(run, registry_only, tmp_path_factory, raw, suffix):
    check_cli(run, registry_only, tmp_path_factory.mktemp("b"), raw, suffix)


def check_cli(run, registry_only: Path, tmp: Path, raw: bytes, suffix: str = ".txt") -> None:
    source = tmp / f"input{suffix}"
    source.write_bytes(raw)
    out = tmp / "out"
    result = run.runner.invoke(
        run_app(), ["import", str(source), "--out", str(out), "--data", str(registry_only)]
    )
    assert result.exit_code in (0, 2), (raw[:80], result.exception)
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert not out.exists() and len(result.stderr.strip().splitlines()) == 1
    else:
        from cityplan_cli.load import tomllib

        for path in out.glob("*.toml"):
            tomllib.loads(path.read_text(encoding="utf-8"))  # what is written reads back
