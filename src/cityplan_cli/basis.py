"""Each owner's basis: the words of the source text that make a unit an owner, checked against it.

A document file may name its source text (`source = "sources/…txt"`) and give each task
`[[tasks.basis]]` entries: a quote of the source (the shortest span naming the unit and its role) and,
where the quote alone does not say it, which units it covers, how it covers them and a note. Owners
that a document rule adds have the rule's text as their basis.

Everything here works on plain values (the registry, owners by role, quotes, rule texts, the source
text), independent of the loader: `check_task` answers, for each owner, its role and its grounds, and
lists the problems — an owner without basis (warning), a quote not in the source (error), a quote
that does not name the unit it is given for (error).

A quote names a unit by any of the unit's registered names (short, full, alias, 〔〕 nameplate);
through the import grammar, where a suffix is shared (兰州市、白银市政府 names 兰州市政府 and 白银市
政府); relative to the issuer's place, as a document names the units of its own city (市政府 in a
金昌 document is 金昌市政府, 县区 its 县区 collective); or after its parent (…领导小组,设立领导小组办公室
names the group's 办公室). A quote naming a collective covers its members.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cityplan_cli.errors import Finding, Problem
from cityplan_cli.extract import split_units
from cityplan_cli.i18n import N_
from cityplan_cli.links import members
from cityplan_cli.model import ROLES, Basis, Dataset, Document, Task
from cityplan_cli.registry import Registry

HOWS = ("named", "addressee", "collective", "column", "assigned", "implements")
Severity = Literal["error", "warning"]

# A registered name less the issuer's place that starts with one of these says nothing of which unit
# it is: 金昌市政府办公室 less 金昌市 is 政府办公室, which every government has.
_GENERIC = ("政府", "人民政府")
# The suffixes a list of names may share (兰州市、白银市政府): only where one is is the grammar needed.
_SHARED = ("政府", "管委会")
# A stretch of a quote that may hold a list of names: punctuation (folded to ASCII) ends it.
_SEGMENT = re.compile(r"[^():;。!?“”]+")


@dataclass(frozen=True)
class RuleBasis:
    """A `[[document.rules]]` entry: its text, and the units it adds (to one task, or in all)."""

    text: str
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ground:
    """Why a unit is an owner: a quote of the task's basis, or a document rule."""

    kind: Literal["quote", "rule"]
    index: int  # which [[tasks.basis]] or [[document.rules]] entry, from 0
    text: str  # the quote, or the rule's text
    how: str  # named | addressee | collective | column, or "rule"
    note: str = ""
    line: int | None = None  # where the words start in the source text; None when not found


@dataclass(frozen=True)
class OwnerBasis:
    unit: str
    role: str
    grounds: tuple[Ground, ...]


@dataclass(frozen=True)
class BasisProblem:
    severity: Severity
    message: str
    basis: int | None = None  # the [[tasks.basis]] entry it is about, from 0
    rule: int | None = None  # the [[document.rules]] entry it is about, from 0
    unit: str | None = None
    field: str | None = None  # "text" or "time_limit", for words not found in the source


@dataclass(frozen=True)
class TaskBasis:
    owners: tuple[OwnerBasis, ...]
    problems: tuple[BasisProblem, ...]


# ---------------------------------------------------------------------------------------------
# Text


@functools.cache
def _fold(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", char) if not c.isspace())


def normalize(text: str) -> str:
    """The text with white space removed and full-width forms folded (NFKC): `(责任单位:` reads as
    `(责任单位:`. Folded one character at a time, so that the normal form of a part of a text is
    always a part of the text's normal form."""
    if unicodedata.is_normalized("NFKC", text):  # each character is its own normal form: only spaces go
        return "".join(text.split())
    return "".join(map(_fold, text))


class Source:
    """A document's source text, ready to search."""

    def __init__(self, text: str, path: str = "") -> None:
        self.text = text
        self.path = path
        normal: list[str] = []
        self._origin: list[int] = []  # for each character of the normal form, where it came from
        for at, char in enumerate(text):
            folded = _fold(char)
            normal.append(folded)
            self._origin += [at] * len(folded)
        self.normal = "".join(normal)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def find(self, words: str, after: int | None = None) -> int | None:
        """The line (from 1) where `words` first occur in the text, normalised, or None. With `after`,
        an occurrence from that line on comes first: (责任单位:省住建厅) closes two items of 57号."""
        needle = normalize(words)
        if not needle:
            return None
        at = -1
        if after is not None and 1 <= after <= len(self._line_starts):
            at = self.normal.find(needle, bisect.bisect_left(self._origin, self._line_starts[after - 1]))
        if at < 0:
            at = self.normal.find(needle)
        if at < 0:
            return None
        return bisect.bisect_right(self._line_starts, self._origin[at])


# ---------------------------------------------------------------------------------------------
# Which units words name


@dataclass
class _Names:
    index: dict[str, str]  # normalized name → canonical, relative names included
    pattern: re.Pattern[str] | None
    designations: list[tuple[str, str, str]] = field(default_factory=list)  # parent, words, child


_tables: weakref.WeakKeyDictionary[Registry, dict[tuple[int, tuple[str, ...]], _Names]] = (
    weakref.WeakKeyDictionary()
)


def _places(registry: Registry, issuer: str | None) -> tuple[str, ...]:
    """The places of the issuer, or of the nearest unit above it that has places."""
    unit = registry.resolve(issuer) if issuer else None
    seen: set[str] = set()
    while unit is not None and unit not in seen:
        seen.add(unit)
        record = registry.get(unit)
        if record.places:
            return tuple(sorted((normalize(p) for p in record.places), key=len, reverse=True))
        unit = registry.resolve(record.parent) if record.parent else None
    return ()


def _names(registry: Registry, places: tuple[str, ...]) -> _Names:
    cache = _tables.setdefault(registry, {})
    key = (len(registry), places)
    if key in cache:
        return cache[key]
    index = registry.names
    relative: dict[str, set[str]] = {}
    for name, unit in index.items():
        for place in places:
            rest = name[len(place) :]
            if (
                name.startswith(place)
                and len(rest) >= 2
                and not rest.startswith(_GENERIC)
                and rest not in index
            ):
                relative.setdefault(rest, set()).add(unit)
    # A relative name two units share says neither.
    index = {**index, **{rest: next(iter(units)) for rest, units in relative.items() if len(units) == 1}}
    words = sorted(index, key=len, reverse=True)  # longest first: the regex takes the first that fits
    pattern = re.compile("|".join(map(re.escape, words))) if words else None
    # A sub-unit's own designation: its name less its parent's, short from short, full from full.
    designations = set()
    for unit in registry:
        above = registry.resolve(unit.parent) if unit.parent else None
        if above is None:
            continue
        parent = registry.get(above)
        for child_name, parent_name in ((unit.name, parent.name), (unit.full_name, parent.full_name)):
            child_name, parent_name = normalize(child_name), normalize(parent_name)
            if child_name.startswith(parent_name) and len(child_name) - len(parent_name) >= 2:
                designations.add((parent.name, child_name[len(parent_name) :], unit.name))
    cache[key] = _Names(index, pattern, sorted(designations))
    return cache[key]


def named_units(words: str, registry: Registry, *, issuer: str | None = None) -> dict[str, str]:
    """The units `words` name, in the order first named: canonical name → the words naming it.
    `issuer` (any name of the issuing unit) lets the words name the units of its own place."""
    table = _names(registry, _places(registry, issuer))
    text = normalize(words)
    found: dict[str, tuple[int, int, str]] = {}  # unit → where its first mention starts, ends; the mention
    if table.pattern is not None:
        for m in table.pattern.finditer(text):
            found.setdefault(table.index[m.group()], (m.start(), m.end(), m.group()))
    # The import grammar, for names only a shared suffix completes: 甲市、乙市政府 names 甲市政府 at 甲市.
    for segment in _SEGMENT.finditer(text):
        if not any(suffix in segment.group() for suffix in _SHARED):
            continue
        for name in split_units(segment.group()):
            unit = registry.resolve(name) or table.index.get(normalize(name))
            if unit is not None and unit not in found:
                stem = next((name[:k] for k in range(len(name), 0, -1) if name[:k] in segment.group()), "")
                start = segment.start() + segment.group().index(stem)
                found[unit] = (start, start + len(stem), name)
    for parent, rest, child in table.designations:
        if parent in found and child not in found and rest in text[found[parent][1] :]:
            at = text.index(rest, found[parent][1])
            found[child] = (at, at + len(rest), found[parent][2] + "…" + rest)
    ordered = sorted(found.items(), key=lambda item: item[1][0])
    return {unit: mention for unit, (_, _, mention) in ordered}


def covered(words: str, registry: Registry, *, issuer: str | None = None) -> set[str]:
    """The units `words` make owners of: those they name and the members of collectives they name."""
    named = set(named_units(words, registry, issuer=issuer))
    return named.union(*(members(u, registry) for u in named))


# ---------------------------------------------------------------------------------------------
# Checks


def check_rules(
    registry: Registry, source: Source, rules: Sequence[RuleBasis], *, issuer: str | None = None
) -> list[BasisProblem]:
    """A document's rules: each text must be the source's words and name the units it adds."""
    problems = []
    for i, rule in enumerate(rules):
        if source.find(rule.text) is None:
            problems.append(
                BasisProblem(
                    "error", Finding(N_("rule text not found in {source}"), source=_where(source)), rule=i
                )
            )
            continue
        named = covered(rule.text, registry, issuer=issuer)
        for unit in rule.units:
            if (registry.resolve(unit) or unit) not in named:
                problems.append(
                    BasisProblem(
                        "error",
                        Finding(N_("the rule's text does not name {unit}"), unit=unit),
                        rule=i,
                        unit=unit,
                    )
                )
    return problems


def check_task(
    registry: Registry,
    source: Source,
    owners: Mapping[str, Sequence[str]],
    basis: Sequence[Basis],
    rules: Sequence[RuleBasis] = (),
    *,
    issuer: str | None = None,
    words: Mapping[str, str] | None = None,
) -> TaskBasis:
    """Each owner of a task with its role and grounds, and the problems found.

    `owners` maps each role (lead, support, local) to its units, after document rules; `basis` is
    the task's [[tasks.basis]]; `rules` the document's rules, each with the units it added to this
    task (its position is the rule's index); `words` the task's fields that must be the source's own
    words (`{"text": …, "time_limit": …}`)."""
    problems: list[BasisProblem] = []
    # Where the task's own words are: a quote found twice is taken from there on.
    near = source.find(words["text"]) if words and words.get("text") else None
    owned = {registry.resolve(u) or u for role in ROLES for u in owners.get(role, ())}
    grounds: dict[str, list[Ground]] = {}
    for i, entry in enumerate(basis):
        if entry.how == "implements":  # the grounds of a link to a task above, not of an owner
            continue
        if entry.how == "assigned":  # the office's decision (cityplan assign), not the document's words
            for unit in (registry.resolve(u) or u for u in entry.units):
                grounds.setdefault(unit, []).append(
                    Ground("quote", i, entry.quote, "assigned", entry.note, None)
                )
            continue
        line = source.find(entry.quote, near)
        if line is None:
            problems.append(
                BasisProblem(
                    "error",
                    Finding(
                        N_("quote not found in {source}: {quote}"), source=_where(source), quote=entry.quote
                    ),
                    basis=i,
                )
            )
        named = covered(entry.quote, registry, issuer=issuer)
        if entry.units:
            listed = [registry.resolve(u) or u for u in entry.units]
            for unit in listed:
                if unit not in named:
                    problems.append(
                        BasisProblem(
                            "error",
                            Finding(
                                N_("the quote does not name {unit}: {quote}"), unit=unit, quote=entry.quote
                            ),
                            basis=i,
                            unit=unit,
                        )
                    )
                elif unit not in owned:
                    problems.append(
                        BasisProblem(
                            "warning",
                            Finding(N_("basis given for {unit}, not an owner of the task"), unit=unit),
                            basis=i,
                            unit=unit,
                        )
                    )
            covers = set(listed) & owned
        else:
            covers = named & owned
            if not covers:
                problems.append(
                    BasisProblem(
                        "warning",
                        Finding(N_("the quote names no owner of the task: {quote}"), quote=entry.quote),
                        basis=i,
                    )
                )
        ground = Ground("quote", i, entry.quote, entry.how, entry.note, line)
        for unit in covers:
            grounds.setdefault(unit, []).append(ground)
    for j, rule in enumerate(rules):
        ground = Ground("rule", j, rule.text, "rule", "", source.find(rule.text))
        for unit in rule.units:
            grounds.setdefault(registry.resolve(unit) or unit, []).append(ground)

    result = []
    for role in ROLES:
        for name in owners.get(role, ()):
            unit = registry.resolve(name) or name
            found = tuple(grounds.get(unit, ()))
            if not found:
                problems.append(
                    BasisProblem(
                        "warning",
                        Finding(
                            N_("{unit} ({role}) has no basis in the text"), unit=unit, role=Finding(role)
                        ),
                        unit=unit,
                    )
                )
            result.append(OwnerBasis(unit, role, found))
    for key, value in (words or {}).items():
        if value and source.find(value) is None:
            problems.append(
                BasisProblem(
                    "warning",
                    Finding(
                        N_("'{key}' is not the document's words: not found in {source}"),
                        key=key,
                        source=_where(source),
                    ),
                    field=key,
                )
            )
    return TaskBasis(tuple(result), tuple(problems))


_ROLE_WORDS = (N_("lead"), N_("support"), N_("local"))  # a role as a finding names it


def _where(source: Source) -> str:
    return source.path or Finding(N_("the source text"))


# ---------------------------------------------------------------------------------------------
# The dataset's documents, checked against their sources


def source_of(doc: Document) -> Source | None:
    """The document's source text, if its file names one; None when it names none."""
    if not doc.source:
        return None
    path = Path(doc.path).parent / doc.source
    from cityplan_cli.load.text import read_text

    text, _ = read_text(path)
    return Source(text, doc.source) if text is not None else None


def task_basis(
    registry: Registry, doc: Document, task: Task, source: Source | None = None
) -> TaskBasis | None:
    """Each owner of a task with its role and grounds; None when its document has no source."""
    source = source or source_of(doc)
    if source is None:
        return None
    owners = {role: task.role_units(role) for role in ROLES}
    added = set(task.local_by_rule)
    rules = [RuleBasis(r.text, tuple(u for u in r.local if u in added)) for r in doc.rules]
    words = {"text": task.text, "time_limit": task.time_limit}
    return check_task(registry, source, owners, task.basis, rules, issuer=doc.issuer, words=words)


def basis_records(registry: Registry, doc: Document | None, task: Task) -> list[dict[str, object]]:
    """Each owner with its role and grounds, as `show` prints them and its JSON carries them. With no
    source text to check against, the task's quotes as the data states them."""
    found = task_basis(registry, doc, task) if doc is not None else None
    if found is None:
        role_of = {u: r for r in reversed(ROLES) for u in task.role_units(r)}
        return [
            {
                "unit": unit,
                "role": role_of[unit],
                "grounds": [
                    {"kind": "quote", "text": b.quote, "how": b.how, "note": b.note, "source_line": None}
                    for b in task.basis
                    if unit in b.units and b.how != "implements"
                ],
            }
            for unit in task.owners
        ]
    return [
        {
            "unit": o.unit,
            "role": o.role,
            "grounds": [
                {"kind": g.kind, "text": g.text, "how": g.how, "note": g.note, "source_line": g.line}
                for g in o.grounds
            ],
        }
        for o in found.owners
    ]


def dataset_problems(ds: Dataset) -> list[Problem]:
    """Every document's bases against its source text, as problems located in the document file."""
    from cityplan_cli.load.text import Lines, read_text

    problems: list[Problem] = []
    tasks_of: dict[str, list[Task]] = {}
    for task in ds.tasks:
        tasks_of.setdefault(task.doc_id, []).append(task)
    for doc in ds.documents.values():
        if not doc.source:
            continue
        text, _ = read_text(Path(doc.path))
        lines = Lines(text or "")
        source = source_of(doc)
        if source is None:
            where = lines.key("source", (lines.tables("[document]") or [(1, 1)])[0])
            message = Finding(
                N_("source: cannot read '{source}' beside this file; the owners' basis is not checked"),
                source=doc.source,
            )
            problems.append(Problem(doc.path, where, message, "warning"))
            continue
        rule_spans = lines.tables("[[document.rules]]")
        for found in check_rules(
            ds.registry, source, [RuleBasis(r.text, r.local) for r in doc.rules], issuer=doc.issuer
        ):
            span = (
                rule_spans[found.rule] if found.rule is not None and found.rule < len(rule_spans) else (1, 1)
            )
            problems.append(Problem(doc.path, lines.key("text", span), found.message, found.severity))
        task_spans = lines.tables("[[tasks]]")
        for task in tasks_of.get(doc.id, []):
            result = task_basis(ds.registry, doc, task, source)
            if result is None:
                continue
            span = task_spans[task.pos] if task.pos < len(task_spans) else (1, 1)
            for found in result.problems:
                if found.basis is not None and found.basis < len(task.basis):
                    line = task.basis[found.basis].line
                elif found.field is not None:
                    line = lines.key(found.field, span)
                elif found.unit is not None:
                    role = next((r for r in ROLES if found.unit in task.role_units(r)), "lead")
                    line = lines.key(role, span)
                elif found.rule is not None and found.rule < len(rule_spans):
                    line = lines.key("text", rule_spans[found.rule])
                else:
                    line = span[0]
                problems.append(Problem(doc.path, line, found.message, found.severity))
    return problems + link_problems(ds)


def link_problems(ds: Dataset) -> list[Problem]:
    """The grounds of each link to a task above (`how = "implements"`): a quote of this document's
    text or of the target's (a city's 分工方案 quotes the provincial item that makes the city carry
    it out), naming the units it is given for; and a link to a task the task does not implement."""
    problems: list[Problem] = []
    sources: dict[str, Source | None] = {}
    by_id = {t.id: t for t in reversed(ds.tasks)}

    def text_of(doc_id: str) -> Source | None:
        if doc_id not in sources:
            doc = ds.documents.get(doc_id)
            sources[doc_id] = source_of(doc) if doc is not None else None
        return sources[doc_id]

    for task in ds.tasks:
        for entry in task.basis:
            if entry.how != "implements":
                continue
            doc = ds.documents.get(task.doc_id)
            path = doc.path if doc else task.path
            if entry.task and entry.task not in task.implements:
                message = Finding(
                    N_("a basis for a link to '{task}', which the task does not implement"), task=entry.task
                )
                problems.append(Problem(path, entry.line, message, "warning"))
            targets = [by_id[t] for t in ([entry.task] if entry.task else task.implements) if t in by_id]
            where = [(d, text_of(d)) for d in dict.fromkeys([task.doc_id, *(t.doc_id for t in targets)])]
            where = [(d, src) for d, src in where if src is not None]
            found = next(((d, src) for d, src in where if src.find(entry.quote) is not None), None)
            if found is None:
                if where:
                    shown = " or ".join(src.path for _, src in where)
                    missing = Finding(
                        N_("quote not found in {source}: {quote}"), source=shown, quote=entry.quote
                    )
                    problems.append(Problem(path, entry.line, missing))
                continue
            issuer = ds.documents[found[0]].issuer
            named = covered(entry.quote, ds.registry, issuer=issuer)
            for unit in entry.units:
                if (ds.registry.resolve(unit) or unit) not in named:
                    message = Finding(
                        N_("the quote does not name {unit}: {quote}"), unit=unit, quote=entry.quote
                    )
                    problems.append(Problem(path, entry.line, message))
    return problems
