"""The 39 action items of 甘政发〔2024〕57号, compared with the document's own text."""

from __future__ import annotations

import re

import pytest

from cityplan_cli.basis import Source
from cityplan_cli.load import tomllib
from conftest import DATA, FIXTURES, SEEDS, seed_lines

DIGITS = "一二三四五六七八九"
NUMERALS = {
    (("" if tens == 1 else DIGITS[tens - 1]) + "十" if tens else "") + (DIGITS[ones - 1] if ones else ""): 10
    * tens
    + ones
    for tens in range(4)
    for ones in range(10)
    if tens or ones
}
TEXT = seed_lines(104, 161)
# Item (一): 以下任务除已明确市州政府的,均需各市州政府、兰州新区管委会落实,不再一一列出
RULE = re.search(r"以下任务除已明确市州政府的,均需(.+?)落实,不再一一列出", "\n".join(TEXT))
DEFAULT_LOCAL = RULE.group(1).split("、")
SAME_UNIT = {"省政府办公厅〔省数据局〕": "省政府办公厅"}


def items_from_text() -> list[dict]:
    """Each (N) item as the text states it: the first unit leads, the other departments support,
    the governments after the comma implement, with 政府 distributed over a list of cities."""
    items, section = [], None
    for line in TEXT:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            section = line
            continue
        m = re.match(r"^\(([一二三四五六七八九十]+)\)(.*)\(责任单位:(.*)\)$", line)
        if not m:
            continue
        owners = m.group(3).split("。")[0]
        depts, _, places = owners.partition(",")
        local, pending = [], []
        for name in re.split("[、及]", places) if places else []:
            if name.endswith("政府"):
                local += [p + "政府" for p in pending] + [name]
                pending = []
            elif name.endswith("管委会"):
                local += [*pending, name]
                pending = []
            else:
                pending.append(name)
        units = [SAME_UNIT.get(u, u) for u in depts.split("、")]
        items.append(
            {
                "seq": NUMERALS[m.group(1)],
                "section": section,
                "title": m.group(2).split("。")[0],
                "text": m.group(2),
                "lead": units[:1],
                "support": units[1:],
                "local": local,
            }
        )
    return items


EXPECTED = items_from_text()


def test_fixture_is_the_seed_text():
    seed = SEEDS / "000_760ffc873eab96a0.txt"
    if not seed.exists():
        pytest.skip("the source documents are not beside this checkout")
    assert seed.read_bytes() == (FIXTURES / "seed.txt").read_bytes()


def test_every_item_matches_the_text(run):
    tasks = run.json("tasks", "--doc", "甘政发〔2024〕57号")
    # Every line of the text that assigns units is one task, in the text's order.
    assert len(tasks) == sum("(责任单位:" in line for line in TEXT)
    for task, item in zip(tasks, EXPECTED, strict=True):
        assert task["seq"] == item["seq"]
        assert task["doc"] == "甘政发〔2024〕57号"
        assert task["section"] == item["section"]
        assert task["title"] == item["title"]
        assert task["text"] == item["text"]
        assert task["lead"] == item["lead"], task["id"]
        assert task["support"] == item["support"], task["id"]
        # Item (一): 以下任务除已明确市州政府的,均需各市州政府、兰州新区管委会落实.
        assert task["local"] == (item["local"] or DEFAULT_LOCAL), task["id"]
        assert task["owners"] == list(dict.fromkeys(task["lead"] + task["support"] + task["local"]))


def test_items_that_name_their_cities_keep_them(run):
    tasks = {t["seq"]: t for t in run.json("tasks", "--doc", "gzf-2024-57")}
    assert tasks[13]["local"] == ["兰州市政府", "白银市政府", "兰州新区管委会"]
    assert tasks[20]["local"] == ["酒泉市政府", "嘉峪关市政府", "天水市政府"]
    assert "兰州新区管委会" not in tasks[20]["local"]
    assert tasks[2]["local_by_rule"] == DEFAULT_LOCAL
    assert tasks[1]["local_by_rule"] == []  # item (一) names them itself


def test_the_rule_is_stated_once_in_the_file():
    data = tomllib.loads((DATA / "gzf-2024-57.toml").read_text(encoding="utf-8"))
    assert len(data["document"]["rules"]) == 1
    assert data["document"]["rules"][0]["text"] == RULE.group(0)
    assert data["document"]["rules"][0]["local"] == DEFAULT_LOCAL
    stated = [t["local"] for t in data["tasks"]]
    assert stated[0] == DEFAULT_LOCAL
    assert all("各市州政府" not in local for local in stated[1:])
    # The file records what the text states, before any rule.
    assert [t["local"] for t in data["tasks"]] == [i["local"] for i in EXPECTED]


def test_the_notice_as_the_tool_reads_it(run):
    """Number, addressees, issuer, date and title as the notice's first lines give them."""
    number, addressees, forwarding, issuer, date = TEXT[:5]
    (doc,) = [d for d in run.json("docs") if d["id"] == "gzf-2024-57"]
    assert doc["number"] == number
    assert doc["addressees"] == addressees.rstrip(":").split(",")
    assert doc["issuer"] == issuer
    year, month, day = map(int, re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", date).groups())
    assert doc["date"] == f"{year:04d}-{month:02d}-{day:02d}"
    assert f"《{doc['title']}》" in forwarding


def test_each_items_basis_is_its_own_clause():
    data = tomllib.loads((DATA / "gzf-2024-57.toml").read_text(encoding="utf-8"))
    source = Source((DATA / data["document"]["source"]).read_text(encoding="utf-8"))
    for task, item in zip(data["tasks"], EXPECTED, strict=True):
        (entry,) = task["basis"]
        assert entry["quote"].startswith("(责任单位:"), task["id"]
        line = source.find(item["text"])
        assert source.find(entry["quote"], line) == line, task["id"]
    # Item (一) states the rule for the items after it.
    assert source.find(data["document"]["rules"][0]["text"]) == source.find(EXPECTED[0]["text"])
