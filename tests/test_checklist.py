"""Per-unit checklists (任务清单), safe file names, and CSV that Excel cannot run."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityplan_cli.files import safe_names
from cityplan_cli.render.safe import document, spreadsheet

FORBIDDEN = set('/\\:*?"<>|')
RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_one_unit(run, tmp_path):
    out = tmp_path / "清单"
    written = run("checklist", "甘肃省住房和城乡建设厅", "--out", out).stdout.splitlines()
    assert written == [str(out / "省住建厅.md"), str(out / "省住建厅.csv")]
    md = (out / "省住建厅.md").read_text(encoding="utf-8")
    assert md.startswith("# 省住建厅任务清单\n")
    assert "- 单位：省住建厅（甘肃省住房和城乡建设厅）" in md
    assert "## 牵头任务（7 项）" in md and "## 配合任务（4 项）" in md and "## 落实任务（1 项）" in md
    lead_part = md[md.index("## 牵头任务") : md.index("## 配合任务")]
    assert "### 1. 健全农业转移人口住房保障体系" in lead_part
    assert "- 文件：甘政发〔2024〕57号 第 4 项" in lead_part
    assert "> 健全农业转移人口住房保障体系。因城施策" in lead_part
    rows = read_csv(out / "省住建厅.csv")
    assert len(rows) == 12
    assert [r["职责"] for r in rows].count("牵头") == 7
    item7 = next(r for r in rows if r["序号"] == "7")
    assert item7["配合单位"] == "省发展改革委、省生态环境厅、省商务厅"
    assert item7["牵头单位"] == ""  # the unit itself is not among the other owners
    assert item7["状态"] == "未启动"


def test_duties_through_a_collective_say_so(run, tmp_path):
    run("checklist", "金昌市政府", "--out", tmp_path, "--format", "csv")
    assert not (tmp_path / "金昌市政府.md").exists()
    rows = read_csv(tmp_path / "金昌市政府.csv")
    # 30 items of 甘政发〔2024〕57号, the notice of 甘政发〔2023〕73号 and three standing duties of the guide
    assert len(rows) == 34
    first = next(r for r in rows if r["文件"] == "甘政发〔2024〕57号")
    assert (first["职责"], first["经由"], first["牵头单位"]) == ("落实", "各市州政府", "省公安厅")
    assert first["落实单位"] == "兰州新区管委会"  # neither 金昌市政府 nor the collective it belongs to


def test_all_units(run, tmp_path):
    written = run("checklist", "--all", "--out", tmp_path).stdout.splitlines()
    units = run.json("units")
    with_duties = [u["name"] for u in units if u["lead_count"] + u["support_count"] + u["local_count"]]
    assert len(written) == 2 * len(with_duties)
    assert {"省住建厅", "各市州政府", "金昌市行政复议委员会办公室"} <= set(with_duties)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(Path(w).name for w in written)
    for name in with_duties:
        md = (tmp_path / f"{name}.md").read_text(encoding="utf-8")
        assert md.startswith(f"# {name}任务清单\n")


def test_unknown_unit_writes_nothing(run, tmp_path):
    result = run("checklist", "省住建厅", "省住房厅", "--out", tmp_path / "x", code=2)
    assert "unknown unit '省住房厅'" in result.stderr
    assert not (tmp_path / "x").exists()
    assert "--all" in run("checklist", "--out", tmp_path, code=2).stderr


def test_file_names_are_safe_and_unique_for_awkward_units(run, data, tmp_path):
    # Names `check` accepts: none differs from another only in case, or makes another's file name.
    awkward = ["CON", "com1", "a/b", "b:c", "NUL.txt", "处?室", "  ", "科室*"]
    with (data / "units.toml").open("a", encoding="utf-8") as f:
        for n, name in enumerate(awkward):
            f.write(f'\n[[units]]\nname = "{name}"\nfull_name = "测试单位{n}"\nkind = "测试"\n')
    doc = (data / "gzf-2024-57.toml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{n}"' for n in awkward)
    doc = doc.replace('lead = ["省公安厅"]\nsupport = []', f'lead = ["省公安厅"]\nsupport = [{listed}]')
    (data / "gzf-2024-57.toml").write_text(doc, encoding="utf-8")
    run("check", data=data)
    out = tmp_path / "out"
    written = run("checklist", *awkward, "--out", out, "-f", "md", data=data).stdout.splitlines()
    names = [Path(w).stem for w in written]
    assert len({n.casefold() for n in names}) == len(awkward)
    for name in names:
        assert not FORBIDDEN & set(name) and not RESERVED.match(name) and name.strip()
    assert len(list(out.iterdir())) == len(awkward)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), max_size=12))
def test_safe_names_property(names):
    result = safe_names(names)
    files = list(result.values())
    assert len({f.casefold() for f in files}) == len(set(names))
    for f in files:
        assert f and not FORBIDDEN & set(f) and not RESERVED.match(f)
        assert not any(ord(c) < 32 for c in f)
        assert f == f.strip() and not f.endswith(".")
        assert len(f) <= 90


def test_formula_cells_are_neutralised(run, data, edit, tmp_path):
    edit(data / "gzf-2024-57.toml", 'title = "深化户籍制度改革"', 'title = "=HYPERLINK(\\"http://x\\")"')
    edit(data / "gzf-2024-57.toml", 'title = "健全农业转移人口住房保障体系"', 'title = "+1-2"')
    edit(data / "gzf-2024-57.toml", 'title = "推动环境基础设施提级扩能"', 'title = "@SUM(A1)"')
    edit(data / "gzf-2024-57.toml", 'title = "推行城市运行一网统管"', 'title = "-3"')
    rows = list(csv.DictReader(io.StringIO(run("tasks", "-f", "csv", data=data).stdout.lstrip("\ufeff"))))
    titles = {r["编号"]: r["任务"] for r in rows}
    assert titles["gzf-2024-57-01"] == '\'=HYPERLINK("http://x")'
    assert titles["gzf-2024-57-04"] == "'+1-2"
    assert titles["gzf-2024-57-07"] == "'@SUM(A1)"
    assert titles["gzf-2024-57-27"] == "'-3"
    assert titles["gzf-2024-57-02"] == "强化农业转移人口就业服务"
    run("checklist", "省住建厅", "--out", tmp_path, "-f", "csv", data=data)
    assert {r["任务"] for r in read_csv(tmp_path / "省住建厅.csv")} >= {"'+1-2", "'@SUM(A1)", "'-3"}


@given(st.text(max_size=30))
def test_spreadsheet_cells_never_start_a_formula(cell):
    out = spreadsheet(cell)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", out)  # nothing an XML part may not hold
    assert out in (document(cell), "'" + document(cell))


@pytest.fixture
def shared_among_processes(monkeypatch):
    """`checklist --all` as at a province's size, once called: the lists shared among forked
    processes; what it returns holds the pool of processes of each run that shared its lists."""
    import multiprocessing

    from cityplan_cli import forked
    from cityplan_cli.cli import checklist as command

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("this system does not fork")
    pools = []
    enter = forked.Forked.__enter__

    def entered(self):
        pools.append(enter(self)._pool)
        return self

    monkeypatch.setattr(forked.Forked, "__enter__", entered)

    def share() -> list:
        monkeypatch.setattr(command, "PARALLEL_ITEMS", 1)
        monkeypatch.setattr(forked, "processes", lambda: 2)
        return pools

    return share


def test_lists_written_by_several_processes_are_those_written_by_one(run, tmp_path, shared_among_processes):
    here = run("checklist", "--all", "-f", "md", "-f", "csv", "--out", tmp_path / "a").stdout.splitlines()
    pools = shared_among_processes()
    assert not pools  # the bundled data is small: written here
    forked_ = run("checklist", "--all", "-f", "md", "-f", "csv", "--out", tmp_path / "b").stdout.splitlines()
    assert pools and pools[0] is not None
    assert [Path(p).relative_to(tmp_path / "b") for p in forked_] == [
        Path(p).relative_to(tmp_path / "a") for p in here
    ]
    for path in here:
        mine = Path(path)
        assert (tmp_path / "b" / mine.name).read_bytes() == mine.read_bytes()


def test_a_list_written_in_pieces_is_the_list(run, tmp_path, monkeypatch):
    """A long list is written a few lines at a time (render.checklist.PIECES): wherever the pieces
    break, the file is the one written whole."""
    from cityplan_cli.render import checklist as render

    whole = run("checklist", "--all", "-f", "md", "--out", tmp_path / "a").stdout.splitlines()
    monkeypatch.setattr(render, "PIECES", 2)
    pieces = run("checklist", "--all", "-f", "md", "--out", tmp_path / "b").stdout.splitlines()
    assert len(pieces) == len(whole) > 10
    for path in whole:
        mine = Path(path)
        assert (tmp_path / "b" / mine.name).read_bytes() == mine.read_bytes()


def test_a_file_refused_in_another_process_is_named_as_here(run, tmp_path, shared_among_processes):
    out = tmp_path / "清单"
    out.mkdir()
    kept = out / "金昌市政府.md"
    kept.write_text("kept", encoding="utf-8")
    kept.chmod(0o444)
    pools = shared_among_processes()
    result = run("checklist", "--all", "-f", "md", "--out", out, code=2)
    assert pools[0] is not None
    assert result.stderr.startswith(f"cityplan: error: {kept} is read-only")
    assert "make it writable" in result.stderr and "Traceback" not in result.stderr
    assert kept.read_text(encoding="utf-8") == "kept"
    assert not [p for p in out.iterdir() if "cityplan-tmp" in p.name]


def test_a_document_added_later_keeps_every_list_in_data_order(run, data, tmp_path):
    """The stored index numbers a file added later after the others; the lists still give a unit's
    tasks in data order (files by path, then as each lists them), whichever way they are read."""
    run("duties", "省住建厅", data=data)  # the stored index, before the new file
    (data / "a-first.toml").write_text(
        '[document]\nid = "a-first"\nissuer = "甘肃省人民政府"\ntitle = "先行方案"\n\n'
        '[[tasks]]\nid = "a-first-01"\nseq = 1\ntitle = "先行任务"\nlead = ["省住建厅"]\n',
        encoding="utf-8",
    )
    stored, uncached, one = tmp_path / "stored", tmp_path / "uncached", tmp_path / "one"
    run("checklist", "--all", "--format", "md", "--out", stored, data=data)
    run("checklist", "--all", "--format", "md", "--out", uncached, "--no-cache", data=data)
    run("checklist", "省住建厅", "--format", "md", "--out", one, data=data)
    md = (stored / "省住建厅.md").read_text(encoding="utf-8")
    assert md == (uncached / "省住建厅.md").read_text(encoding="utf-8")
    assert md == (one / "省住建厅.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in stored.iterdir()) == sorted(p.name for p in uncached.iterdir())
    for path in stored.iterdir():
        assert path.read_bytes() == (uncached / path.name).read_bytes(), path.name
    lead_part = md[md.index("## 牵头任务") : md.index("## 配合任务")]
    headings = re.findall(r"^### \d+\. (.+)$", lead_part, flags=re.MULTILINE)
    assert headings[0] == "先行任务"
    assert headings[1] == "健全农业转移人口住房保障体系"  # the first before the file came (test_one_unit)
    # The task listing reads the same order from the stored index as from the files.
    listed = [t["id"] for t in run.json("tasks", data=data)]
    assert listed[0] == "a-first-01"
    assert listed == [t["id"] for t in run.json("tasks", "--no-cache", data=data)]
