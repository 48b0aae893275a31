"""The responsibility graph and the questions asked of it: duties, unowned, graph files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pydot
import pytest

from cityplan_cli import graph
from cityplan_cli.load import load
from conftest import DATA


@pytest.fixture(scope="module")
def g() -> nx.DiGraph:
    ds, problems = load(DATA)
    assert problems == []
    return graph.build(ds)


def test_the_graph_holds_documents_tasks_units_and_collectives(g):
    types = nx.get_node_attributes(g, "type")
    assert types["doc:gzf-2024-57"] == "document"
    assert types["task:gzf-2024-57-01"] == "task"
    assert types["unit:省住建厅"] == "unit"
    assert types["unit:各市州政府"] == "collective"
    assert g.edges["unit:省公安厅", "task:gzf-2024-57-01"] == {"rel": "role", "role": "lead"}
    assert g.edges["unit:各市州政府", "unit:金昌市政府"] == {"rel": "member"}
    assert g.edges["unit:各市州政府", "task:gzf-2024-57-02"]["role"] == "local"  # from the document rule


def test_duties_reach_a_unit_through_its_collective(run):
    duties = run.json("duties", "金昌市政府", "--doc", "gzf-2024-57")
    by_seq = {d["seq"]: d for d in duties}
    assert by_seq[2]["role"] == "local" and by_seq[2]["via"] == "各市州政府"
    assert by_seq[21]["role"] == "local" and by_seq[21]["via"] is None  # named by the item itself
    assert 13 not in by_seq  # items (十三)–(十九) name 兰州 and 白银 only
    # Every duty but item 21 arrives only through the collective.
    assert {d["seq"] for d in duties if d["via"] is None} == {21}
    assert len(duties) == 30


def test_a_unit_named_directly_and_through_a_collective_counts_once(run, data, edit):
    edit(data / "gzf-2024-57.toml", 'lead = ["省公安厅"]', 'lead = ["省公安厅"]\nsupport = ["金昌市政府"]')
    text = (data / "gzf-2024-57.toml").read_text(encoding="utf-8")
    (data / "gzf-2024-57.toml").write_text(
        text.replace('support = ["金昌市政府"]\nsupport = []', 'support = ["金昌市政府"]'), encoding="utf-8"
    )
    duties = [d for d in run.json("duties", "金昌市政府", "--doc", "gzf-2024-57", data=data) if d["seq"] == 1]
    assert [(d["role"], d["via"]) for d in duties] == [("support", None)]


def test_nested_collectives(run, data):
    with (data / "units.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[collectives]]\nname = "河西五市政府"\nmembers = ["金昌市政府", "酒泉市政府"]\n')
        f.write('\n[[collectives]]\nname = "全省地方政府"\nmembers = ["河西五市政府", "兰州新区管委会"]\n')
    text = (data / "gzf-2024-57.toml").read_text(encoding="utf-8")
    text = text.replace(
        'lead = ["省住建厅"]\nsupport = []\nlocal = []',
        'lead = ["省住建厅"]\nsupport = []\nlocal = ["全省地方政府"]',
    )
    (data / "gzf-2024-57.toml").write_text(text, encoding="utf-8")
    duties = {d["seq"]: d for d in run.json("duties", "金昌市政府", "--doc", "gzf-2024-57", data=data)}
    # The collective the task names is the one the duty arrives through; it names 市州 governments
    # (through 河西五市政府), so the document rule leaves the item alone.
    assert (duties[27]["role"], duties[27]["via"]) == ("local", "全省地方政府")
    assert "各市州政府" not in run.json("show", "gzf-2024-57-27", data=data)["local"]


@pytest.mark.parametrize("named", [["河西五市政府", "西部三市政府"], ["西部三市政府", "河西五市政府"]])
def test_a_unit_in_two_collectives_of_a_task_comes_through_the_first_named(run, data, named):
    """Two collectives the same distance away, named in one role: a member comes through the one the
    task names first, in every answer (its duties, the checklist, the task's parts)."""
    with (data / "units.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[collectives]]\nname = "河西五市政府"\nmembers = ["酒泉市政府", "金昌市政府"]\n')
        f.write('\n[[collectives]]\nname = "西部三市政府"\nmembers = ["金昌市政府", "酒泉市政府"]\n')
    document = data / "gzf-2024-57.toml"
    text = document.read_text(encoding="utf-8")
    at = text.index('id = "gzf-2024-57-04"')
    local = "local = " + json.dumps(named, ensure_ascii=False)
    document.write_text(text[:at] + text[at:].replace("local = []", local, 1), encoding="utf-8")
    first = named[0]
    for unit in ("金昌市政府", "酒泉市政府"):
        (duty,) = [d for d in run.json("duties", unit, data=data) if d["id"] == "gzf-2024-57-04"]
        assert (duty["role"], duty["via"]) == ("local", first), unit
    parts = {p["unit"]: p["via"] for p in run.json("show", "gzf-2024-57-04", data=data)["parts"]}
    assert parts["金昌市政府"] == parts["酒泉市政府"] == first
    run("checklist", "金昌市政府", "--out", data / "out", "-f", "md", data=data)
    item = (data / "out" / "金昌市政府.md").read_text(encoding="utf-8").split("gzf-2024-57-04")[1]
    assert item.split("\n### ")[0].count("（本单位为其成员）") == 1
    assert f"：{first}（本单位为其成员）" in item.split("\n### ")[0]


@pytest.mark.parametrize("name", ["省住建厅", "甘肃省住房和城乡建设厅", "甘肃省住建厅", " 省住建厅 "])
def test_every_name_of_a_unit_gives_the_same_duties(run, name):
    assert run.json("duties", name) == run.json("duties", "省住建厅")


def test_a_nameplate_names_its_unit(run):
    assert run.json("duties", "省数据局") == run.json("duties", "省政府办公厅")
    assert run.json("duties", "省政府办公厅〔省数据局〕") == run.json("duties", "省政府办公厅")
    assert [d["seq"] for d in run.json("duties", "省数据局", "--doc", "gzf-2024-57")] == [26, 28]


def test_duties_filters(run):
    leads = run.json("duties", "省住建厅", "--role", "lead")
    assert [d["seq"] for d in leads] == [4, 7, 23, 24, 25, 27, 38]
    assert all(d["role"] == "lead" and d["via"] is None for d in leads)
    by_number = run.json("duties", "省住建厅", "--doc", "甘政发〔2024〕57号")
    assert by_number == run.json("duties", "省住建厅", "--doc", "gzf-2024-57")
    assert {d["doc_id"] for d in run.json("duties", "省住建厅")} == {"gzf-2024-57", "gzf-2023-73"}


@pytest.mark.parametrize(
    ("typed", "meant"), [("省住房厅", "省住建厅"), ("住建厅", "省住建厅"), ("发改委", "省发展改革委")]
)
def test_unknown_unit_suggests_the_closest(run, typed, meant):
    result = run("duties", typed, code=2)
    assert result.stderr.startswith(f"cityplan: error: unknown unit '{typed}'; did you mean {meant}")
    assert result.stdout == ""


def test_unowned(run, data, edit):
    assert run.json("unowned", "--doc", "gzf-2024-57") == []
    run("unowned", "--doc", "gzf-2024-57", "--fail-on-findings")
    # Take item 27's only owner away, and the document rule away from it.
    after = (
        '\nsupport = []\nlocal = []\n\n[[tasks.basis]]\nquote = "(责任单位:省住建厅)"'
        '\n\n[[tasks]]\nid = "gzf-2024-57-28"'
    )
    edit(data / "gzf-2024-57.toml", 'lead = ["省住建厅"]' + after, "lead = []" + after)
    edit(data / "gzf-2024-57.toml", "from_seq = 2\n", "from_seq = 2\nto_seq = 26\n")
    assert [t["id"] for t in run.json("unowned", "--doc", "gzf-2024-57", data=data)] == ["gzf-2024-57-27"]
    run("unowned", "--doc", "gzf-2024-57", "--fail-on-findings", "--format", "json", data=data, code=1)
    assert run.json("unowned", "--doc", "gzf-2024-57", data=data)[0]["seq"] == 27


def test_graphml_reads_back_equal(run, g, tmp_path):
    out = tmp_path / "graph.graphml"
    assert run("graph", "--out", out).stdout == f"{out}\n"
    back = nx.read_graphml(out)
    assert isinstance(back, nx.DiGraph)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert {(u, v): d for u, v, d in back.edges(data=True)} == {(u, v): d for u, v, d in g.edges(data=True)}


def test_gexf_and_node_link_json_read_back(run, g, tmp_path):
    run("graph", "--out", tmp_path / "g.gexf")
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert set(gexf.nodes) == set(g.nodes) and gexf.number_of_edges() == g.number_of_edges()
    run("graph", "--out", tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    linked = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(linked, g)


def test_dot_keeps_every_node(run, g, tmp_path):
    run("graph", "--out", tmp_path / "g.dot")
    (dot,) = pydot.graph_from_dot_file(tmp_path / "g.dot", encoding="utf-8")
    names = {json.loads(n.get_name()) for n in dot.get_nodes()}
    assert names == set(g.nodes)
    assert len(dot.get_edges()) == g.number_of_edges()


def test_graph_format_errors(run, tmp_path):
    result = run("graph", "--out", tmp_path / "g.xyz", code=2)
    assert "cannot tell the format of 'g.xyz'" in result.stderr
    assert not (tmp_path / "g.xyz").exists()
    assert run("graph", "--out", tmp_path / "g.xyz", "--format", "graphml").stdout.strip().endswith("g.xyz")


def test_graph_summary(run):
    ds, _ = load(DATA)
    summary = run.json("graph")
    collectives = sum(u.is_collective for u in ds.registry)
    assert summary["nodes"] == {
        "document": len(ds.documents),
        "unit": len(ds.registry) - collectives,
        "collective": collectives,
        "task": len(ds.tasks),
    }
    assert summary["edges"]["lead"] == sum(len(t.lead) for t in ds.tasks)
    # Documents left out, every task and unit sits in one part; an unowned task is a part of its own.
    assert sum(summary["components"]) == len(ds.registry) + len(ds.tasks)
    assert summary["components"].count(1) >= len(run.json("unowned"))
    assert summary["top_load"][0] == {"unit": "兰州市政府", "name": "兰州市政府", "load": 38.0}
    assert summary["top_betweenness"][0]["unit"] == "各市州政府"
    table = run("graph", "--format", "table").stdout
    assert "连通部分" in table and "中介中心性第 1 位" in table


def test_a_query_loads_nothing_it_does_not_use(tmp_path):
    code = (
        "import sys\n"
        "from cityplan_cli.cli import app\n"
        "try:\n"
        "    app(['duties', '省住建厅', '--format', 'json', '--data', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "CITYPLAN_CACHE_DIR": str(tmp_path)}

    def modules() -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", code, str(DATA)], capture_output=True, text=True, check=True, env=env
        )
        return set(done.stderr.split())

    first = modules()  # reads the files into the index
    assert "tomli" in first and "cityplan_cli.load.documents" in first
    again = modules()  # answered from the stored index
    for unused in (
        "networkx",
        "openpyxl",
        "docx",
        "tomlkit",
        "jinja2",
        "pydot",
        "pathvalidate",
        "rapidfuzz",
        "pydantic",
        "rich",
    ):
        assert unused not in first and unused not in again, unused
    assert not {m for m in again if m.startswith("cityplan_cli.load")} and "tomli" not in again
