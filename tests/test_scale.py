"""The query cache and the benchmark data generator."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def cache_file(cache_dir: Path) -> Path:
    (path,) = cache_dir.glob("*.sqlite")
    return path


def test_cached_answers_equal_the_files(run, data):
    for argv in (
        ("duties", "金昌市人民政府"),
        ("duties", "省住建厅", "--role", "lead", "--doc", "甘政发〔2024〕57号"),
        ("tasks",),
        ("tasks", "--unit", "甘肃省住房和城乡建设厅", "--doc", "gzf-2024-57"),
        ("tasks", "--unowned"),
        ("tasks", "--status", "not_started", "--doc", "jzf-2023-9"),
    ):
        cached = run(*argv, "--format", "json", data=data).stdout
        assert cached == run(*argv, "--format", "json", data=data).stdout  # from the cache now
        assert cached == run(*argv, "--format", "json", "--no-cache", data=data).stdout
    assert (
        "unknown unit '省住房厅'; did you mean 省住建厅"
        in run("duties", "省住房厅", data=data, code=2).stderr
    )
    assert "no document 'x'" in run("tasks", "--doc", "x", data=data, code=2).stderr
    assert run.json("duties", "省政府办公厅〔省数据局〕", data=data) == run.json(
        "duties", "省政府办公厅", data=data
    )


def test_the_cache_lives_outside_the_data(run, data, private_cache):
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    run("duties", "省住建厅", data=data)
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    assert cache_file(private_cache).stat().st_size > 0


def test_any_edit_changes_the_next_answer(run, data, edit):
    title = lambda: run.json("duties", "省住建厅", "--role", "lead", data=data)[0]["title"]  # noqa: E731
    assert title() == "健全农业转移人口住房保障体系"
    edit(data / "gzf-2024-57.toml", 'title = "健全农业转移人口住房保障体系"', 'title = "健全住房保障体系"')
    assert title() == "健全住房保障体系"
    # The same size and the same modification time: only the content hash can tell.
    path = data / "gzf-2024-57.toml"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("健全住房保障体系", "完善住房保障体系"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert title() == "完善住房保障体系"
    # The registry and the progress records are data files too.
    edit(data / "units.toml", 'aliases = ["甘肃省住建厅"]', 'aliases = ["甘肃省住建厅", "住建厅"]')
    assert run.json("duties", "住建厅", data=data)
    run("progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "in_progress", "--note", "x",
        "--date", "2026-11-25", data=data)  # fmt: skip
    assert [t["id"] for t in run.json("tasks", "--status", "in_progress", data=data)] == ["gzf-2024-57-04"]
    (data / "extra.toml").write_text(
        '[document]\nid = "extra"\ntitle = "补充"\nissuer = "甘肃省人民政府"\n\n'
        '[[tasks]]\nid = "extra-1"\nseq = 1\ntitle = "新增任务"\nlead = ["省住建厅"]\n',
        encoding="utf-8",
    )
    assert run.json("duties", "省住建厅", "--doc", "extra", data=data)[0]["title"] == "新增任务"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_damaged_cache_is_ignored(run, data, private_cache, damage):
    expected = run("duties", "金昌市政府", "--format", "json", "--no-cache", data=data).stdout
    run("duties", "金昌市政府", data=data)
    path = cache_file(private_cache)
    raw = path.read_bytes()
    path.write_bytes({"garbage": os.urandom(4096), "truncated": raw[: len(raw) // 3], "empty": b""}[damage])
    assert run("duties", "金昌市政府", "--format", "json", data=data).stdout == expected
    assert (
        run("tasks", "--unit", "金昌市政府", "--format", "json", data=data).stdout
        == run("tasks", "--unit", "金昌市政府", "--format", "json", "--no-cache", data=data).stdout
    )
    assert sqlite3.connect(path).execute("SELECT count(*) FROM tasks").fetchone()[0] == 164  # built again


def test_a_cache_from_another_version_is_ignored(run, data, private_cache, edit):
    run("duties", "省住建厅", data=data)
    path = cache_file(private_cache)
    db = sqlite3.connect(path)
    # Another build of the program keys its cache differently; pretend this one was written by it,
    # with an answer this version would never give.
    db.execute("UPDATE meta SET value = 'another' WHERE key IN ('fingerprint', 'version')")
    db.execute("UPDATE tasks SET record = json_set(record, '$.title', '伪造') ")
    db.commit()
    db.close()
    assert "伪造" not in run("duties", "省住建厅", "--format", "json", data=data).stdout


def test_a_cached_dataset_that_fails_its_hash_is_not_used(run, data, private_cache):
    run("report", "--as-of", "2026-11-26", "--format", "json", data=data)
    path = cache_file(private_cache)
    db = sqlite3.connect(path)
    (blob,) = db.execute("SELECT blob FROM dataset").fetchone()
    db.execute("UPDATE dataset SET blob = ?", (blob[:-10] + b"0123456789",))
    db.commit()
    db.close()
    report = json.loads(run("report", "--as-of", "2026-11-26", "--format", "json", data=data).stdout)
    assert report["totals"]["tasks"] == 164


def test_no_cache_environment(run, data, private_cache, monkeypatch):
    monkeypatch.setenv("CITYPLAN_NO_CACHE", "1")
    run("report", "--as-of", "2026-11-26", data=data)
    assert not list(private_cache.glob("*.sqlite"))


def test_generator_is_deterministic(tmp_path, run):
    for name in ("a", "b"):
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "gen.py"), "300", "40", "--out", str(tmp_path / name)],
            check=True,
            capture_output=True,
        )
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.toml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.toml"))
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert len(run.json("tasks", data=tmp_path / "a")) == 300
    run("check", "--strict", data=tmp_path / "a")
    assert any(f.parts[0] == "progress" for f in files)
