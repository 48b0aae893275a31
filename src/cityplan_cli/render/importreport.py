"""What `cityplan import` found, for the person who runs it."""

from __future__ import annotations

from pathlib import Path

from cityplan_cli.extract import DocDraft, Extraction
from cityplan_cli.render.safe import terminal

CONVENTIONS = {
    "first": "the first unit named leads, the others support (governments implement)",
    "all": "every unit named leads (governments implement)",
}


def import_report(
    file: Path,
    extraction: Extraction,
    drafts: list[DocDraft],
    ids: list[str],
    targets: list[Path | None],
    units_draft: Path | None,
) -> str:
    where = extraction.where
    out = [f"import {file}: {len(extraction.documents)} documents, {len(drafts)} with numbered items"]
    written = {id(d): (i, t) for d, i, t in zip(drafts, ids, targets, strict=True)}
    for doc in extraction.documents:
        name = " ".join(x for x in (doc.number, doc.name) if x) or "(untitled)"
        span = f"lines {doc.first_line}–{doc.last_line}"
        if id(doc) not in written:
            out.append(f"  {name} ({span}): no numbered items, not written")
            continue
        doc_id, target = written[id(doc)]
        owned = sum(bool(t.owners) for t in doc.tasks)
        out.append(f"  {doc_id}: {name} ({span})")
        found = f"{len(doc.items)} numbered items" + (f", {doc.tables} 分工表" if doc.tables else "")
        tasks = len(doc.tasks)
        out.append(f"    found {found}; {tasks} tasks, {owned} with owners, {tasks - owned} without")
        dated = sum(t.due is not None for t in doc.tasks)
        if dated:
            out.append(f"    {dated} tasks with a due date")
        missing = [k for k, v in (("issuer", doc.issuer), ("date", doc.date), ("title", doc.name)) if not v]
        if missing:
            out.append(f"    not found: {', '.join(missing)}")
        if _reads_generic(doc):
            stated = f"as stated on {where(doc.convention_line)}" if doc.convention_line else "the default"
            out.append(
                f"    责任单位 alone: {CONVENTIONS[doc.convention]} ({stated}); beside a 牵头单位: support"
            )
        for rule in doc.rules:
            out.append(f"    rule from task {rule.from_seq}: {rule.text}")
        without = [f"{doc_id}-{n:02d}" for n, t in enumerate(doc.tasks, 1) if not t.owners]
        if without and len(without) <= 20:
            out.append(f"    without owners: {', '.join(without)}")
        for skipped in doc.skipped:
            out.append(f"    skipped {where(skipped.line)}: {skipped.why}: {skipped.text}")
        for line, phrase in doc.unparsed_due:
            out.append(f"    deadline not understood, {where(line)}: {phrase}")
        out.append(f"    → {target or 'stdout'}")
    if extraction.unknown:
        out.append("units the registry does not know (kept as written):")
        for unit, lines in extraction.unknown.items():
            out.append(f"  line {', '.join(map(str, sorted(set(lines))))}: {unit}")
        if units_draft is not None:
            out.append(f"  → {units_draft} (complete it and add it to units.toml)")
    for u in extraction.unplaced:
        out.append(f"{where(u.line)}: could not place: {u.why}: {u.text}")
    out += [f"note: {n}" for n in extraction.notes]
    return terminal("\n".join(out) + "\n")  # names and text from the imported file reach the screen


def _reads_generic(doc: DocDraft) -> bool:
    """Whether any of the document's statements is a 责任单位 list."""
    return any(
        "generic" in t.cells or any("责任单位" in s.quote or "责任部门" in s.quote for s in t.statements)
        for t in doc.tasks
    )
