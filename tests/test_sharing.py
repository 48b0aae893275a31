"""A data directory shared through git: init, clones that record for one unit on one day and merge,
locks git never sees, CODEOWNERS, and files that keep their nature when written."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from conftest import DATA

TASK = "gzf-2024-57-04"
SETTINGS = ("-c", "init.defaultBranch=main", "-c", "core.quotepath=off", "-c", "pull.rebase=false")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> str:
    """Real git, as a clerk would run it, with a user of its own and no global settings."""
    done = subprocess.run(
        ["git", "-c", "user.name=办公室", "-c", "user.email=office@example.org", *SETTINGS, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


def shared(run, tmp_path: Path) -> Path:
    """`cityplan init`, the bundled documents and registry put in, committed: the office's repository."""
    origin = tmp_path / "origin"
    out = run("--data", DATA, "init", origin).stdout.splitlines()
    assert sorted(Path(p).name for p in out) == [
        ".gitattributes",
        ".gitignore",
        "cityplan.toml",
        "units.toml",
    ]
    for path in DATA.iterdir():
        if path.is_file():
            shutil.copy(path, origin / path.name)
    shutil.copytree(DATA / "sources", origin / "sources")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "任务数据")
    git(tmp_path, "clone", "-q", "--bare", str(origin), "origin.git")  # the server
    return tmp_path / "origin.git"


def test_init_writes_a_ready_directory_and_never_overwrites(run, tmp_path):
    target = tmp_path / "新数据"
    run("--data", DATA, "init", target)
    settings = (target / "cityplan.toml").read_text(encoding="utf-8")
    assert 'done_when = "lead"' in settings and "stale_days = 14" in settings
    assert "# [[units]]" in (target / "units.toml").read_text(encoding="utf-8")
    assert ".cityplan/" in (target / ".gitignore").read_text(encoding="utf-8")
    assert "*.toml text eol=lf" in (target / ".gitattributes").read_text(encoding="utf-8")
    # Its settings are read as the defaults; what it lacks is a document.
    found = json.loads(run("check", "--format", "json", data=target, code=2).stdout)
    assert [p["message"] for p in found] == ["the registry lists no units ([[units]])"]  # next: add them
    (target / "units.toml").write_text("# 本局名册\n", encoding="utf-8")
    before = sorted((p.name, p.read_bytes()) for p in target.iterdir())
    result = run("--data", DATA, "init", target, code=2)
    assert (
        "already holds units.toml, cityplan.toml, .gitignore, .gitattributes: nothing written"
        in result.stderr
    )
    assert sorted((p.name, p.read_bytes()) for p in target.iterdir()) == before


def test_two_clones_record_for_one_unit_on_one_day_and_merge(run, tmp_path):
    origin = shared(run, tmp_path)
    clones = {}
    for name, note in (("a", "已完成摸底调查"), ("b", "已印发实施方案")):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(origin), name)
        run.today = None
        run("progress", TASK, "--unit", "省住建厅", "--status", "in_progress", "--note", note, "--date",
            "2026-11-25", data=clone)  # fmt: skip
        git(clone, "add", "-A")  # the lock the record was written under is not part of it
        staged = git(clone, "diff", "--cached", "--name-only").split()
        assert len(staged) == 1 and re.fullmatch(r"progress/省住建厅/[0-9a-f]{8}\.toml", staged[0])
        git(clone, "commit", "-qm", f"省住建厅 {note}")
        clones[name] = clone
    # b sends its record first; a merges it in, then b takes a's by rebasing: no conflict either way.
    git(clones["b"], "push", "-q", "origin", "HEAD:main")
    git(clones["a"], "pull", "-q", "--no-rebase", "origin", "main")
    git(clones["a"], "push", "-q", "origin", "HEAD:main")
    git(clones["b"], "pull", "-q", "--rebase", "origin", "main")
    for clone in clones.values():
        run("check", "--strict", data=clone)
        shown = run.json("show", TASK, data=clone)["progress"]
        assert sorted(p["note"] for p in shown if p["unit"] == "省住建厅") == [
            "已印发实施方案",
            "已完成摸底调查",
        ]
    assert git(clones["a"], "ls-files", "--others", "--exclude-standard") == ""
    assert (clones["a"] / ".cityplan" / "locks").is_dir()  # there, and ignored


def test_a_copy_made_elsewhere_writes_a_file_of_its_own(run, data, tmp_path):
    """A copy of the data made without git (its .cityplan/ copied too) draws its own id."""
    run("progress", TASK, "--unit", "省住建厅", "--status", "in_progress", "--note", "原件", data=data)
    other = tmp_path / "副本"
    shutil.copytree(data, other)
    run("progress", TASK, "--unit", "省住建厅", "--status", "in_progress", "--note", "副本", data=other)
    assert len(list((other / "progress" / "省住建厅").glob("*.toml"))) == 2
    run("progress", TASK, "--unit", "省住建厅", "--status", "done", "--note", "原件二", data=data)
    assert len(list((data / "progress" / "省住建厅").glob("*.toml"))) == 1


def test_locks_stay_out_of_git_add_in_any_repository(run, data):
    """A data directory that `init` did not make (no .gitignore of its own) keeps its locks out too."""
    git(data, "init", "-q")
    run("progress", TASK, "--unit", "省住建厅", "--status", "in_progress", "--note", "x", data=data)
    run("assign", "gzf-2023-73-01", "--lead", "省工信厅", data=data)
    git(data, "add", "-A")
    staged = git(data, "diff", "--cached", "--name-only").split()
    assert staged and not [f for f in staged if f.endswith(".lock") or ".cityplan" in f or f.endswith(".tmp")]


def test_codeowners_give_each_units_records_to_its_team(run, tmp_path, edit):
    repo = tmp_path / "repo"
    data = repo / "tasks"
    shutil.copytree(DATA, data)
    git(repo, "init", "-q")
    edit(data / "units.toml", 'name = "省住建厅"\n', 'name = "省住建厅"\nteam = "@gansu-gov/zjt"\n')
    edit(data / "units.toml", 'name = "金昌市政府"\n', 'name = "金昌市政府"\nteam = "@jinchang/zf"\n')
    edit(data / "units.toml", 'name = "省财政厅"\n', 'name = "省财政厅"\nteam = "@x y * @evil"\n')
    out = repo / ".github" / "CODEOWNERS"
    result = run("codeowners", "--out", out, data=data)
    lines = [
        line for line in out.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]
    assert lines == [
        "/tasks/progress/省住建厅/ @gansu-gov/zjt",
        "/tasks/progress/省住建厅.toml @gansu-gov/zjt",
        "/tasks/progress/金昌市政府/ @jinchang/zf",
        "/tasks/progress/金昌市政府.toml @jinchang/zf",
    ]
    assert (
        "no team for" in result.stderr
        and "省发展改革委" in result.stderr
        and "各市州政府" not in result.stderr
    )
    assert "not a team handle (@org/team) for: 省财政厅" in result.stderr
    # The patterns (gitignore syntax, as CODEOWNERS reads them) match the records each unit writes.
    run("progress", TASK, "--unit", "金昌市政府", "--status", "in_progress", "--note", "x", data=data)
    (record,) = (data / "progress" / "金昌市政府").glob("*.toml")
    patterns = tmp_path / "patterns"
    patterns.write_text("\n".join(line.split(" ")[0] for line in lines) + "\n", encoding="utf-8")
    matched = git(repo, "-c", f"core.excludesFile={patterns}", "check-ignore", "--no-index", "-v",
                  str(record.relative_to(repo)))  # fmt: skip
    assert matched.split("\t")[0].endswith(":/tasks/progress/金昌市政府/")
    assert run("codeowners", data=data).stdout == out.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Files keep their nature.


def test_a_new_record_gets_the_mode_the_umask_gives(run, data):
    old = os.umask(0o022)
    try:
        out = run("progress", TASK, "--unit", "省住建厅", "--status", "in_progress", "--note", "x", data=data)
    finally:
        os.umask(old)
    path = Path(out.stdout.split(" → ")[1].strip())
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_recording_leaves_symlinked_files_and_folders_as_they_are(run, data, tmp_path):
    elsewhere = tmp_path / "共享盘" / "省住建厅"
    elsewhere.mkdir(parents=True)
    (data / "progress").mkdir()
    (data / "progress" / "省住建厅").symlink_to(elsewhere, target_is_directory=True)
    legacy = tmp_path / "共享盘" / "金昌市政府.toml"
    legacy.write_text('unit = "金昌市政府"\n', encoding="utf-8")
    (data / "progress" / "金昌市政府.toml").symlink_to(legacy)
    run("progress", TASK, "--unit", "省住建厅", "--status", "in_progress", "--note", "x", data=data)
    run("progress", TASK, "--unit", "金昌市政府", "--status", "in_progress", "--note", "y", data=data)
    assert (data / "progress" / "省住建厅").is_symlink() and len(list(elsewhere.glob("*.toml"))) == 1
    assert (data / "progress" / "金昌市政府.toml").is_symlink()
    assert legacy.read_text(encoding="utf-8") == 'unit = "金昌市政府"\n'
    assert len(run.json("show", TASK, data=data)["progress"]) == 2


def test_assign_keeps_a_files_mode_and_its_symlink(run, data, tmp_path):
    task_file = data / "gzf-2023-73.toml"
    task_file.chmod(0o644)
    run("assign", "gzf-2023-73-01", "--lead", "省工信厅", data=data)
    assert stat.S_IMODE(task_file.stat().st_mode) == 0o644
    target = tmp_path / "共享盘" / "gzf-2023-73.toml"
    target.parent.mkdir()
    shutil.move(task_file, target)
    task_file.symlink_to(target)
    run("assign", "gzf-2023-73-02", "--lead", "省工信厅", data=data)
    assert task_file.is_symlink() and 'lead = ["省工信厅"]' in target.read_text(encoding="utf-8")
