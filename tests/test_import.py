"""`cityplan import`: documents' text to task TOML, owners placed and roles right."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityplan_cli.extract import cn_number, parse_clause, split_units
from cityplan_cli.load import load, tomllib
from conftest import DATA, FIXTURES

IMPORTS = FIXTURES / "import"
REGISTRY = load(DATA)[0].registry
LOCAL_BY_RULE = ["各市州政府", "兰州新区管委会"]

# What each test document states, item by item: (title, lead, support, local) after document rules.
EXPECTED = {
    "urban-renewal.txt": [
        ("实施老旧小区改造", ["省住建厅"], ["省发展改革委", "省财政厅"], ["各市州政府"]),
        ("推进完整社区建设", ["省民政厅"], ["省住建厅", "省卫生健康委"], LOCAL_BY_RULE),
        ("加强城市基础设施建设", ["省住建厅", "省发展改革委"], ["省财政厅", "省自然资源厅"], LOCAL_BY_RULE),
        ("推动城市数字化转型", ["省政府办公厅"], ["省住建厅", "省工信厅"], LOCAL_BY_RULE),
        ("保护历史文化街区", ["省文旅厅"], ["省住建厅"], ["兰州市政府", "天水市政府", "张掖市政府"]),
        ("强化组织领导", ["省住建厅"], [], LOCAL_BY_RULE),
        ("加强资金保障", ["省财政厅"], ["省发展改革委", "人行甘肃省分行"], LOCAL_BY_RULE),
    ],
    "county-commerce.txt": [
        ("完善县域商业网络", ["省商务厅"], ["省发展改革委", "省交通运输厅", "省邮政管理局"], []),
        ("发展农村电子商务", ["省商务厅"], ["省农业农村厅", "省供销社"], []),
        ("改造乡镇商贸中心", ["省商务厅"], [], ["各市州政府"]),
        ("建设农贸市场", ["省商务厅"], ["省市场监管局"], []),
        ("加强金融支持", ["人行甘肃省分行"], ["甘肃金融监管局"], []),
    ],
    "water-traditional.txt": [
        ("推进农村供水工程建设", ["省水利厅"], ["省卫生健康委"], ["各市州政府"]),
        ("加强水质监测", ["省卫生健康委"], ["省生态环境厅"], []),
        ("强化资金保障", ["省财政厅"], ["省发展改革委"], []),
    ],
    "modern-agriculture.txt": [
        ("建设高标准农田", ["省农业农村厅"], ["省财政厅"], ["各市州政府"]),
        ("发展设施农业", ["省农业农村厅"], ["省发展改革委", "省自然资源厅"], []),
        ("培育经营主体", ["省农业农村厅"], ["省市场监管局"], []),
        ("发展牛羊产业", ["省农业农村厅"], ["省商务厅", "省供销社"], []),
        ("发展蔬菜产业", ["省农业农村厅"], ["省商务厅"], ["定西市政府", "天水市政府", "武威市政府"]),
        ("加大金融支持", ["省委金融办"], ["人行甘肃省分行", "甘肃金融监管局"], []),
    ],
    "land-circled.txt": [
        ("加强用地计划保障", ["省自然资源厅"], [], []),
        ("加强资金保障", ["省财政厅"], ["人行甘肃省分行"], []),
        ("加强跟踪服务", ["省自然资源厅"], ["省发展改革委"], []),
    ],
}


def imported(run, source: Path, registry_only: Path, *extra: str, code: int = 0) -> tuple[list[dict], str]:
    out = registry_only.parent / "out"
    result = run("import", source, "--out", out, *extra, data=registry_only, code=code)
    for path in out.glob("*.toml"):
        shutil.copy(path, registry_only)
    draft = registry_only.parent / "units-draft.toml"
    if draft.exists():  # the units the registry lacked, registered as the draft proposes
        with (registry_only / "units.toml").open("a", encoding="utf-8") as f:
            f.write("\n" + draft.read_text(encoding="utf-8"))
    tasks = run.json("tasks", data=registry_only) if code == 0 else []
    return tasks, result.stderr


def triples(rows) -> set[tuple[str, str, str]]:
    """(item, unit, role) for every owner of every item."""
    found = set()
    for title, *roles in rows:
        for role, units in zip(("lead", "support", "local"), roles, strict=True):
            found |= {(title, unit, role) for unit in units}
    return found


PAIRS = {"(": "\uff08", ")": "\uff09", ":": "\uff1a", ",": "\uff0c", ";": "\uff1b"}
FULL_WIDTH = str.maketrans(PAIRS)
ASCII = str.maketrans({v: k for k, v in PAIRS.items()})


@pytest.mark.parametrize("width", ["as written", "full-width", "ascii"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_form_places_every_owner(run, registry_only, tmp_path, name, width):
    text = (IMPORTS / name).read_text(encoding="utf-8")
    source = tmp_path / name
    source.write_text(
        text if width == "as written" else text.translate(FULL_WIDTH if width == "full-width" else ASCII),
        "utf-8",
    )
    units_draft = registry_only.parent / "units-draft.toml"
    tasks, report = imported(run, source, registry_only, "--units-draft", units_draft)
    got = triples((t["title"], t["lead"], t["support"], t["local"]) for t in tasks)
    assert got == triples(EXPECTED[name]), report
    assert [t["title"] for t in tasks] == [e[0] for e in EXPECTED[name]]


def test_front_matter(run, registry_only):
    tasks, report = imported(run, IMPORTS / "urban-renewal.txt", registry_only)
    (doc,) = run.json("docs", data=registry_only)
    assert (doc["id"], doc["number"], doc["date"]) == ("gzbf-2025-12", "甘政办发〔2025〕12号", "2025-03-08")
    assert (doc["issuer"], doc["title"]) == ("甘肃省人民政府办公厅", "甘肃省城市更新行动实施方案")
    assert doc["addressees"] == ["各市、自治州人民政府", "兰州新区管委会", "省政府各部门"]
    assert tasks[0]["section"] == "二、重点任务" and tasks[-1]["section"] == "三、保障措施"
    assert tasks[0]["text"] == "实施老旧小区改造。加快推进城镇老旧小区改造\uff0c完善配套设施。"
    assert "7 tasks, 7 with owners, 0 without" in report
    assert "rule from task 2: 以下任务除已明确市州政府的\uff0c均需各市州政府、兰州新区管委会落实" in report


def test_leaders_after_a_clause_stay_with_their_item(run, registry_only):
    draft = registry_only.parent / "units-draft.toml"
    tasks, _ = imported(run, IMPORTS / "modern-agriculture.txt", registry_only, "--units-draft", draft)
    assert tasks[-1]["leaders"] == ["王五", "赵六"]  # 分管省领导 on the line after the item's clause
    assert [t["leaders"] for t in tasks[:-1]] == [[]] * 5


def test_leaders_are_people_not_units(run, registry_only):
    draft = registry_only.parent / "units-draft.toml"
    tasks, _ = imported(run, IMPORTS / "county-commerce.txt", registry_only, "--units-draft", draft)
    assert tasks[0]["leaders"] == ["李明"]
    assert "李明" not in tasks[0]["owners"]
    assert "分管省领导" not in tasks[0]["text"] and "牵头责任单位" not in tasks[0]["text"]
    assert tasks[0]["text"] == "建设县级物流配送中心和乡镇快递物流站点。"


def test_unknown_units_are_reported_and_drafted(run, registry_only):
    draft = registry_only.parent / "units-draft.toml"
    out = registry_only.parent / "out"
    result = run(
        "import", IMPORTS / "county-commerce.txt", "--out", out, "--units-draft", draft, data=registry_only
    )
    assert "units the registry does not know (kept as written):" in result.stderr
    assert "line 12: 省供销社" in result.stderr
    shutil.copy(next(out.glob("*.toml")), registry_only)
    assert "unknown unit '省供销社'" in run("check", data=registry_only, code=2).stdout
    # The draft, completed with a kind, makes the import check clean.
    units = tomllib.loads(draft.read_text(encoding="utf-8"))["units"]
    assert units == [{"name": "省供销社", "full_name": "省供销社", "kind": "待定"}]
    with (registry_only / "units.toml").open("a", encoding="utf-8") as f:
        f.write("\n" + draft.read_text(encoding="utf-8"))
    run("check", data=registry_only)


def test_traditional_characters_are_read_as_simplified(run, registry_only):
    _, report = imported(run, IMPORTS / "water-traditional.txt", registry_only)
    assert "converted from traditional characters to simplified" in report
    (doc,) = run.json("docs", data=registry_only)
    assert doc["number"] == "甘政发〔2025〕3号" and doc["title"] == "甘肃省农村供水保障工作方案"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "big5"])
def test_encodings(run, registry_only, tmp_path, encoding):
    source = "water-traditional.txt" if encoding == "big5" else "urban-renewal.txt"
    text = (IMPORTS / source).read_text(encoding="utf-8")
    path = tmp_path / f"doc-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    tasks, report = imported(run, path, registry_only)
    assert triples((t["title"], t["lead"], t["support"], t["local"]) for t in tasks) == triples(
        EXPECTED[source]
    )
    if encoding != "utf-8-sig":
        assert "not UTF-8" in report


def test_several_documents_in_one_file(run, registry_only, tmp_path):
    both = tmp_path / "both.txt"
    both.write_text(
        "\n".join(
            (IMPORTS / n).read_text(encoding="utf-8") for n in ("urban-renewal.txt", "land-circled.txt")
        ),
        encoding="utf-8",
    )
    tasks, report = imported(run, both, registry_only)
    assert [d["number"] for d in run.json("docs", data=registry_only)] == [
        "甘政办发〔2025〕12号",
        "甘自然资发〔2025〕8号",
    ]
    assert len(tasks) == 7 + 3
    assert "2 documents, 2 with numbered items" in report
    assert "holds 2 documents" in run("import", both, data=registry_only, code=2).stderr


def test_single_document_to_stdout(run, registry_only):
    result = run("import", IMPORTS / "land-circled.txt", data=registry_only)
    doc = tomllib.loads(result.stdout)
    assert doc["document"]["id"] == "gzrzf-2025-8"
    assert [t["lead"] for t in doc["tasks"]] == [["省自然资源厅"], ["省财政厅"], ["省自然资源厅"]]
    assert "→ stdout" in result.stderr


def test_never_overwrites_without_force(run, registry_only, tmp_path):
    target = tmp_path / "plan.toml"
    target.write_text("# mine\n", encoding="utf-8")
    result = run("import", IMPORTS / "land-circled.txt", "--out", target, data=registry_only, code=2)
    assert f"{target} exists; give --force to replace it" in result.stderr
    assert target.read_text(encoding="utf-8") == "# mine\n"
    run("import", IMPORTS / "land-circled.txt", "--out", target, "--force", data=registry_only)
    assert tomllib.loads(target.read_text(encoding="utf-8"))["document"]["number"] == "甘自然资发〔2025〕8号"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the input is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text"),
        ((IMPORTS / "news.txt").read_bytes(), "no numbered items or 分工表 rows found"),
        (b"\xff\xfe\xfd\xfc" * 50, "neither UTF-8 nor"),
    ],
    ids=["empty", "binary", "news", "garbage"],
)
def test_bad_input_gets_one_message(run, registry_only, tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    out = tmp_path / "out"
    result = run("import", path, "--out", out, data=registry_only, code=2)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_seed_round_trip(run, registry_only):
    """Importing the source text reproduces 甘政发〔2024〕57号 as bundled, and finds the others' items."""
    tasks, report = imported(run, FIXTURES / "seed.txt", registry_only)
    bundled = run.json("tasks", "--doc", "gzf-2024-57")
    ours = [t for t in tasks if t["doc_id"] == "gzf-2024-57"]
    fields = ("id", "seq", "section", "title", "text", "lead", "support", "local", "local_by_rule")
    assert [{k: t[k] for k in fields} for t in ours] == [{k: t[k] for k in fields} for t in bundled]
    data = tomllib.loads((registry_only / "gzf-2024-57.toml").read_text(encoding="utf-8"))
    assert (
        data["document"]["rules"]
        == tomllib.loads((DATA / "gzf-2024-57.toml").read_text(encoding="utf-8"))["document"]["rules"]
    )
    # The other documents' numbered items are found.
    titles = {t["title"] for t in tasks}
    # The notice's instruction (通知) is not a numbered item.
    assert {t["title"] for t in run.json("tasks", "--doc", "gzf-2023-73") if t["label"] != "通知"} <= titles
    rural = [
        t
        for t in run.json("tasks", "--doc", "jc-cxrh-2023")
        if t["label"].endswith(")") or "专栏3" in t["label"]
    ]
    assert {t["title"] for t in rural} <= titles
    reply = [t for t in tasks if t["doc"] == "金政发〔2023〕9号"]
    assert [t["label"] for t in reply] == ["一、", "二、", "三、"]
    assert [t["lead"] for t in reply] == [["金昌经开区管委会"]] * 3  # 你委, the one addressee of a 批复
    # The news paragraph and the 66号 notice, which numbers nothing, give no tasks.
    assert not any("低空" in t["text"] for t in tasks)
    assert "金政办发〔2023〕66号" in report and "no numbered items, not written" in report


# ---------------------------------------------------------------------------------------------
# Properties of the list and clause readers

UNITS = sorted(u.name for u in REGISTRY if not u.is_collective and u.kind in ("省直部门", "中央驻甘单位"))
CITIES = [
    "兰州市",
    "嘉峪关市",
    "金昌市",
    "白银市",
    "天水市",
    "武威市",
    "张掖市",
    "平凉市",
    "临夏州",
    "甘南州",
]
SEPARATOR = st.sampled_from(["、", ",", ",", ";", ";", "及"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(UNITS), min_size=1, max_size=8, unique=True), st.data())
def test_split_units_any_separators(units, data):
    text = units[0]
    for unit in units[1:]:
        text += data.draw(SEPARATOR) + unit
    text += data.draw(st.sampled_from(["", "等", "等单位", "。"]))
    assert split_units(text) == units


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(CITIES), min_size=1, max_size=6, unique=True),
    st.sampled_from(["政府", "人民政府"]),
)
def test_a_shared_suffix_distributes(cities, suffix):
    names = split_units("、".join(cities) + suffix)
    assert names == [c + suffix for c in cities]
    assert [REGISTRY.resolve(n) for n in names] == [c + "政府" for c in cities]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=5, unique=True),
    st.lists(st.sampled_from(CITIES), max_size=3, unique=True),
    st.booleans(),
    st.booleans(),
)
def test_responsibility_clause_in_either_width(departments, cities, full_width, labelled):
    comma, colon, semicolon = ("\uff0c", "\uff1a", "\uff1b") if full_width else (",", ":", ";")
    if labelled:
        body = f"牵头单位{colon}{departments[0]}"
        if departments[1:]:
            body += f"{semicolon}配合单位{colon}" + "、".join(departments[1:])
    else:
        body = f"责任单位{colon}" + "、".join(departments)
    if cities:
        body += (f"{semicolon}落实单位{colon}" if labelled else comma) + "、".join(cities) + "政府"
    owners = parse_clause(body, REGISTRY)
    assert owners is not None
    assert owners.lead == departments[:1]
    assert owners.support == departments[1:]
    assert [REGISTRY.resolve(u) for u in owners.local] == [c + "政府" for c in cities]


@given(st.integers(min_value=1, max_value=199))
def test_chinese_numbers(n):
    digits = "零一二三四五六七八九"
    hundreds, tens, ones = divmod(n, 100)[0], divmod(n % 100, 10)[0], n % 10
    text = (
        (digits[hundreds] + "百" if hundreds else "")
        + (
            ("" if tens == 1 and not hundreds else digits[tens]) + "十"
            if tens
            else ("零" if hundreds and ones else "")
        )
        + (digits[ones] if ones else "")
    )
    assert cn_number(text) == n
