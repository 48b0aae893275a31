"""Drafts assembled: each item's owners read from its words (and the words kept that state them), a
group's responsibility given to each of its items, the items that are tasks chosen, deadlines dated,
and every name resolved through the registry. Nothing here writes."""

from __future__ import annotations

import re2

from cityplan_cli.errors import Finding
from cityplan_cli.extract import grammar
from cityplan_cli.extract.deadlines import schedule
from cityplan_cli.extract.decoding import to_simplified
from cityplan_cli.extract.drafts import (
    DocDraft,
    Extraction,
    ItemDraft,
    Owners,
    RuleDraft,
    Skipped,
    Statement,
    Unplaced,
)
from cityplan_cli.extract.outline import segment
from cityplan_cli.i18n import N_
from cityplan_cli.model import ROLES
from cityplan_cli.registry import Registry

_RULE = re2.compile(
    r"以下(?:各项)?任务(?:中)?(?:除已明确(?P<what>[^的,，。]{1,30})的)?[,，]?(?:均|都)?(?:需|由)?"
    r"(?P<units>[^,，。;；]{1,200}?)(?:负责)?(?:落实|组织实施)"
)
_LEAD_IN_TEXT = re2.compile(rf"(?:由)?(?P<unit>[{grammar.HAN}〔〕]{{2,24}}?)牵头(?:抓总|负责)?")


def extract(text: str, registry: Registry, origins: dict[int, str] | None = None) -> Extraction:
    text, traditional = to_simplified(text)
    notes = [Finding(N_("converted from traditional characters to simplified"))] if traditional else []
    docs = segment(text)
    unplaced: list[Unplaced] = []
    unknown: dict[str, list[int]] = {}
    for doc in docs:
        _read_owners(doc, registry, unplaced)
        _inherit(doc)
        _choose_tasks(doc)
        _schedule(doc)
        _resolve(doc, registry, unknown)
    return Extraction(docs, unknown, unplaced, notes, text.splitlines(), dict(origins or {}))


def _state(
    item: ItemDraft, quote: str, owners: Owners, line: int, how: str = "named", note: str = ""
) -> None:
    item.owners.merge(owners)
    item.statements.append(Statement(quote, owners, line, how, note))
    item.clause_line = item.clause_line or line


def _read_owners(doc: DocDraft, registry: Registry, unplaced: list[Unplaced]) -> None:
    """Take each item's responsibility clauses and lines out of its words into its owners."""
    seq_of = {id(item): n for n, item in enumerate(doc.items, 1)}
    for item in doc.items:
        if item.style == "row":
            _row_owners(item, doc, registry)
            continue
        paragraphs = [item.rest, *item.body]
        lines = [item.line, *item.body_lines]
        # A 牵头单位 named anywhere in the item makes its 责任单位 the supporting units.
        lead_beside = any(grammar.has_lead_label(p) for p in paragraphs)
        kept = []
        for k, (para, line_no) in enumerate(zip(paragraphs, lines, strict=True)):
            if k > 0 and grammar.is_labelled(para):
                due = grammar.due_in(para)
                if due is not None and not item.due_text:
                    item.due_text, item.due_line = due, line_no
                owners = grammar.parse_clause(para, registry, doc.convention, lead_beside)
                if owners is not None:
                    _state(item, para.rstrip("。;； "), owners, line_no)
                    continue
                if due is not None:
                    continue
            found = grammar.trailing_clause(para)
            if found:
                start, end, body = found
                head, _, after = body.partition("。")
                owners = grammar.parse_clause(head, registry, doc.convention, lead_beside)
                if owners is not None:
                    item.due_text = item.due_text or grammar.deadline_in(head) or ""
                    quote = para[start : start + 1 + len(head)] if after else para[start:end]
                    target = _group_of(item, doc) if start == 0 and k > 0 else item
                    note = "" if target is item else f"stated once for the items of {target.heading}"
                    _state(target, quote, owners, line_no, note=note)
                    para = para[:start].rstrip()
                    for rule in grammar.matches(_RULE, after):
                        _add_rule(doc, rule, after, seq_of[id(item)] + 1, registry, line_no, unplaced)
                elif grammar.states_owners(body):
                    unplaced.append(
                        Unplaced(line_no, body, Finding(N_("a responsibility clause that could not be read")))
                    )
            kept.append(para)
        item.rest, item.body = kept[0] if kept else "", kept[1:]
        if not item.owners:
            _lead_in_text(item, registry)
    for no, para in doc.loose:
        for rule in grammar.matches(_RULE, para):
            _add_rule(doc, rule, para, 1, registry, no, unplaced)


def _group_of(item: ItemDraft, doc: DocDraft) -> ItemDraft:
    """The item a clause on a line of its own belongs to: the item above it, or, after sub-items none
    of which states owners ((1)…(4) then (责任单位:…)), the group they make."""
    parent = item.parent
    if parent is None or parent.children[0] is item:
        return item
    earlier = parent.children[: parent.children.index(item)]
    if any(sibling.owners or sibling.statements for sibling in earlier):
        return item
    return parent


def _row_owners(item: ItemDraft, doc: DocDraft, registry: Registry) -> None:
    """A 分工表 row: each role column's cell names that role's units."""
    cells = item.cells
    lead_beside = bool(cells.get("lead"))
    for kind in ("lead", "support", "local", "generic"):
        text = cells.get(kind)
        if not text:
            continue
        owners = Owners()
        if kind == "generic":
            if not grammar.division(text, registry, owners):
                grammar.generic(text, registry, owners, doc.convention, lead_beside)
        elif not grammar.division(text, registry, owners):
            owners.add(kind, grammar.units_of(text, registry))
        if owners:
            _state(item, text, owners, item.line, how="column")
    if cells.get("leaders"):
        item.owners.add("leaders", grammar.split_units(cells["leaders"]))
    if cells.get("due"):
        item.due_text = cells["due"]


def _lead_in_text(item: ItemDraft, registry: Registry) -> None:
    """Owners the running text states: a sentence that divides the work among registered units
    (由省农业农村厅负责,省发展改革委配合), or a registered unit it puts in the lead
    (省发展改革委牵头抓总)."""
    text = item.text
    for sentence in _sentences(text):
        owners = Owners()
        named = grammar.division(sentence, registry, owners)
        if named and all(registry.resolve(n) is not None for n in owners.units()):
            _state(item, sentence.strip(), owners, item.line)
            return
    for m in grammar.matches(_LEAD_IN_TEXT, text):
        words = m.group("unit")
        # The unit's name ends right before 牵头; try the longest registered name that does.
        for start in range(len(words) - 1):
            unit = registry.resolve(words[start:])
            if unit is not None:
                owners = Owners(lead=[unit])
                quote = text[m.start(_LEAD_IN_TEXT.groupindex["unit"]) + start : m.end()]
                _state(item, quote, owners, _line_of(item, quote))
                break


def _line_of(item: ItemDraft, quote: str) -> int:
    for para, line in zip([item.rest, *item.body], [item.line, *item.body_lines], strict=True):
        if quote in para:
            return line
    return item.line


_SENTENCE_ENDS = str.maketrans({"。": "\n", ";": "\n", "；": "\n"})


def _sentences(text: str) -> list[str]:
    return text.translate(_SENTENCE_ENDS).split("\n")


def _add_rule(
    doc: DocDraft,
    m,
    para: str,
    from_seq: int,
    registry: Registry,
    line: int,
    unplaced: list[Unplaced],
) -> None:
    units = grammar.split_units(m.group("units"))
    kinds: list[str] = []
    what = m.group("what")
    if what:
        known_kinds = {u.kind for u in registry}
        if what in known_kinds:
            kinds = [what]
        elif (unit := registry.resolve(what)) is not None:
            kinds = sorted(registry.kinds_of(unit))
        else:
            unplaced.append(
                Unplaced(line, m.group(0), Finding(N_("no unit kind '{what}' in the registry"), what=what))
            )
    text = para[m.start() :].split("。")[0].rstrip(")）")
    doc.rules.append(RuleDraft(text, units, from_seq, kinds, line))


def _inherit(doc: DocDraft) -> None:
    """Responsibility stated for an item with sub-items is each sub-item's that states none."""
    for item in doc.items:  # parents come before their children
        if not item.owners:
            continue
        for child in item.children:
            if not child.owners and not child.statements:
                child.owners.merge(item.owners)
                child.statements = list(item.statements)
                child.clause_line = item.clause_line


def _choose_tasks(doc: DocDraft) -> None:
    """Leaves are tasks; where items state owners, only the levels that state them are tasks (the
    headings above them are sections, a goals paragraph at their side is not a task). In a reply
    (批复) every directive falls to the single addressee, the 你委 of the text."""
    leaves = [item for item in doc.items if not item.children]
    owned_styles = {item.style for item in leaves if item.owners}
    at_owned = [item for item in leaves if item.style in owned_styles]
    # Only where most items of those levels state owners are the levels themselves the tasks.
    mostly_owned = at_owned and sum(bool(i.owners) for i in at_owned) * 2 >= len(at_owned)
    doc.tasks = at_owned if mostly_owned else leaves
    chosen = {id(t) for t in doc.tasks}
    for item in leaves:
        if id(item) not in chosen:
            why = Finding(
                N_("states no owners, at a level whose items do")
                if item.style in owned_styles
                else N_("states no owners, beside items that do")
            )
            doc.skipped.append(Skipped(item.line, item.heading[:40], why))
    if len(doc.addressees) == 1:
        for item in doc.tasks:
            if not item.owners and (doc.reply or _YOU.search(item.text)):
                _state(
                    item,
                    doc.addressee_text,
                    Owners(lead=list(doc.addressees)),
                    doc.addressee_line,
                    "addressee",
                )
    # Rules count tasks, not items: renumber them from the item each was stated in.
    positions = {id(item): n for n, item in enumerate(doc.tasks, 1)}
    for rule in doc.rules:
        after = [positions[id(i)] for i in doc.items[rule.from_seq - 1 :] if id(i) in positions]
        rule.from_seq = after[0] if after else len(doc.tasks) + 1


_YOU = re2.compile(r"你(委|局|厅|办|单位|们|市|县|区|公司|中心)")


def _schedule(doc: DocDraft) -> None:
    year = doc.date.year if doc.date else None
    for item in doc.tasks:
        # A table's 完成时限 column, even empty, decides the due date alone.
        stated = "due" in item.cells
        item.due, item.due_text, item.milestones, unparsed = schedule(item.text, item.due_text, year, stated)
        if unparsed:
            doc.unparsed_due.append((item.due_line or item.line, unparsed))


def _resolve(doc: DocDraft, registry: Registry, unknown: dict[str, list[int]]) -> None:
    def canonical(names: list[str], line: int) -> list[str]:
        out = []
        for name in names:
            found = registry.resolve(name)
            if found is None:
                unknown.setdefault(name, []).append(line)
            out.append(found or name)
        return list(dict.fromkeys(out))

    resolved: set[int] = set()
    for item in doc.items:
        line = item.clause_line or item.line
        for role in ROLES:
            setattr(item.owners, role, canonical(getattr(item.owners, role), line))
        for statement in item.statements:
            if id(statement) in resolved:
                continue  # shared with a group's other items
            resolved.add(id(statement))
            for role in ROLES:
                names = getattr(statement.owners, role)
                setattr(statement.owners, role, [registry.resolve(n) or n for n in names])
    for rule in doc.rules:
        rule.local = canonical(rule.local, rule.line)
