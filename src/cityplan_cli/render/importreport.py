"""What `cityplan import` found, for the person who runs it."""

from __future__ import annotations

from pathlib import Path

from cityplan_cli.extract import DocDraft, Extraction
from cityplan_cli.render.safe import terminal


def import_report(
    file: Path,
    extraction: Extraction,
    drafts: list[DocDraft],
    ids: list[str],
    targets: list[Path | None],
    units_draft: Path | None,
) -> str:
    out = [f"import {file}: {len(extraction.documents)} documents, {len(drafts)} with numbered items"]
    written = {id(d): (i, t) for d, i, t in zip(drafts, ids, targets, strict=True)}
    for doc in extraction.documents:
        name = " ".join(x for x in (doc.number, doc.name) if x) or "(untitled)"
        where = f"lines {doc.first_line}–{doc.last_line}"
        if id(doc) not in written:
            out.append(f"  {name} ({where}): no numbered items, not written")
            continue
        doc_id, target = written[id(doc)]
        owned = sum(bool(t.owners) for t in doc.tasks)
        out.append(f"  {doc_id}: {name} ({where})")
        out.append(f"    {len(doc.tasks)} tasks, {owned} with owners, {len(doc.tasks) - owned} without")
        missing = [k for k, v in (("issuer", doc.issuer), ("date", doc.date), ("title", doc.name)) if not v]
        if missing:
            out.append(f"    not found: {', '.join(missing)}")
        for rule in doc.rules:
            out.append(f"    rule from task {rule.from_seq}: {rule.text}")
        without = [f"{doc_id}-{n:02d}" for n, t in enumerate(doc.tasks, 1) if not t.owners]
        if without and len(without) <= 20:
            out.append(f"    without owners: {', '.join(without)}")
        out.append(f"    → {target or 'stdout'}")
    if extraction.unknown:
        out.append("units the registry does not know (kept as written):")
        for unit, lines in extraction.unknown.items():
            out.append(f"  line {', '.join(map(str, sorted(set(lines))))}: {unit}")
        if units_draft is not None:
            out.append(f"  → {units_draft} (complete it and add it to units.toml)")
    for u in extraction.unplaced:
        out.append(f"line {u.line}: could not place: {u.why}: {u.text}")
    out += [f"note: {n}" for n in extraction.notes]
    return terminal("\n".join(out) + "\n")  # names and text from the imported file reach the screen
