"""Tasks that implement other tasks: links in the data and their checks, `cascade`, and the roll-up
of what lies beneath a task into its state, `show --tree`, `duties`, the report, the ledger, the
graph and the checklists."""

from __future__ import annotations

import json
from pathlib import Path

JC = "jc-cxrh-2023.toml"
PROVINCE = "gzf-2024-57.toml"


def problems(run, data: Path, code: int = 2) -> list[dict]:
    return json.loads(run("check", "--format", "json", data=data, code=code).stdout)


def line_of(path: Path, text: str, occurrence: int = 1) -> int:
    hits = [no for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return hits[occurrence - 1]


# ---------------------------------------------------------------------------------------------
# Links in the data, and what `check` says of them


def test_city_plan_items_name_the_provincial_items_they_carry_out(run):
    task = run.json("show", "jc-cxrh-2023-47")
    assert task["implements"] == ["gzf-2024-57-01", "gzf-2024-57-05"]
    assert run.json("show", "gzf-2024-57-05")["implements"] == []


def test_a_link_to_a_missing_task_fails_check(run, data, edit):
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = ["gzf-2024-57-99"]')
    found = [p for p in problems(run, data) if p["severity"] == "error"]
    assert len(found) == 1
    (p,) = found
    assert p["file"].endswith(JC)
    assert p["line"] == line_of(data / JC, 'implements = ["gzf-2024-57-99"]')
    assert p["message"].startswith("implements: no task 'gzf-2024-57-99'")


def test_a_cycle_fails_check(run, data, edit):
    # 57号 item 36 ← 金昌 item 31 (in the data); and now 36 → 31 as well.
    item = 'id = "gzf-2024-57-36"\nseq = 36\n'
    edit(data / PROVINCE, item, item + 'implements = ["jc-cxrh-2023-31"]\n')
    found = problems(run, data)
    errors = [p for p in found if p["severity"] == "error"]
    assert len(errors) == 1
    (cycle,) = errors
    assert "cycle" in cycle["message"]
    assert "gzf-2024-57-36 → jc-cxrh-2023-31 → gzf-2024-57-36" in cycle["message"] or (
        "jc-cxrh-2023-31 → gzf-2024-57-36 → jc-cxrh-2023-31" in cycle["message"]
    )
    assert cycle["line"] in (
        line_of(data / PROVINCE, 'implements = ["jc-cxrh-2023-31"]'),
        line_of(data / JC, 'implements = ["gzf-2024-57-36"]'),
    )
    # The province does not own the city's task: a warning naming both.
    (warning,) = [p for p in found if p["severity"] == "warning"]
    assert "'gzf-2024-57-36' implements 'jc-cxrh-2023-31'" in warning["message"]
    assert "省政府" in warning["message"]


def test_a_self_link_is_a_cycle(run, data, edit):
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = ["jc-cxrh-2023-67"]')
    errors = [p for p in problems(run, data) if p["severity"] == "error"]
    assert [p["message"] for p in errors] == ["implements: a cycle: jc-cxrh-2023-67 → jc-cxrh-2023-67"]


def test_a_link_from_a_document_whose_issuer_owns_no_part_warns(run, data, edit):
    # 57号 item 13 is for 兰州, 白银 and 兰州新区: 金昌 owns no part of it.
    edit(data / JC, 'implements = ["gzf-2024-57-11"]', 'implements = ["gzf-2024-57-13"]')
    edit(data / JC, 'task = "gzf-2024-57-11"', 'task = "gzf-2024-57-13"')
    found = problems(run, data, code=0)
    (p,) = found
    assert p["severity"] == "warning"
    assert p["line"] == line_of(data / JC, 'implements = ["gzf-2024-57-13"]')
    assert p["message"].startswith("'jc-cxrh-2023-67' implements 'gzf-2024-57-13', but 金昌市政府")
    assert "兰州市政府" in p["message"]


def test_the_words_of_a_link_must_be_in_one_of_the_two_texts(run, data, edit):
    edit(data / JC, 'quote = "加快发展县域医共体"', 'quote = "加快发展县域医共体建设"')
    (p,) = problems(run, data)
    assert p["line"] == line_of(data / JC, 'quote = "加快发展县域医共体建设"') - 3  # its [[tasks.basis]]
    assert p["message"].startswith("quote not found in sources/jc-cxrh-2023.txt or sources/gzf-2024-57.txt")
