"""Drafts of `cityplan import` as the TOML files the loader reads."""

from __future__ import annotations

import json
import re

import tomlkit

from cityplan_cli.extract import DocDraft, Extraction, ItemDraft
from cityplan_cli.model import ROLES


def document_id(draft: DocDraft, taken: set[str]) -> str:
    """An ASCII id: the 发文字号 in pinyin initials (甘政发〔2024〕57号 → gzf-2024-57), else the
    title's initials and the year; made unique against `taken`."""
    from pypinyin import Style, lazy_pinyin

    def initials(text: str) -> str:
        han = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return "".join(p[0] for p in lazy_pinyin(han, style=Style.FIRST_LETTER) if p and p[0].isascii())

    m = re.match(r"^(?P<org>.+?)〔(?P<year>\d{4})〕(?P<no>\d+)号$", draft.number or "")
    if draft.doc_id and draft.doc_id not in taken:  # the id a ledger gives it
        taken.add(draft.doc_id)
        return draft.doc_id
    if m:
        base = f"{initials(m['org'])}-{m['year']}-{m['no']}"
    else:
        year = f"-{draft.date.year}" if draft.date else ""
        letters = initials(draft.name or "")[:8]
        base = f"{letters if len(letters) > 1 else 'doc'}{year}"
    base = re.sub(r"[^a-z0-9-]", "", base.lower()) or "doc"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _literal(value: object) -> str:
    """A TOML value: arrays on one line; a string as a JSON string, which is a TOML basic string once
    DEL is escaped too (json is fast on a long text); integers and dates as tomli_w writes them."""
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    import tomli_w

    return tomli_w.dumps({"v": value})[4:-1]


class _Writer:
    """TOML text for the fixed shape of a document file, written line by line: fast at any size
    (a document of thousands of items), and read back by the loader before it is written."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, text: str) -> None:
        self.lines.append(f"# {text}")

    def table(self, name: str, fields: dict[str, object], array: bool = False) -> None:
        self.lines.append("")
        self.lines.append(f"[[{name}]]" if array else f"[{name}]")
        for key, value in fields.items():
            if value is not None:
                self.lines.append(f"{key} = {_literal(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def document_toml(draft: DocDraft, doc_id: str, source: str, source_file: str | None = None) -> str:
    """The document's TOML. `source_file`: where the text read is written beside it (a path relative
    to the output directory), so that every basis quote can be checked against it."""
    out = _Writer()
    # A data file is the office's, as the documents are: its comments are Chinese whatever the locale.
    out.comment(f"由 cityplan import 从 {source} 第 {draft.first_line}–{draft.last_line} 行导入。")
    out.comment("责任单位按原文所述填写，使用前请核对；cityplan check 可校验。")
    out.table(
        "document",
        {
            "id": doc_id,
            "number": draft.number,
            "issuer": draft.issuer or "未注明",
            "date": draft.date,
            "title": draft.name or "未注明标题",
            "addressees": draft.addressees or None,
            "source": source_file,
        },
    )
    for rule in draft.rules:
        fields = {"text": rule.text, "from_seq": rule.from_seq, "local": rule.local}
        out.table("document.rules", {**fields, "unless_kind": rule.unless_kind or None}, array=True)
    for seq, item in enumerate(draft.tasks, 1):
        fields = {
            "id": f"{doc_id}-{seq:02d}",
            "seq": seq,
            "label": item.label or None,
            "section": item.section or None,
            "title": item.title,
            "text": item.text,
            **{role: getattr(item.owners, role) for role in ROLES},
            "leaders": item.owners.leaders or None,
            "due": item.due,
            "due_text": item.due_text or None,
        }
        out.table("tasks", fields, array=True)
        for milestone in item.milestones:
            out.table("tasks.milestones", {"date": milestone.date, "text": milestone.text}, array=True)
        for entry in _basis(item):
            out.table("tasks.basis", entry, array=True)
    return out.text()


def _basis(item: ItemDraft) -> list[dict[str, object]]:
    """Each statement of the item's owners: its quote, and which owners it covers where the quote
    alone does not say (a name it writes otherwise, a suffix it distributes)."""
    out = []
    seen: set[int] = set()
    for statement in item.statements:
        units = statement.owners.units()
        if id(statement) in seen or not units:
            continue
        seen.add(id(statement))
        out.append(
            {
                "quote": statement.quote,
                "units": units if any(unit not in statement.quote for unit in units) else None,
                "how": statement.how if statement.how != "named" else None,
                "note": statement.note or None,
            }
        )
    return out


def units_draft_toml(extraction: Extraction, source: str) -> str:
    """The units the registry does not know, as [[units]] entries to complete and add to units.toml."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"{source} 中提到、units.toml 尚未登记的单位。"))
    doc.add(tomlkit.comment("请补全 full_name 和 kind，再加入 units.toml。"))
    units = tomlkit.aot()
    for name, lines in extraction.unknown.items():
        table = tomlkit.table()
        table.add(tomlkit.comment(f"见原文第 {'、'.join(map(str, sorted(set(lines))))} 行"))
        table.add("name", name)
        table.add("full_name", name)
        table.add("kind", "待定")
        units.append(table)
    doc.add("units", units)
    return tomlkit.dumps(doc)
