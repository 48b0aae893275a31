"""Every task document of the source text as data: counts, titles and owners against the text."""

from __future__ import annotations

import re

import pytest

from conftest import seed_lines


def tasks_of(run, doc: str) -> list[dict]:
    return run.json("tasks", "--doc", doc)


def unowned_of(run, doc: str) -> list[dict]:
    return run.json("unowned", "--doc", doc)


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
    tasks = tasks_of(run, "甘政发〔2023〕73号")
    expected = new_materials_titles()
    assert len(expected) == 4 + 5 + 1 + 9 + 6
    assert [t["title"] for t in tasks] == expected
    assert [t["seq"] for t in tasks] == list(range(1, 26))
    engineering = [t for t in tasks if t["section"] == "四、重大工程"]
    assert len(engineering) == 9 and engineering[0]["title"] == "创新基础能力提升工程"
    # Every text is the document's own words.
    whole = "\n".join(NEW_MATERIALS)
    assert all(t["text"] in whole for t in tasks)


def test_new_materials_owners(run):
    tasks = {t["title"]: t for t in tasks_of(run, "gzf-2023-73")}
    # 保障措施(一): 省发展改革委牵头抓总 – the only owner the plan names.
    assert tasks["强化统筹联动机制"]["lead"] == ["省发展改革委"]
    assert [t["owners"] for t in tasks.values() if t["owners"]] == [["省发展改革委"]]
    assert len(unowned_of(run, "gzf-2023-73")) == 24


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
    tasks = tasks_of(run, "jc-cxrh-2023")
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


def test_rural_urban_plan_names_no_owner(run):
    assert all(not t["owners"] for t in tasks_of(run, "jc-cxrh-2023"))
    assert len(unowned_of(run, "jc-cxrh-2023")) == 84


# ---------------------------------------------------------------------------------------------
# 金政发〔2023〕9号, 金政办发〔2023〕66号 and the 政府信息公开指南


def test_reply_to_the_development_zone(run):
    tasks = tasks_of(run, "金政发〔2023〕9号")
    text = "\n".join(seed_lines(377, 384))
    assert [t["label"] for t in tasks] == ["一", "二", "三"]
    assert all(t["text"] in text for t in tasks)
    assert all(t["lead"] == ["金昌经开区管委会"] and t["owners"] == ["金昌经开区管委会"] for t in tasks)
    assert run.json("show", "jzf-2023-9-03")["text"].startswith("你委要严格按照")


def test_market_plan_notice(run):
    (task,) = tasks_of(run, "金政办发〔2023〕66号")
    assert task["local"] == ["永昌县政府", "金川区政府"]
    assert task["text"] in seed_lines(254, 254)[0]
    assert (
        run.json("docs")[4]["title"]
        == "金昌市人民政府办公室关于印发金昌市农(集)贸市场专项规划(2023-2035年)的通知"
    )


def test_information_disclosure_guide(run):
    tasks = {t["title"]: t for t in tasks_of(run, "jc-xxgk-2023")}
    guide = "\n".join(seed_lines(3, 102))
    assert "20个工作日" in tasks["主动公开政府信息"]["time_limit"]
    assert "7个工作日" in tasks["一次性告知申请人补正"]["time_limit"]
    answer = tasks["答复政府信息公开申请"]
    assert "20个工作日" in answer["time_limit"] and "延长" in answer["time_limit"]
    assert answer["lead"] == ["金昌市政务公开领导小组办公室"]
    assert tasks["政府信息公开申请材料存档"]["lead"] == ["金昌市政务公开领导小组办公室"]
    assert tasks["接收政府信息公开申请"]["lead"] == ["金昌市政府办公室信息公开科"]
    # Each limit is the guide's own.
    for said in (
        "20个工作日内予以公开",
        "7个工作日内一次性告知申请人作出补正",
        "延长答复的期限最长不超过20个工作日",
    ):
        assert said in guide and any(said in t["text"] for t in tasks.values()), said
    assert unowned_of(run, "jc-xxgk-2023") == []


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
    assert run.json("units")[0].keys() >= {"contact"}


def test_the_news_paragraph_is_not_a_document(run):
    news = seed_lines(103, 103)[0]
    assert "低空经济" in news
    assert all("低空" not in t["text"] for t in run.json("tasks"))


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
    assert (by_id["jc-cxrh-2023"]["tasks"], by_id["jc-cxrh-2023"]["unowned"]) == (84, 84)
    assert by_id["gzf-2023-73"]["date"] == "2023-11-12"
    header = run("docs", "--format", "csv").stdout.lstrip("\ufeff").splitlines()[0]
    assert header.split(",")[:7] == ["序号", "编号", "标题", "发文字号", "成文日期", "发布日期", "任务数"]
    assert seed_lines(1, 1)[0].startswith("序号 | 标题 | 发文字号 | 成文日期 | 发布日期")
