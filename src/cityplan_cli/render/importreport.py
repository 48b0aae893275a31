"""What `cityplan import` found, for the person who runs it."""

from __future__ import annotations

from pathlib import Path

from cityplan_cli.errors import listing, shown
from cityplan_cli.extract import DocDraft, Extraction
from cityplan_cli.i18n import N_, _, ngettext
from cityplan_cli.render.safe import terminal

CONVENTIONS = {
    "first": N_("the first unit named leads, the others support (governments implement)"),
    "all": N_("every unit named leads (governments implement)"),
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
    out = [
        ngettext(
            "import {file}: {documents} document, {numbered} with numbered items",
            "import {file}: {documents} documents, {numbered} with numbered items",
            len(extraction.documents),
        ).format(file=file, documents=len(extraction.documents), numbered=len(drafts))
    ]
    written = {id(d): (i, t) for d, i, t in zip(drafts, ids, targets, strict=True)}
    for doc in extraction.documents:
        name = " ".join(x for x in (doc.number, doc.name) if x) or _("(untitled)")
        span = _("lines {first}–{last}").format(first=doc.first_line, last=doc.last_line)
        if id(doc) not in written:
            out.append(
                "  " + _("{name} ({span}): no numbered items, not written").format(name=name, span=span)
            )
            continue
        doc_id, target = written[id(doc)]
        owned = sum(bool(t.owners) for t in doc.tasks)
        out.append("  " + _("{id}: {name} ({span})").format(id=doc_id, name=name, span=span))
        found = ngettext("{count} numbered item", "{count} numbered items", len(doc.items)).format(
            count=len(doc.items)
        )
        if doc.tables:
            found += _(", {count} 分工表").format(count=doc.tables)
        tasks = len(doc.tasks)
        out.append(
            "    "
            + ngettext(
                "found {found}; {tasks} task, {owned} with owners, {without} without",
                "found {found}; {tasks} tasks, {owned} with owners, {without} without",
                tasks,
            ).format(found=found, tasks=tasks, owned=owned, without=tasks - owned)
        )
        dated = sum(t.due is not None for t in doc.tasks)
        if dated:
            out.append(
                "    "
                + ngettext("{count} task with a due date", "{count} tasks with a due date", dated).format(
                    count=dated
                )
            )
        fields = ((N_("issuer"), doc.issuer), (N_("date"), doc.date), (N_("title"), doc.name))
        missing = [_(k) for k, v in fields if not v]
        if missing:
            out.append("    " + _("not found: {fields}").format(fields=listing(missing)))
        if _reads_generic(doc):
            stated = (
                _("as stated on {where}").format(where=where(doc.convention_line))
                if doc.convention_line
                else _("the default")
            )
            out.append(
                "    "
                + _("责任单位 alone: {convention} ({stated}); beside a 牵头单位: support").format(
                    convention=_(CONVENTIONS[doc.convention]), stated=stated
                )
            )
        for rule in doc.rules:
            out.append("    " + _("rule from task {seq}: {text}").format(seq=rule.from_seq, text=rule.text))
        without = [f"{doc_id}-{n:02d}" for n, t in enumerate(doc.tasks, 1) if not t.owners]
        if without and len(without) <= 20:
            out.append("    " + _("without owners: {tasks}").format(tasks=listing(without)))
        for skipped in doc.skipped:
            out.append(
                "    "
                + _("skipped {where}: {why}: {text}").format(
                    where=where(skipped.line), why=shown(skipped.why), text=skipped.text
                )
            )
        for line, phrase in doc.unparsed_due:
            out.append(
                "    "
                + _("deadline not understood, {where}: {phrase}").format(where=where(line), phrase=phrase)
            )
        out.append("    → " + str(target or _("stdout")))
    if extraction.unknown:
        out.append(_("units the registry does not know (kept as written):"))
        for unit, lines in extraction.unknown.items():
            out.append(
                "  "
                + _("line {lines}: {unit}").format(
                    lines=listing([str(n) for n in sorted(set(lines))]), unit=unit
                )
            )
        if units_draft is not None:
            out.append("  " + _("→ {path} (complete it and add it to units.toml)").format(path=units_draft))
    for u in extraction.unplaced:
        out.append(
            _("{where}: could not place: {why}: {text}").format(
                where=where(u.line), why=shown(u.why), text=u.text
            )
        )
    out += [_("note: {note}").format(note=shown(n)) for n in extraction.notes]
    return terminal("\n".join(out) + "\n")  # names and text from the imported file reach the screen


def _reads_generic(doc: DocDraft) -> bool:
    """Whether any of the document's statements is a 责任单位 list."""
    return any(
        "generic" in t.cells or any("责任单位" in s.quote or "责任部门" in s.quote for s in t.statements)
        for t in doc.tasks
    )
