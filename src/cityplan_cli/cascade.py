"""A unit's 分工方案 for a document from above: one task for each item the unit must carry out.

`cityplan cascade DOC --to UNIT` writes (or brings up to date) a document file issued by UNIT whose
tasks each implement one item of DOC that UNIT must carry out, directly or through a collective.
Each task has the item's title and text, the words that make the item UNIT's (a basis with
`how = "implements"`: the item's own clause, or the document rule that adds UNIT), and owners
proposed among the units under UNIT (`suggest`), kept apart under `[tasks.proposed]` until the
office confirms them by writing them into lead, support or local. With `accept`, the top proposal
becomes the lead where its score is at least `min_score` and above the next one, and a basis with
`how = "assigned"` says so. Run again, it adds the items that are new and leaves every task already
in the file as the office left it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import tomlkit
from tomlkit.items import AoT

from cityplan_cli.errors import CityplanError
from cityplan_cli.i18n import _
from cityplan_cli.model import ROLE_LABELS, Dataset, Document, Task, Unit

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

    from cityplan_cli.queries import Duty

ACCEPT_SCORE = 6  # remit keyword hits (a title hit counts 3): two title hits, or a title hit and three more


@dataclass
class Outcome:
    """What a run of cascade did to the file."""

    doc_id: str  # the cascading document's id
    added: list[str] = field(default_factory=list)  # new task ids
    kept: int = 0  # tasks already in the file, left as they are
    accepted: dict[str, str] = field(default_factory=dict)  # task id → the lead taken from the proposals
    gone: list[str] = field(default_factory=list)  # items the file implements that the unit no longer has


def document_id(doc: Document, unit: Unit) -> str:
    """The cascading document's id: the document's, then the unit's name in pinyin initials
    (甘政发〔2024〕57号 to 金昌市政府 → gzf-2024-57-jcszf)."""
    from pypinyin import Style, lazy_pinyin

    han = re.sub(r"[^\u4e00-\u9fff]", "", unit.name)
    letters = "".join(p[0] for p in lazy_pinyin(han, style=Style.FIRST_LETTER) if p and p[0].isascii())
    return f"{doc.id}-{re.sub(r'[^a-z0-9]', '', letters.lower()) or 'unit'}"


def cascade(
    ds: Dataset,
    doc: Document,
    unit: Unit,
    duties: list[Duty],
    current: TOMLDocument | None,
    *,
    accept: bool = False,
    min_score: int = ACCEPT_SCORE,
    today: dt.date,
) -> tuple[TOMLDocument | None, Outcome]:
    """The file `current` (None: none yet) with a task for each of `duties` (the unit's duties in
    `doc`, in document order) it does not have yet; None when it has them all."""
    items = [(ds.task(d.task_id), d) for d in duties]
    if current is None:
        current = _new_document(doc, unit)
    head = current.get("document")
    if not isinstance(head, dict) or not isinstance(head.get("id"), str):
        raise CityplanError(_("the file to bring up to date has no [document] id"))
    if head.get("implements_doc") != doc.id:
        raise CityplanError(
            _("the file's document '{document}' cascades '{target}', not '{wanted}'").format(
                document=head["id"], target=head.get("implements_doc"), wanted=doc.id
            )
        )
    outcome = Outcome(str(head["id"]))
    tasks = current.get("tasks")
    if tasks is None:
        tasks = tomlkit.aot()
        current.add("tasks", tasks)
    elif not isinstance(tasks, AoT):
        raise CityplanError(_("the file's 'tasks' must be an array of tables ([[tasks]])"))
    present = list(tasks)
    done = {target for t in present for target in _strings(t.get("implements"))}
    outcome.kept = len(present)
    wanted = {task.id for task, _ in items}
    outcome.gone = sorted(done - wanted)
    taken = {str(t.get("id")) for t in present} | {t.id for t in ds.tasks}
    seq = max((t.get("seq", 0) for t in present if isinstance(t.get("seq"), int)), default=0)
    for target, duty in items:
        if target.id in done:
            continue
        seq += 1
        task_id = _free(f"{outcome.doc_id}-{seq:02d}", taken)
        taken.add(task_id)
        table, lead = _task(ds, doc, unit, target, duty, task_id, seq, accept, min_score, today)
        tasks.append(table)
        outcome.added.append(task_id)
        if lead:
            outcome.accepted[task_id] = lead
    return (current if outcome.added else None), outcome


def _new_document(doc: Document, unit: Unit) -> TOMLDocument:
    ref = doc.number or doc.title
    out = tomlkit.document()
    for line in (
        f"{unit.name}贯彻落实{ref}的任务分工方案（草稿），由 cityplan cascade 生成。",
        f"每项任务承接{ref}中{unit.name}须落实的一项（implements），",
        f'[[tasks.basis]] 中 how = "implements" 引用该项把任务落到{unit.name}的原文。',
        "[tasks.proposed] 是建议的责任单位，不是责任单位：办公室确认后写入 lead（牵头）、support（配合）",
        '或 local（落实）。how = "assigned" 的依据记录已采纳的建议。',
        "再次运行 cityplan cascade 只添加新的任务，已有任务（包括其中的修改）保持不变。",
        "印发后填写成文日期（date）和发文字号（number）。",
    ):
        out.add(tomlkit.comment(line))
    out.add(tomlkit.nl())
    head = tomlkit.table()
    head.add("id", document_id(doc, unit))
    head.add("issuer", unit.full_name)
    head.add("title", f"{unit.full_name}贯彻落实《{doc.title}》任务分工方案")
    head.add("implements_doc", doc.id)
    head.add(tomlkit.nl())
    out.add("document", head)
    out.add("tasks", tomlkit.aot())
    return out


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _free(candidate: str, taken: set[str]) -> str:
    n, found = 1, candidate
    while found in taken:
        n += 1
        found = f"{candidate}-{n}"
    return found


def _task(
    ds: Dataset,
    doc: Document,
    unit: Unit,
    target: Task,
    duty: Duty,
    task_id: str,
    seq: int,
    accept: bool,
    min_score: int,
    today: dt.date,
) -> tuple[Any, str | None]:
    """One task of the file, and the lead taken from the proposals (with `accept`), if any."""
    from cityplan_cli.suggest import suggest

    proposals = suggest(ds, target, scope=unit.name)
    remit = [s for s in proposals if s.basis == "remit"]
    lead = None
    if (
        accept
        and remit
        and remit[0].score >= min_score
        and (len(remit) < 2 or remit[0].score > remit[1].score)
    ):
        lead = remit[0]
    table = tomlkit.table()
    table.add("id", task_id)
    table.add("seq", seq)
    if target.section:
        table.add("section", target.section)
    table.add("title", target.title)
    table.add("text", target.text)
    table.add("implements", [target.id])
    table.add("lead", [lead.unit] if lead else [])
    table.add("support", [])
    table.add("local", [])
    if target.due:
        table.add("due", target.due)
    if proposals:
        proposed = tomlkit.table()
        proposed.comment("建议，非责任单位：确认后写入 lead、support 或 local")
        for role in ("lead", "support", "local"):
            units = [s.unit for s in proposals if s.role == role and s.registered]
            if units:
                proposed.add(role, units)
        why = tomlkit.array()
        why.extend(_why(s) for s in proposals if s.registered)
        proposed.add("why", why.multiline(True))
        table.add("proposed", proposed)
    bases = tomlkit.aot()
    grounds = _grounds(ds, doc, target, duty, unit)
    if grounds is not None:
        bases.append(grounds)
    if lead:
        entry = tomlkit.table()
        entry.add("how", "assigned")
        entry.add("units", [lead.unit])
        entry.add("note", f"cityplan cascade --accept 采纳建议，{today.isoformat()}：{_why(lead)}")
        bases.append(entry)
    if len(bases):
        table.add("basis", bases)
    return table, lead.unit if lead else None


def _why(s: Any) -> str:
    score = f"，得分 {s.score}" if s.basis == "remit" else ""
    return f"{s.unit}（{ROLE_LABELS[s.role]}）：{s.reason}{score}"


def _grounds(ds: Dataset, doc: Document, target: Task, duty: Duty, unit: Unit) -> Any:
    """The basis that makes the item the unit's: the words of the item (or the document's rule) that
    name the unit, or the collective it arrives through; None where the item has none for it."""
    from cityplan_cli.basis import basis_records

    owner = duty.via or unit.name
    record = next((r for r in basis_records(ds.registry, doc, target) if r["unit"] == owner), None)
    if record is None or not record["grounds"]:
        return None
    ground = record["grounds"][0]
    entry = tomlkit.table()
    entry.add("how", "implements")
    entry.add("task", target.id)
    entry.add("quote", ground["text"])
    entry.add("units", [unit.name])
    through = f"，{unit.name}为其成员" if duty.via else ""
    rule = "（文件规定）" if ground["kind"] == "rule" else ""
    item = target.label or f"第{target.seq}项"
    entry.add("note", f"{doc.number or doc.id}{item}由{owner}{ROLE_LABELS[duty.role]}{through}{rule}")
    return entry
