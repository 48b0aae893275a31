"""Every task document of the source text as data, checked against the document's own words: each
document names its source text, each owner has its basis there, each text and time limit is quoted
from it, and the units the texts name are the registry's `source = "seed"` units."""

from __future__ import annotations

import itertools
import re

import pytest

from cityplan_cli.basis import Source, named_units, normalize
from cityplan_cli.load import tomllib
from conftest import DATA, SEED, seed_lines
from test_basis import bundled, check_document, document_files

DOCS = [p.stem for p in document_files()]


def head(doc: str) -> dict:
    return tomllib.loads((DATA / f"{doc}.toml").read_text(encoding="utf-8"))["document"]


def source_of(doc: str) -> Source:
    path = head(doc)["source"]
    return Source((DATA / path).read_text(encoding="utf-8"), path)


def tasks_of(run, doc: str) -> list[dict]:
    return run.json("tasks", "--doc", doc)


# ---------------------------------------------------------------------------------------------
# Every document against its source text


def span(doc: str) -> tuple[int, int]:
    """Where the document's source text sits among the seed's lines: first and after-last index."""
    lines = (DATA / head(doc)["source"]).read_text(encoding="utf-8").splitlines()
    starts = [i for i in range(len(SEED)) if SEED[i : i + len(lines)] == lines]
    assert len(starts) == 1, f"{doc}: its source is not the seed's lines, unchanged and in one piece"
    return starts[0], starts[0] + len(lines)


def test_each_document_names_its_text_and_the_texts_are_the_seeds_apart():
    spans = sorted(span(doc) for doc in DOCS)
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))


@pytest.mark.parametrize("doc", DOCS)
def test_every_owner_has_its_basis_in_the_source(doc):
    problems, results = check_document(DATA / f"{doc}.toml")
    assert [(p.severity, p.message) for p in problems] == []
    for task_id, result in results.items():
        assert all(o.grounds for o in result.owners), task_id
        assert all(g.line is not None for o in result.owners for g in o.grounds), task_id


@pytest.mark.parametrize("doc", DOCS)
def test_every_text_and_time_limit_is_the_documents_words(run, doc):
    source = source_of(doc)
    for task in tasks_of(run, doc):
        assert source.find(task["text"]) is not None, task["id"]
        if task["time_limit"]:
            assert source.find(task["time_limit"]) is not None, task["id"]


def test_the_units_the_texts_name_are_the_seeds():
    registry = bundled().registry
    named: set[str] = set()
    for doc in DOCS:
        named |= set(named_units(source_of(doc).text, registry, issuer=head(doc)["issuer"]))
    units = tomllib.loads((DATA / "units.toml").read_text(encoding="utf-8"))
    marked = {u["name"]: u.get("source") for u in units["units"] + units["collectives"]}
    assert set(marked.values()) == {"seed", "registry"}
    assert {name for name, source in marked.items() if source == "seed"} == named


# ---------------------------------------------------------------------------------------------
# Notices: the instruction of each notice falls to its addressees, alike in every document


NOTICES = {
    "gzf-2023-73": "gzf-2023-73-26",
    "jc-cxrh-2023": "jc-cxrh-2023-85",
    "jzbf-2023-66": "jzbf-2023-66-01",
}


@pytest.mark.parametrize(("doc", "task_id"), NOTICES.items())
def test_a_notice_instruction_falls_to_every_addressee(run, doc, task_id):
    text = source_of(doc).text.splitlines()
    addressees = next(line for line in text if line.endswith(":"))
    instruction = next(line for line in text if "印发给你们" in line)
    task = run.json("show", task_id)
    assert task["label"] == "通知"
    assert normalize(task["text"]) in normalize(instruction)
    expected = named_units(addressees, bundled().registry, issuer=head(doc)["issuer"])
    assert (task["lead"], task["support"], task["local"]) == ([], [], list(expected))
    # Every other task of the document is an item of the plan, not the notice.
    assert [t["id"] for t in tasks_of(run, doc) if t["label"] == "通知"] == [task_id]


def test_the_market_plan_notice_is_the_documents_only_task(run):
    (task,) = tasks_of(run, "金政办发〔2023〕66号")
    assert "金昌市政府有关部门" in task["local"]  # 市政府有关部门、单位, a collective
    assert (
        run.json("docs")[4]["title"]
        == "金昌市人民政府办公室关于印发金昌市农(集)贸市场专项规划(2023-2035年)的通知"
    )


# ---------------------------------------------------------------------------------------------
# 甘政发〔2023〕73号 甘肃省新材料产业发展规划: lines 162–252


NEW_MATERIALS = seed_lines(162, 252)


def new_materials_titles() -> list[str]:
    """The plan tasks as the text heads them: numbered 重点领域 items, the 前沿新材料 heading,
    the 九大工程 and the 保障措施."""
    titles, part = [], None
    for line in NEW_MATERIALS:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            part = line
        elif part == "三、重点领域" and (m := re.match(r"^\d\.(.+?)。", line)):
            titles.append(m.group(1))
        elif part == "三、重点领域" and line == "(三)积极布局前沿新材料。":
            titles.append("积极布局前沿新材料")
        elif part in ("四、重大工程", "五、保障措施") and (
            m := re.match(r"^\([一二三四五六七八九十]+\)(.+)。$", line)
        ):
            titles.append(m.group(1))
    return titles


def test_new_materials_plan(run):
    tasks = [t for t in tasks_of(run, "甘政发〔2023〕73号") if t["label"] != "通知"]
    expected = new_materials_titles()
    assert len(expected) == 4 + 5 + 1 + 9 + 6
    assert [t["title"] for t in tasks] == expected
    assert [t["seq"] for t in tasks] == list(range(1, 26))
    engineering = [t for t in tasks if t["section"] == "四、重大工程"]
    assert len(engineering) == 9 and engineering[0]["title"] == "创新基础能力提升工程"


def test_the_one_owner_the_new_materials_plan_names(run):
    # 保障措施(一): 省发展改革委牵头抓总; no other plan task names anyone.
    _, results = check_document(DATA / "gzf-2023-73.toml")
    (owner,) = results["gzf-2023-73-20"].owners
    assert (owner.unit, owner.role, owner.grounds[0].text) == ("省发展改革委", "lead", "省发展改革委牵头抓总")
    plan = [t for t in tasks_of(run, "gzf-2023-73") if t["label"] != "通知"]
    assert [t["id"] for t in plan if t["owners"]] == ["gzf-2023-73-20"]


# ---------------------------------------------------------------------------------------------
# 金昌市城乡融合发展示范区建设规划(2023—2030年): lines 258–376

RURAL_URBAN = seed_lines(258, 376)


def rural_urban_expected() -> dict[str, list[str]]:
    """Titles by section: section 三's five spatial tasks, every (N) item of sections 四 to 十一,
    and the tasks inside 专栏 1–3."""
    by_section: dict[str, list[str]] = {}
    section = None
    for line in RURAL_URBAN:
        if m := re.match(r"^([三四五六七八九十]|十一)、", line):
            section = m.group(1)
        if section is None:
            continue
        if m := re.match(r"^(做强|壮大|提升|建设|培育)(“[^”]+”)。即", line):
            by_section.setdefault(section, []).append(m.group(1) + m.group(2))
        elif m := re.match(r"^\([一二三四五六七八九十]+\)(.+?)。", line):
            by_section.setdefault(section, []).append(m.group(1))
        elif line.endswith(" |") and not line.startswith("专栏"):
            items = re.findall(r"(?:^|。 )(?:\d+\.)?([^。]+?)。", line)
            by_section.setdefault(f"{section} 专栏", []).extend(items)
    return by_section


def test_rural_urban_plan(run):
    tasks = [t for t in tasks_of(run, "jc-cxrh-2023") if t["label"] != "通知"]
    expected = rural_urban_expected()
    assert {k: len(v) for k, v in expected.items()} == {
        "三": 5,
        "四": 9,
        "四 专栏": 9,
        "五": 6,
        "六": 4,
        "六 专栏": 4,
        "七": 5,
        "八": 4,
        "九": 8,
        "九 专栏": 18,
        "十": 6,
        "十一": 6,
    }
    assert len(tasks) == 84
    in_order = [title for titles in expected.values() for title in titles]
    assert sorted(t["title"] for t in tasks) == sorted(in_order)
    box3 = [t for t in tasks if "专栏3" in t["section"]]
    assert [t["title"] for t in box3] == expected["九 专栏"]
    assert box3[0]["title"] == "深化户籍制度改革" and box3[-1]["title"] == "深化人才引进培养体制机制改革"
    assert all(t["section"].startswith("九、坚持改革创新") for t in box3)
    assert tasks[0]["section"].startswith("三、坚持强城带乡")


def test_the_plans_own_words_name_who_acts(run):
    """Where an item says 县区 (or 永昌县, 金川区, 经开区) are to act, they own it: the quote that says so
    is in the item itself."""
    source = source_of("jc-cxrh-2023")
    _, results = check_document(DATA / "jc-cxrh-2023.toml")
    by_id = {t["id"]: t for t in tasks_of(run, "jc-cxrh-2023")}
    owned = {task_id for task_id, r in results.items() if r.owners and by_id[task_id]["label"] != "通知"}
    assert {by_id[t]["label"] for t in owned} == {"四(三)", "九(六)", "十(四)", "十(五)", "十一(一)"}
    for task_id in owned:
        item_line = source.find(by_id[task_id]["text"])
        for owner in results[task_id].owners:
            assert all(g.line == item_line for g in owner.grounds), (task_id, owner.unit)
    assert set(by_id["jc-cxrh-2023-79"]["local"]) == {"永昌县政府", "金川区政府"}


# ---------------------------------------------------------------------------------------------
# 金政发〔2023〕9号, and the 政府信息公开指南


def test_reply_to_the_development_zone(run):
    tasks = tasks_of(run, "金政发〔2023〕9号")
    assert [t["label"] for t in tasks] == ["一", "二", "三"]
    assert all(t["lead"] == ["金昌经开区管委会"] and t["owners"] == ["金昌经开区管委会"] for t in tasks)
    # Item 一 approves the plan and directs how to carry it out: the directive is the task.
    first = tasks[0]
    assert first["title"] in first["text"] and first["title"].endswith("组织实施")
    assert run.json("show", "jzf-2023-9-03")["text"].startswith("你委要严格按照")


def test_the_guide_does_not_divide_what_it_gives_together(run):
    """Where the guide names two bodies for a duty (or says 本机关 of them), both lead: it names no one to
    support another."""
    _, results = check_document(DATA / "jc-xxgk-2023.toml")
    for task in tasks_of(run, "jc-xxgk-2023"):
        assert task["support"] == [] and task["local"] == [], task["id"]
        grounds = {g for o in results[task["id"]].owners for g in o.grounds}
        assert len(grounds) == 1, task["id"]  # one sentence names them all


@pytest.mark.parametrize(
    "duty",
    [
        "审查",  # 三: 市级行政机关应当…进行审查
        "收费通知",  # 二(四): 在政府信息公开申请处理期限内…发出收费通知
        "查阅点",  # 一(三): 设置本机关政府信息公开查阅点
        "20个工作日内予以答复",
        "7个工作日内一次性告知申请人作出补正",
        "自该信息形成或者变更之日起20个工作日内",
    ],
)
def test_each_standing_duty_of_the_guide_is_a_task(run, duty):
    tasks = [t for t in tasks_of(run, "jc-xxgk-2023") if duty in t["text"] + (t["time_limit"] or "")]
    assert tasks and all(t["owners"] for t in tasks)
    assert source_of("jc-xxgk-2023").find(duty) is not None


@pytest.mark.parametrize(
    ("unit", "contact"),
    [
        ("金昌市政府办公室信息公开科", ["0935-8220051", "新华路82号", "8:30-12:00"]),
        ("金昌市政务公开领导小组办公室", ["jcsxxgkb@163.com", "0935-8213402", "周一至周五"]),
        ("金昌市行政复议委员会办公室", ["延安路103号", "737100"]),
    ],
)
def test_contacts_come_from_the_guide_and_show_in_duties_and_checklists(run, tmp_path, unit, contact):
    guide = "\n".join(seed_lines(3, 102))
    assert all(c in guide for c in contact)
    duties = run("duties", unit, "--format", "table").stdout
    run("checklist", unit, "--out", tmp_path, "--format", "md")
    md = (tmp_path / f"{unit}.md").read_text(encoding="utf-8")
    for c in contact:
        assert c in duties.replace("\n", "").replace(" ", "")
        assert c in md
    # The unit's card carries each detail the guide gives, in the field that holds it.
    (card,) = [u for u in run.json("units") if u["name"] == unit]
    assert all(any(c in value for value in card["contact"].values()) for c in contact)


def test_the_news_paragraph_is_not_a_document(run):
    news = seed_lines(103, 103)[0]
    assert "低空经济" in news
    assert all("低空" not in t["text"] for t in run.json("tasks"))
    assert all(source_of(doc).find(news) is None for doc in DOCS)


def test_docs_index(run):
    docs = run.json("docs")
    assert [d["number"] for d in docs] == [
        "甘政发〔2023〕73号",
        "甘政发〔2024〕57号",
        None,
        None,
        "金政办发〔2023〕66号",
        "金政发〔2023〕9号",
    ]
    by_id = {d["id"]: d for d in docs}
    assert (by_id["gzf-2024-57"]["tasks"], by_id["gzf-2024-57"]["unowned"]) == (39, 0)
    assert by_id["gzf-2023-73"]["date"] == "2023-11-12"
    header = run("docs", "--format", "csv").stdout.lstrip("\ufeff").splitlines()[0].split(",")
    # The source opens with the header of a document index: the listing has each of its columns, in order.
    index = [c.strip() for c in seed_lines(1, 1)[0].split("|") if c.strip()]
    assert len(index) == 5 and [c for c in header if c in index] == index
