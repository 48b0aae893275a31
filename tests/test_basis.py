"""basis.py: the normaliser, the quote finder, which units words name, and each owner's grounds."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityplan_cli import basis
from cityplan_cli.basis import Basis, RuleBasis, Source, check_rules, check_task, named_units, normalize
from cityplan_cli.load import load, tomllib
from cityplan_cli.model import Dataset, Unit
from cityplan_cli.registry import Registry
from conftest import DATA

# Text as the sources are written: CJK, ASCII and full-width punctuation, white space of every kind.
TEXT = st.text(
    alphabet=st.sampled_from(list("省住建厅发展改革委、,,。;;::()()〔〕“”0123456789abc \t\n\u3000")),
    max_size=60,
)
ANY_TEXT = st.text(max_size=40)


def fullwidth(text: str) -> str:
    """ASCII printable characters written full-width, as the published originals write them."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ---------------------------------------------------------------------------------------------
# The normaliser


@given(ANY_TEXT)
def test_normalising_twice_changes_nothing(text):
    assert normalize(normalize(text)) == normalize(text)


@given(ANY_TEXT, ANY_TEXT)
def test_the_normal_form_of_a_part_is_part_of_the_normal_form(a, b):
    assert normalize(a + b) == normalize(a) + normalize(b)


@given(TEXT, st.data())
def test_white_space_counts_for_nothing(text, data):
    at = data.draw(st.integers(0, len(text)))
    space = data.draw(st.sampled_from([" ", "\n", "\t", "\u3000", "\r\n"]))
    assert normalize(text[:at] + space + text[at:]) == normalize(text)
    assert not any(c.isspace() for c in normalize(text))


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
def test_full_width_reads_as_half_width(text):
    assert normalize(fullwidth(text)) == normalize(text) == text


def test_a_clause_reads_the_same_in_either_punctuation():
    assert normalize("(责任单位:省住建厅、省发展改革委)") == normalize("(责任单位:省住建厅、省发展改革委)")
    assert normalize("金政办发 〔2023〕 66号") == "金政办发〔2023〕66号"


# ---------------------------------------------------------------------------------------------
# Finding a quote


def line_at(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


@given(TEXT, st.data())
def test_every_part_of_a_text_is_found_where_it_first_occurs(text, data):
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    quote = text[i:j]
    line = Source(text).find(quote)
    if not normalize(quote):
        assert line is None  # nothing to look for
        return
    first = i + next(k for k, c in enumerate(quote) if normalize(c))
    assert line is not None and 1 <= line <= line_at(text, first)
    # The line is the one where the normal form first occurs.
    starts = [
        k for k in range(len(text)) if normalize(text[k]) and normalize(text[k:]).startswith(normalize(quote))
    ]
    assert line == line_at(text, starts[0])


@given(TEXT, st.data())
def test_a_quote_is_found_however_it_is_spaced_or_punctuated(text, data):
    i = data.draw(st.integers(0, len(text)))
    quote = text[i : data.draw(st.integers(i, len(text)))]
    if not normalize(quote):
        return
    at = data.draw(st.integers(0, len(quote)))
    respaced = quote[:at] + " \n" + quote[at:]
    source = Source(text)
    assert source.find(respaced) == source.find(quote) == source.find(fullwidth(quote))


@given(TEXT, st.text(alphabet="甲乙丙", min_size=1, max_size=3))
def test_words_that_are_not_in_the_text_are_not_found(text, missing):
    assert Source(text).find(text + missing) is None
    assert Source(text).find(missing) is None


def test_the_line_is_the_sources():
    source = Source("第一行\n(责任单位:省住建厅、省发展改革委)\n第三行\n", "sources/x.txt")
    assert source.find("(责任单位:省住建厅、 省发展改革委)") == 2
    assert source.find("省发展改革委)\n第三行") == 2
    assert source.find("第三行") == 3
    assert source.find("第四行") is None
    assert source.find("") is None


def test_a_quote_found_twice_is_taken_from_where_the_task_is():
    source = Source("(一)甲。(责任单位:省住建厅)\n(二)乙。(责任单位:省住建厅)\n")
    assert source.find("(责任单位:省住建厅)") == 1
    assert source.find("(责任单位:省住建厅)", after=2) == 2
    assert source.find("(一)甲", after=2) == 1  # not after it: wherever it is
    result = check_task(
        registry(), source, {"lead": ["省住建厅"]}, [Basis("(责任单位:省住建厅)")], words={"text": "乙。"}
    )
    assert result.owners[0].grounds[0].line == 2


# ---------------------------------------------------------------------------------------------
# Which units words name


@cache
def bundled() -> Dataset:
    dataset, problems = load(DATA)
    assert not [p for p in problems if p.severity == "error"]
    return dataset


def registry() -> Registry:
    return bundled().registry


@pytest.mark.parametrize(
    ("words", "units"),
    [
        ("(责任单位:省住建厅、省发展改革委)", ["省住建厅", "省发展改革委"]),
        ("甘肃省住房和城乡建设厅、省发改委", ["省住建厅", "省发展改革委"]),  # full name, alias
        ("省政府办公厅〔省数据局〕", ["省政府办公厅"]),  # a nameplate in 〔〕
        ("省数据局牵头", ["省政府办公厅"]),
        ("兰州市、白银市政府及兰州新区管委会", ["兰州市政府", "白银市政府", "兰州新区管委会"]),
        ("各市、自治州人民政府", ["各市州政府"]),
        ("省政府各部门", ["省政府各部门"]),  # the longest name wins over 省政府
        ("加快建设区域中心城市", []),
    ],
)
def test_words_name_units_by_any_registered_name(words, units):
    assert list(named_units(words, registry())) == units


def test_a_shared_suffix_completes_each_name():
    reg = Registry()
    for name in ("甲市政府", "乙市政府", "丙县政府"):
        reg.add(Unit(name=name, full_name=name.replace("政府", "人民政府"), kind="市州政府"))
    # None of 甲市, 乙市 or 丙县 is a registered name: only the import grammar reads them.
    assert list(named_units("(责任单位:甲市、乙市政府)", reg)) == ["甲市政府", "乙市政府"]
    assert list(named_units("甲市、丙县人民政府", reg)) == ["甲市政府", "丙县政府"]
    assert named_units("甲市、乙市", reg) == {}


def test_a_document_names_the_units_of_its_own_place():
    jinchang = "金昌市人民政府"
    assert list(named_units("市政府及市政府办公室负责向社会主动公开", registry(), issuer=jinchang)) == [
        "金昌市政府",
        "金昌市政府办公室",
    ]
    assert list(named_units("县区要研究制定城乡融合发展实施方案", registry(), issuer=jinchang)) == [
        "金昌市县区政府"
    ]
    assert list(named_units("经开区打造1家", registry(), issuer=jinchang)) == ["金昌经开区管委会"]
    # The office of the 市政府 names its place through the 市政府.
    assert list(named_units("市政府有关部门、单位", registry(), issuer="金昌市人民政府办公室")) == [
        "金昌市政府有关部门"
    ]
    # Without the issuer, or in a provincial document, 市政府 is no unit.
    assert named_units("市政府及市政府办公室", registry()) == {}
    assert named_units("市政府及市政府办公室", registry(), issuer="甘肃省人民政府") == {}
    # What is left of a name once the place is gone must still say which unit: 政府办 does not.
    assert named_units("一切手续政府办", registry(), issuer=jinchang) == {}


def test_a_sub_unit_is_named_after_its_parent():
    office = "金昌市城乡融合发展领导小组办公室"
    words = "城乡融合发展示范区建设工作领导小组,设立领导小组办公室,负责统筹规划"
    assert office in named_units(words, registry(), issuer="金昌市人民政府")
    assert office not in named_units("设立领导小组办公室,负责统筹规划", registry(), issuer="金昌市人民政府")
    # The office comes after its group, not before it.
    backwards = "办公室负责统筹规划,城乡融合发展示范区建设工作领导小组"
    assert office not in named_units(backwards, registry(), issuer="金昌市人民政府")


def test_a_collective_covers_its_members():
    assert {"金昌市政府", "兰州市政府"} <= basis.covered("各市、自治州人民政府", registry())
    assert basis.members("金昌市级行政机关", registry()) >= {"金昌市政府", "金昌市政府办公室", "金昌市司法局"}
    assert basis.members("省住建厅", registry()) == set()


# ---------------------------------------------------------------------------------------------
# check_task on plain values

SOURCE = Source(
    "现将《方案》印发给你们,请认真组织实施。\n"
    "(一)改善居住条件。(责任单位:省住建厅、省发展改革委)\n"
    "以下任务均需各市州政府落实\n",
    "sources/t.txt",
)


def test_each_owner_with_its_role_and_grounds():
    result = check_task(
        registry(),
        SOURCE,
        {"lead": ["省住建厅"], "support": ["省发改委"], "local": ["各市州政府"]},
        [Basis("(责任单位:省住建厅、省发展改革委)")],
        [RuleBasis("以下任务均需各市州政府落实", ("各市州政府",))],
        words={"text": "改善居住条件。"},
    )
    assert result.problems == ()
    owners = {o.unit: o for o in result.owners}
    assert [(o.unit, o.role) for o in result.owners] == [
        ("省住建厅", "lead"),
        ("省发展改革委", "support"),  # any name in, the canonical name out
        ("各市州政府", "local"),
    ]
    (ground,) = owners["省住建厅"].grounds
    assert (ground.kind, ground.index, ground.how, ground.line) == ("quote", 0, "named", 2)
    (rule,) = owners["各市州政府"].grounds
    assert (rule.kind, rule.index, rule.text, rule.line) == ("rule", 0, "以下任务均需各市州政府落实", 3)


def problems(owners, entries, rules=(), **kw):
    return [
        (p.severity, p.basis, p.unit)
        for p in check_task(registry(), SOURCE, owners, entries, rules, **kw).problems
    ]


def test_an_owner_without_basis_is_a_warning():
    owners = {"lead": ["省住建厅"], "support": ["省财政厅"]}
    assert problems(owners, [Basis("(责任单位:省住建厅、省发展改革委)")]) == [("warning", None, "省财政厅")]
    # A rule covers only the units it added.
    assert problems(
        {"local": ["各市州政府", "兰州新区管委会"]},
        [],
        [RuleBasis("以下任务均需各市州政府落实", ("各市州政府",))],
    ) == [("warning", None, "兰州新区管委会")]


def test_a_quote_not_in_the_source_is_an_error():
    found = check_task(registry(), SOURCE, {"lead": ["省住建厅"]}, [Basis("(责任单位:省住建厅牵头)")])
    (problem,) = found.problems
    assert (problem.severity, problem.basis) == ("error", 0)
    assert problem.message.startswith("quote not found in sources/t.txt")
    assert found.owners[0].grounds[0].line is None


def test_a_quote_that_does_not_name_its_unit_is_an_error():
    entry = Basis("请认真组织实施", units=("省住建厅",), how="addressee")
    assert problems({"lead": ["省住建厅"]}, [entry]) == [("error", 0, "省住建厅")]
    # Named in the quote, the listed unit is grounded even where the quote names others too.
    entry = Basis("(责任单位:省住建厅、省发展改革委)", units=("省发展改革委",))
    assert problems({"support": ["省发展改革委"]}, [entry]) == []


def test_a_quote_for_no_owner_is_a_warning():
    assert problems(
        {"lead": ["省住建厅"]}, [Basis("(责任单位:省住建厅、省发展改革委)"), Basis("请认真组织实施")]
    ) == [("warning", 1, None)]
    entry = Basis("(责任单位:省住建厅、省发展改革委)", units=("省发展改革委",))
    assert problems({"lead": ["省住建厅"]}, [entry]) == [
        ("warning", 0, "省发展改革委"),
        ("warning", None, "省住建厅"),
    ]


def test_a_collective_quote_grounds_its_members():
    result = check_task(
        registry(),
        SOURCE,
        {"local": ["金昌市政府", "各市州政府"]},
        [Basis("以下任务均需各市州政府落实", how="collective")],
    )
    assert result.problems == ()
    assert [g.how for o in result.owners for g in o.grounds] == ["collective", "collective"]


def test_words_that_are_not_the_documents_are_a_warning():
    found = check_task(
        registry(),
        SOURCE,
        {},
        [],
        words={"text": "改善居住条件", "time_limit": "经同意可延长一次", "title": ""},
    )
    assert [(p.severity, p.field) for p in found.problems] == [("warning", "time_limit")]


def test_a_rule_must_be_the_sources_words_and_name_its_units():
    assert check_rules(registry(), SOURCE, [RuleBasis("以下任务均需各市州政府落实", ("各市州政府",))]) == []
    wrong = check_rules(
        registry(),
        SOURCE,
        [
            RuleBasis("以下任务均需各市州政府落实", ("兰州新区管委会",)),
            RuleBasis("以下任务均需兰州新区管委会落实", ()),
        ],
    )
    assert [(p.severity, p.rule, p.unit) for p in wrong] == [
        ("error", 0, "兰州新区管委会"),
        ("error", 1, None),
    ]


# ---------------------------------------------------------------------------------------------
# The bundled data


def document_files() -> list[Path]:
    return sorted(p for p in DATA.glob("*.toml") if p.name not in ("units.toml", "cityplan.toml"))


def check_document(path: Path, edit=None) -> tuple[list[basis.BasisProblem], dict[str, basis.TaskBasis]]:
    """Every task of a bundled document checked against its source text, the basis read with tomllib
    (the loader does not carry it yet); `edit` may change the file's parsed data first."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if edit:
        edit(data)
    head = data["document"]
    doc = bundled().documents[head["id"]]
    source = Source((path.parent / head["source"]).read_text(encoding="utf-8"), head["source"])
    rules = [RuleBasis(t["text"], tuple(t["local"])) for t in head.get("rules", [])]
    found = check_rules(registry(), source, rules, issuer=doc.issuer)
    tasks = {t.id: t for t in bundled().tasks if t.doc_id == doc.id}
    results = {}
    for table in data["tasks"]:
        task = tasks[table["id"]]
        entries = [
            Basis(e["quote"], tuple(e.get("units", ())), e.get("how", "named"), e.get("note", ""))
            for e in table.get("basis", [])
        ]
        added = [RuleBasis(r.text, tuple(u for u in r.local if u in task.local_by_rule)) for r in doc.rules]
        owners = {"lead": task.lead, "support": task.support, "local": task.local}
        words = {"text": table.get("text", ""), "time_limit": table.get("time_limit", "")}
        results[task.id] = check_task(
            registry(), source, owners, entries, added, issuer=doc.issuer, words=words
        )
        found += results[task.id].problems
    return found, results


def test_how_says_how_a_quote_grounds_its_unit():
    for path in document_files():
        for table in tomllib.loads(path.read_text(encoding="utf-8"))["tasks"]:
            assert all(e.get("how", "named") in basis.HOWS for e in table.get("basis", [])), table["id"]


def test_the_plan_names_who_acts_in_item_eleven_one():
    _, results = check_document(DATA / "jc-cxrh-2023.toml")
    owners = {o.unit: o for o in results["jc-cxrh-2023-79"].owners}
    assert {u: o.role for u, o in owners.items()} == {
        "金昌市城乡融合发展领导小组办公室": "lead",
        "金昌市政府有关部门": "support",
        "永昌县政府": "local",
        "金川区政府": "local",
    }
    (county,) = owners["永昌县政府"].grounds
    assert (county.text, county.how) == ("县区要研究制定城乡融合发展实施方案", "collective")
    source = (DATA / "sources" / "jc-cxrh-2023.txt").read_text(encoding="utf-8").splitlines()
    assert county.text in source[county.line - 1] and source[county.line - 1].startswith("(一)加强组织领导")
    (office,) = owners["金昌市城乡融合发展领导小组办公室"].grounds
    assert "负责统筹规划、综合协调、任务分解、推进指导、督促考评" in office.text


def test_a_reply_infers_its_owner_from_the_addressee_and_says_so():
    _, results = check_document(DATA / "jzf-2023-9.toml")
    for task_id, result in results.items():
        (owner,) = result.owners
        (ground,) = owner.grounds
        assert (owner.unit, ground.how, ground.text, ground.line) == (
            "金昌经开区管委会",
            "addressee",
            "金昌经济技术开发区管理委员会",
            1,
        ), task_id
        assert ground.note, f"{task_id}: the basis says how the owner follows"


@pytest.mark.parametrize(
    ("doc", "edit", "expected"),
    [
        # A paraphrase is not the source's words.
        (
            "gzf-2024-57",
            lambda d: d["tasks"][1]["basis"][0].update(
                quote="(责任单位:省人社厅、省教育厅、省发展改革委、省司法厅等)"
            ),
            [("error", "quote not found in sources/gzf-2024-57.txt")],
        ),
        # 你委 is no unit's name: without the addressee the quote names nobody.
        (
            "jzf-2023-9",
            lambda d: d["tasks"][2]["basis"][0].update(quote="你委要严格按照", units=["金昌经开区管委会"]),
            [("error", "the quote does not name 金昌经开区管委会")],
        ),
        # The rule's text, changed, is no longer the document's.
        (
            "gzf-2024-57",
            lambda d: d["document"]["rules"][0].update(text="以下任务均需各市州政府落实"),
            [("error", "rule text not found in sources/gzf-2024-57.txt")],
        ),
        # The time limit as the data stated it before: 经同意可延长一次 is not the guide's.
        (
            "jc-xxgk-2023",
            lambda d: d["tasks"][3].update(
                time_limit="自收到申请之日起20个工作日内;经同意可延长一次,最长不超过20个工作日"
            ),
            [("warning", "'time_limit' is not the document's words")],
        ),
        # Owners whose basis is taken away: 县区 in item 十一(一).
        (
            "jc-cxrh-2023",
            lambda d: d["tasks"][78]["basis"].pop(2),
            [("warning", "永昌县政府 (local) has no basis"), ("warning", "金川区政府 (local) has no basis")],
        ),
    ],
)
def test_the_check_finds_what_is_wrong_in_the_bundled_data(doc, edit, expected):
    assert check_document(DATA / f"{doc}.toml")[0] == []
    found, _ = check_document(DATA / f"{doc}.toml", edit)
    got = [(p.severity, p.message) for p in found]
    assert len(got) == len(expected), got
    for (severity, start), (s, message) in zip(expected, got, strict=True):
        assert s == severity and message.startswith(start), got
