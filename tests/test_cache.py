"""The index and its stored copy: the same answers however they are reached, after any change; a
stored copy that anything else touched is never answered from; nothing there is ever run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cityplan_cli import cache, index
from conftest import ROOT

# Every listing, in every format: what must come out the same whichever way it is answered.
QUESTIONS = [
    (*argv, "--format", fmt)
    for argv in (
        ("tasks",),
        ("tasks", "--unit", "金昌市政府", "--status", "推进中"),
        ("duties", "省住建厅"),
        ("duties", "金昌市人民政府", "--role", "local", "--doc", "甘政发〔2024〕57号"),
        ("unowned",),
        ("docs",),
        ("units",),
        ("overloaded",),
    )
    for fmt in ("json", "csv", "md", "table")
] + [("show", "gzf-2024-57-04", "--format", "json"), ("check", "--format", "json")]


def stored(folder: Path) -> Path:
    (path,) = folder.glob("*.sqlite")
    return path


def answers(run, data: Path, *extra: str) -> dict[tuple[str, ...], str]:
    return {q: run(*q, *extra, data=data, code=None).stdout for q in QUESTIONS}


def from_scratch(run, data: Path, tmp_path: Path, monkeypatch) -> dict[tuple[str, ...], str]:
    """What a cache built anew, in a directory of its own, answers."""
    fresh = tmp_path / f"fresh-{time.monotonic_ns()}"
    monkeypatch.setenv("CITYPLAN_CACHE_DIR", str(fresh))
    try:
        return answers(run, data)
    finally:
        monkeypatch.setenv("CITYPLAN_CACHE_DIR", str(cache_of(monkeypatch)))


_CACHE: dict[int, Path] = {}


def cache_of(monkeypatch) -> Path:
    return _CACHE[id(monkeypatch)]


@pytest.fixture
def kept(private_cache, monkeypatch) -> Path:
    _CACHE[id(monkeypatch)] = private_cache
    return private_cache


def test_the_same_answers_every_way_and_after_every_kind_of_change(
    run, data, kept, tmp_path, monkeypatch, edit
):
    def agree() -> dict[str, dict]:
        """Every way of answering agrees; the tasks as they answer, by id, to hold against the files."""
        uncached = answers(run, data, "--no-cache")
        first = answers(run, data)  # the stored index brought up to date
        again = answers(run, data)  # answered as it stands
        assert first == uncached
        assert again == uncached
        assert from_scratch(run, data, tmp_path, monkeypatch) == uncached
        return {t["id"]: t for t in json.loads(uncached[("tasks", "--format", "json")])}

    before = agree()
    assert before["gzf-2024-57-05"]["status"] == "not_started"
    run("progress", "gzf-2024-57-05", "--unit", "金昌市政府", "--status", "in_progress", "--note", "已部署",
        "--date", "2026-11-20", data=data)  # fmt: skip
    # What the files now say, every way: the record counts, the edits show.
    assert agree()["gzf-2024-57-05"]["status"] == "in_progress"
    edit(data / "gzf-2024-57.toml", 'title = "深化户籍制度改革"', 'title = "深化户籍管理制度改革"')
    edit(
        data / "gzf-2024-57.toml",
        'lead = ["省人社厅"]\nsupport = ["省教育厅"',
        'lead = ["省人社厅", "省住建厅"]\nsupport = ["省教育厅"',
    )
    tasks = agree()
    assert tasks["gzf-2024-57-01"]["title"] == "深化户籍管理制度改革"
    (changed,) = [t for t in tasks.values() if t["lead"] == ["省人社厅", "省住建厅"]]
    with (data / "units.toml").open("a", encoding="utf-8") as f:
        f.write(
            '\n[[units]]\nname = "省住建厅新"\nfull_name = "甘肃省住房和城乡建设新厅"\nkind = "省直部门"\n'
        )
    edit(data / "gzf-2024-57.toml", 'lead = ["省人社厅", "省住建厅"]', 'lead = ["省人社厅", "省住建厅新"]')
    assert agree()[changed["id"]]["lead"] == ["省人社厅", "省住建厅新"]
    # A document taken away: its tasks, and every unit's duties on them, go with it.
    (data / "gzf-2023-73.toml").unlink()
    assert not [i for i in agree() if i.startswith("gzf-2023-73")]
    # Another version of a library whose results are stored (or of this program): all is read again.
    monkeypatch.setattr(cache, "program_key", lambda: "another build")
    agree()


def test_files_parsed_by_worker_processes_answer_as_in_one_process(run, data, edit, monkeypatch):
    """A province's files are parsed by worker processes (more than PARALLEL_BYTES to read, more than
    one CPU): the rows and problems they send back answer every question as one process's do."""
    import concurrent.futures

    edit(
        data / "gzf-2024-57.toml",
        'lead = ["省人社厅"]\nsupport = ["省教育厅"',
        'lead = ["省公按厅"]\nsupport = ["省教育厅"',
    )
    alone = answers(run, data, "--no-cache")
    pools = []

    class Counted(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            pools.append(kwargs)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counted)
    monkeypatch.setattr(index, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(index, "cpus", lambda: 2)
    assert answers(run, data, "--no-cache") == alone
    assert len(pools) >= len(QUESTIONS)  # every run parsed its files in worker processes
    (problem,) = json.loads(alone[("check", "--format", "json")])
    assert problem["line"] > 1 and "unknown unit '省公按厅'" in problem["message"]


def test_the_same_answers_past_the_tasks_a_query_names(run, data, tmp_path, monkeypatch):
    """Past NAMED_MAX tasks, a selection reads every task and record rather than name each (a
    province's checklists and listings): the answers are the same on either side of it, records and
    what tasks beneath carry out (jc-cxrh-2023 implements 57号's items) included."""
    from cityplan_cli import queries

    run("progress", "gzf-2024-57-36", "--unit", "省人社厅", "--status", "in_progress", "--note", "已部署",
        "--date", "2026-11-20", data=data)  # fmt: skip
    units = ("金昌市政府", "省人社厅", "省住建厅")

    def asked(out: Path) -> tuple[dict[tuple[str, ...], str], dict[str, str]]:
        run("checklist", *units, "--format", "md", "--out", out, data=data)
        lists = {p.name: p.read_text(encoding="utf-8") for p in sorted(out.iterdir())}
        return answers(run, data, "--no-cache"), lists

    named = asked(tmp_path / "named")
    monkeypatch.setattr(queries, "NAMED_MAX", 0)
    assert asked(tmp_path / "all") == named
    assert len(named[1]) == len(units) and "状态：推进中" in named[1]["省人社厅.md"]


def test_a_supervisor_follows_the_settings_as_they_come_and_go(run, data, kept):
    """A document's supervisor is kept resolved in the index: the settings naming one, then gone
    again, are seen at once, as reading the files answers."""

    def supervisor(*extra: str) -> str:
        return run.json("show", "gzf-2024-57-04", *extra, data=data)["supervisor"]

    assert supervisor() == "省政府办公厅"
    settings = data / "cityplan.toml"
    kept_text = settings.read_text(encoding="utf-8")
    settings.write_text(
        kept_text.replace("[supervision]\n", '[supervision]\nsupervisor = "省发展改革委"\n'), "utf-8"
    )
    assert supervisor() == supervisor("--no-cache") == "省发展改革委"
    settings.unlink()
    assert supervisor() == supervisor("--no-cache") == "省政府办公厅"


def test_a_library_upgrade_changes_the_key(tmp_path, monkeypatch):
    package = tmp_path / "calendar_stand_in"
    package.mkdir()
    (package / "__init__.py").write_text("HOLIDAYS = {}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(index, "LIBRARIES", (*index.LIBRARIES, "calendar_stand_in"))
    before = index.program_key()
    (package / "__init__.py").write_text("HOLIDAYS = {'2027-01-01': 1}\n", encoding="utf-8")
    os.utime(package / "__init__.py", ns=(1, 1))
    assert index.program_key() != before


def test_an_edit_that_keeps_size_and_time_is_seen(run, data, kept):
    title = lambda: run.json("duties", "省住建厅", "--role", "lead", data=data)[0]["title"]  # noqa: E731
    assert title() == "健全农业转移人口住房保障体系"
    path = data / "gzf-2024-57.toml"
    st = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "健全农业转移人口住房保障体系", "完善农业转移人口住房保障体系"
        ),
        "utf-8",
    )
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    assert title() == "完善农业转移人口住房保障体系"


def test_a_file_touched_but_not_changed_costs_no_work_across_files(data, monkeypatch):
    """A save that writes the same bytes (an editor, a checkout) changes a file's time only: its
    hash is checked, and nothing that depends on every file is worked out again."""
    ix = index.Index.in_memory(data)
    before = ix.problems()
    path = data / "gzf-2024-57.toml"
    later = path.stat().st_mtime_ns + 10_000_000_000
    os.utime(path, ns=(later, later))

    def across_files(self):
        raise AssertionError("worked out again across every file")

    monkeypatch.setattr(index.Index, "_global_problems", across_files)
    assert ix.refresh() is False
    assert ix.problems() == before
    (known,) = ix.db.execute("SELECT mtime_ns FROM files WHERE path = 'gzf-2024-57.toml'").fetchone()
    assert known == later


def test_files_numbered_as_they_come_are_read_in_data_order(run, data):
    """A file added later takes the next number. A unit's first progress record adds one among the
    others by path, but it holds no tasks: tasks are still read in the order of their numbers,
    without a sort. A document added before the others by path makes them read in data order."""
    ix = index.Index.in_memory(data)
    assert ix.numbered_in_order()
    record = ["progress", "gzf-2024-57-04", "--unit", "省住建厅", "--status", "in_progress"]
    run(*record, "--note", "摸底", data=data)
    ix.refresh()
    ranks = [rank for (rank,) in ix.db.execute("SELECT rank FROM files ORDER BY fid")]
    assert ranks != sorted(ranks)  # the record's file sorts before units.toml, numbered before it
    assert ix.numbered_in_order()
    first = [t.id for t in ix.tasks()]
    (data / "a-first.toml").write_text(
        '[document]\nid = "a-first"\nissuer = "甘肃省人民政府"\ntitle = "先行方案"\n\n'
        '[[tasks]]\nid = "a-first-01"\nseq = 1\ntitle = "先行任务"\nlead = ["省住建厅"]\n',
        encoding="utf-8",
    )
    ix.refresh()
    assert not ix.numbered_in_order()
    assert [t.id for t in ix.tasks()] == ["a-first-01", *first]
    assert [t.id for t in ix.tasks()] == [t.id for t in index.Index.in_memory(data).tasks()]


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="file size limits are POSIX")
def test_an_index_is_built_where_no_temporary_file_can_be_written(tmp_path, monkeypatch):
    """The index's sorts spill to temporary files; where none can be written (a full disk: here a
    file size limit), they run in memory, and the index is the same."""
    import resource

    data = tmp_path / "data"
    gen = [sys.executable, str(ROOT / "benchmarks" / "gen.py"), "4000", "200", "--out", str(data)]
    subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
    whole = index.Index.in_memory(data)
    monkeypatch.setattr(index, "SORT_KIB", 64)  # a province's sorts, in small runs: they spill
    in_memory = []
    make = index.Index._duties

    def duties(self, fids):
        in_memory.append(self.db.execute("PRAGMA temp_store").fetchone() == (2,))
        make(self, fids)

    monkeypatch.setattr(index.Index, "_duties", duties)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (65536, limit[1]))
    try:
        built = index.Index.in_memory(data)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, ignored)
    assert in_memory[-1] is True
    for table in ("duties", "tasks"):
        rows = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert built.db.execute(rows).fetchall() == whole.db.execute(rows).fetchall(), table
    assert built.db.execute("PRAGMA temp_store").fetchone() == (2,)  # and kept so after


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="file size limits are POSIX")
def test_a_cache_that_fills_its_disk_is_only_slower(tmp_path, monkeypatch):
    """The stored index cannot grow (a full disk: here a file size limit) and SQLite gives up the
    build's transaction: the run says so and answers from the files; no half-built index is vouched
    for, or left behind."""
    import resource

    from cityplan_cli import queries

    data = tmp_path / "data"
    gen = [sys.executable, str(ROOT / "benchmarks" / "gen.py"), "4000", "200", "--out", str(data)]
    subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
    whole = index.Index.in_memory(data)
    unit = "测试单位00007"

    def answers(ix: index.Index) -> tuple[object, ...]:
        return ix.problems(), queries.duties(ix, unit), ix.counts()

    expected = answers(whole)
    assert expected[1] and not [p for p in expected[0] if p.severity == "error"]
    folder = tmp_path / "cache"
    cache._unsafe(folder)  # the directory and its key exist: only the index has no room
    cache.Store(folder, data)._secret()
    monkeypatch.setattr(index, "SORT_KIB", 64)  # the build's pages spill to the file early
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (262144, limit[1]))  # room for an empty index only
    said: list[str] = []
    try:
        full = cache.open_index(data, said.append, str(folder))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
        signal.signal(signal.SIGXFSZ, ignored)
    assert answers(full) == expected
    # Said once, in SQLite's words ("disk I/O error" here, "database or disk is full" on a full disk)
    assert len(said) == 1 and "cannot be kept there (disk" in said[0]
    assert not list(folder.glob("*.sqlite"))  # what could not be finished is not left to fill the disk
    assert answers(cache.open_index(data, said.append, str(folder))) == expected
    assert len(said) == 1


def test_the_cache_lives_outside_the_data_and_closed_to_others(run, data, kept):
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    run("duties", "省住建厅", data=data)
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    if os.name == "posix":
        assert stat.S_IMODE(kept.stat().st_mode) == 0o700 or kept.stat().st_mode & 0o077 == 0
        for path in kept.iterdir():
            if path.is_file():
                assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.mark.parametrize(
    "damage",
    [
        "forged row",
        "forged answer row",
        "zeroed page",
        "truncated",
        "garbage",
        "empty",
        "another program",
        "another version",
    ],
)
def test_a_stored_index_touched_by_anything_else_is_never_answered_from(run, data, kept, damage):
    expected = run("duties", "金昌市政府", "--format", "json", "--no-cache", data=data).stdout
    run("duties", "金昌市政府", data=data)
    path = stored(kept)
    raw = path.read_bytes()
    if damage in ("forged row", "forged answer row", "another version"):
        db = sqlite3.connect(path)
        if damage == "forged row":
            db.execute("UPDATE tasks SET title = '伪造' WHERE id = 'gzf-2024-57-04'")
        elif damage == "forged answer row":
            db.execute(
                "INSERT INTO duties SELECT '金昌市政府', tid, 0, NULL, 0 FROM tasks "
                "WHERE id = 'gzf-2023-73-01'"
            )
        else:
            db.execute("UPDATE meta SET value = 'another' WHERE key = 'program'")
        db.commit()
        db.close()
    elif damage == "zeroed page":
        page = 4096 * (len(raw) // 4096 // 2)
        path.write_bytes(raw[:page] + bytes(4096) + raw[page + 4096 :])
    elif damage == "another program":
        path.unlink()
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE tasks (id TEXT, title TEXT)")
        other.execute("INSERT INTO tasks VALUES ('gzf-2024-57-04', '伪造')")
        other.commit()
        other.close()
    else:
        path.write_bytes(
            {"truncated": raw[: len(raw) // 3], "garbage": os.urandom(8192), "empty": b""}[damage]
        )
    result = run("duties", "金昌市政府", "--format", "json", data=data)
    assert result.stdout == expected and "Traceback" not in result.stderr
    assert run("duties", "金昌市政府", "--format", "json", data=data).stdout == expected


def test_nothing_in_the_cache_directory_is_ever_run(data, tmp_path):
    """Files planted where the cache lives — a pickle, modules named as the program's or Python's
    own, a forged index — are data at most: no code of theirs runs, nothing is imported from there."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    canary = tmp_path / "ran"
    payload = f"open({str(canary)!r}, 'w').write('ran')\n"
    for name in ("sitecustomize.py", "usercustomize.py", "cityplan_cli.py", "sqlite3.py", "json.py"):
        (folder / name).write_text(payload, encoding="utf-8")
    (folder / "planted.pth").write_text(f"import os; {payload}", encoding="utf-8")

    class Payload:
        def __reduce__(self):
            return (exec, (payload,))

    import pickle

    (folder / "dataset.pickle").write_bytes(pickle.dumps(Payload()))
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CITYPLAN_NO_CACHE", None)
    code = (
        "import sys\n"
        "from cityplan_cli.cli import main\n"
        "sys.argv = ['cityplan', 'duties', '省住建厅', '--format', 'json', '--data', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import os\n"
        "print(sorted(m.__file__ for m in list(sys.modules.values()) if getattr(m, '__file__', None) "
        "and os.path.realpath(m.__file__).startswith(os.path.realpath(sys.argv[2]))), file=sys.stderr)\n"
    )
    for _ in range(2):  # building the index, then answering from it
        done = subprocess.run(
            [sys.executable, "-c", code, str(data), str(folder)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        assert json.loads(done.stdout.strip() or "[]") and done.stderr.strip().endswith("[]"), done.stderr
    assert not canary.exists()
    # A stored index seeded with a pickle in every text column is read as text, never unpickled.
    path = stored(folder)
    db = sqlite3.connect(path)
    db.execute("UPDATE tasks SET title = ?", (pickle.dumps(Payload()),))
    db.commit()
    db.close()
    subprocess.run(
        [sys.executable, "-c", code, str(data), str(folder)], capture_output=True, env=env, check=False
    )
    assert not canary.exists()


def test_no_cache_leaves_nothing_behind(run, data, kept, monkeypatch):
    run("report", "--as-of", "2026-11-26", "--no-cache", data=data)
    run("duties", "省住建厅", "--no-cache", data=data)
    assert not list(kept.iterdir())
    monkeypatch.setenv("CITYPLAN_NO_CACHE", "1")
    run("checklist", "--all", "--out", kept.parent / "out", data=data)
    run("tasks", "--unowned", data=data)
    assert not list(kept.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_directory_others_can_write_is_not_used(data, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(folder)}
    done = subprocess.run(
        [sys.executable, "-m", "cityplan_cli", "duties", "省住建厅", "--format", "json", "--data", str(data)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(done.stdout)
    assert done.stderr.count("not using the cache directory") == 1 and "others can write" in done.stderr
    assert not list(folder.iterdir())


def test_a_cache_directory_that_is_a_file_is_named_so(run, data, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CITYPLAN_CACHE_DIR", str(folder))
    result = run("duties", "省住建厅", "--format", "json", data=data)
    assert json.loads(result.stdout)
    assert result.stderr == (
        f"cityplan: not using the cache directory {folder}: Not a directory; reading the data files instead\n"
    )
    assert folder.read_text(encoding="utf-8") == "not a folder"


def test_two_processes_building_at_once_both_answer_right(data, tmp_path):
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "cityplan_cli", "tasks", "--format", "json", "--data", str(data)]
    procs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(4)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert len({o for o, _ in outs}) == 1 and len(json.loads(outs[0][0])) > 100


def test_a_run_reads_the_index_as_it_opened_it_while_another_refreshes_it(data, tmp_path, edit):
    """A run reads the stored index as it was when it opened it. Another process that must refresh
    it meanwhile (a document's title edited) waits until those reads end, then answers with the
    edit: a run never reads part of one state and part of the next (a task listed before a refresh,
    its duties after it)."""
    import filelock

    folder = tmp_path / "cache"
    held = cache.open_index(data, print, str(folder))

    def title() -> str:
        return held.db.execute("SELECT title FROM documents WHERE id = 'gzf-2023-73'").fetchone()[0]

    assert title() == "甘肃省新材料产业发展规划"
    edit(data / "gzf-2023-73.toml", 'title = "甘肃省新材料产业发展规划"', 'title = "甘肃省新材料产业规划"')
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(folder)}
    argv = [sys.executable, "-m", "cityplan_cli", "docs", "--format", "json", "--data", str(data)]
    other = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        # Until the other process is refreshing (it holds the build lock) and has had time to finish.
        lock = filelock.FileLock(cache.Store(folder, data).lock)
        deadline, since = time.monotonic() + 60, None
        while other.poll() is None and time.monotonic() < deadline:
            try:
                lock.acquire(timeout=0)
                lock.release()
                since = None
            except filelock.Timeout:
                since = since or time.monotonic()
                if time.monotonic() - since > 1.5:
                    break
            time.sleep(0.05)
        assert title() == "甘肃省新材料产业发展规划"  # still what this run opened
        assert other.poll() is None  # waiting for this run's reads to end
    finally:
        cache.release()
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    assert "甘肃省新材料产业规划" in {d["title"] for d in json.loads(out)}
    assert title() == "甘肃省新材料产业规划"  # read again, after the refresh


def test_a_command_ends_its_reads_when_it_ends(run, data, edit):
    """A command run in this process (the CLI called from Python) leaves no read of the index
    behind it for another process's refresh to wait on (two minutes, then built again)."""
    run("graph", "--out", data.parent / "graph.json", data=data)  # a command that prints no answer
    edit(data / "gzf-2023-73.toml", 'title = "甘肃省新材料产业发展规划"', 'title = "甘肃省新材料产业规划"')
    argv = [sys.executable, "-m", "cityplan_cli", "docs", "--format", "json", "--data", str(data)]
    done = subprocess.run(argv, capture_output=True, env=os.environ, timeout=60, check=True)
    assert "甘肃省新材料产业规划" in {d["title"] for d in json.loads(done.stdout)}


def test_a_build_in_progress_is_waited_for_not_thrown_away(data, tmp_path, monkeypatch):
    """A second run that finds another's index half-built (its stamp not yet written) waits for the
    lock and answers from what the first one built; it does not delete the file under it."""
    import threading

    import filelock

    folder = tmp_path / "cache"
    first = cache.Store(folder, data)
    folder.mkdir(mode=0o700)
    with filelock.FileLock(first.lock, mode=0o600):  # the first run, building
        built = first._create()
        built.refresh(index.program_key())
        built.db.execute("INSERT INTO meta VALUES ('built by', 'the first run')")
        built.db.commit()
        waiting = threading.Event()

        class Watched(filelock.FileLock):
            def acquire(self, *args, **kwargs):
                waiting.set()
                return super().acquire(*args, **kwargs)

        monkeypatch.setattr(filelock, "FileLock", Watched)
        said: list[tuple[str, ...]] = []

        def second_run() -> None:
            db = cache.Store(folder, data).open().db
            said.append(db.execute("SELECT value FROM meta WHERE key = 'built by'").fetchone())

        second = threading.Thread(target=second_run)
        second.start()
        assert waiting.wait(30)  # the second run has looked at the file and is at the lock
        assert first.path.exists() and not first.stamp.exists()
        built.db.close()
        first._write_stamp()
    second.join(60)
    assert said == [("the first run",)]


@pytest.mark.slow
def test_a_build_killed_midway_leaves_nothing_wrong(tmp_path):
    """kill -9 while the index of a large directory is being built: the next run answers as the files
    say, and no temporary file is left in the cache directory."""
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen.py"), "20000", "400", "--out", str(data)],
        check=True,
        capture_output=True,
    )
    folder = tmp_path / "cache"
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(folder)}
    argv = [
        sys.executable,
        "-m",
        "cityplan_cli",
        "duties",
        "测试单位00007",
        "--format",
        "json",
        "--data",
        str(data),
    ]
    expected = subprocess.run([*argv, "--no-cache"], capture_output=True, env=env, check=True).stdout
    for delay in (0.8, 1.6, 2.4):
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert subprocess.run(argv, capture_output=True, env=env, check=True).stdout == expected
        leftovers = [
            p.name
            for p in folder.iterdir()
            if p.suffix not in (".sqlite", ".stamp", ".lock") and p.name != "key"
        ]
        assert not leftovers
