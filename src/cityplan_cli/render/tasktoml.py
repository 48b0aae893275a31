"""Drafts of `cityplan import` as the TOML files the loader reads."""

from __future__ import annotations

import re

import tomlkit

from cityplan_cli.extract import DocDraft, Extraction
from cityplan_cli.model import ROLES


def document_id(draft: DocDraft, taken: set[str]) -> str:
    """An ASCII id: the 发文字号 in pinyin initials (甘政发〔2024〕57号 → gzf-2024-57), else the
    title's initials and the year; made unique against `taken`."""
    from pypinyin import Style, lazy_pinyin

    def initials(text: str) -> str:
        han = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return "".join(p[0] for p in lazy_pinyin(han, style=Style.FIRST_LETTER) if p and p[0].isascii())

    m = re.match(r"^(?P<org>.+?)〔(?P<year>\d{4})〕(?P<no>\d+)号$", draft.number or "")
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


def document_toml(draft: DocDraft, doc_id: str, source: str) -> str:
    doc = tomlkit.document()
    doc.add(
        tomlkit.comment(
            f"Imported by `cityplan import` from {source}, lines {draft.first_line}–{draft.last_line}."
        )
    )
    doc.add(
        tomlkit.comment("Owners are as the text states them. Review before use; `cityplan check` validates.")
    )
    doc.add(tomlkit.nl())
    head = tomlkit.table()
    head.add("id", doc_id)
    if draft.number:
        head.add("number", draft.number)
    head.add("issuer", draft.issuer or "未注明")
    if draft.date:
        head.add("date", draft.date)
    head.add("title", draft.name or "未注明标题")
    if draft.addressees:
        head.add("addressees", draft.addressees)
    if draft.rules:
        rules = tomlkit.aot()
        for rule in draft.rules:
            table = tomlkit.table()
            table.add("text", rule.text)
            table.add("from_seq", rule.from_seq)
            table.add("local", rule.local)
            if rule.unless_kind:
                table.add("unless_kind", rule.unless_kind)
            rules.append(table)
        head.add("rules", rules)
    doc.add("document", head)
    tasks = tomlkit.aot()
    for seq, item in enumerate(draft.tasks, 1):
        table = tomlkit.table()
        table.add("id", f"{doc_id}-{seq:02d}")
        table.add("seq", seq)
        table.add("label", item.label)
        if item.section:
            table.add("section", item.section)
        table.add("title", item.title)
        table.add("text", item.text)
        for role in ROLES:
            table.add(role, getattr(item.owners, role))
        if item.owners.leaders:
            table.add("leaders", item.owners.leaders)
        tasks.append(table)
    doc.add("tasks", tasks)
    return tomlkit.dumps(doc)


def units_draft_toml(extraction: Extraction, source: str) -> str:
    """The units the registry does not know, as [[units]] entries to complete and add to units.toml."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Units named in {source} that units.toml does not know."))
    doc.add(tomlkit.comment("Complete full_name and kind, then add them to units.toml."))
    units = tomlkit.aot()
    for name, lines in extraction.unknown.items():
        table = tomlkit.table()
        table.add(tomlkit.comment(f"named on line {', '.join(map(str, sorted(set(lines))))}"))
        table.add("name", name)
        table.add("full_name", name)
        table.add("kind", "待定")
        units.append(table)
    doc.add("units", units)
    return tomlkit.dumps(doc)
