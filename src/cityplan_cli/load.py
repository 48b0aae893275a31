"""Data files → model. Every problem found is located as file:line.

The data directory holds `units.toml` (the registry), an optional `cityplan.toml` (settings) and one
TOML file per document. TOML parsers do not report where a value sits, so `_Lines` finds the line of
each table header and key by scanning the text: the n-th `[[tasks]]` header is the n-th task.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

# tomli is the parser the standard library's tomllib was taken from; its wheels are compiled, which
# reads a province's data about three times as fast.
import tomli as tomllib

from cityplan_cli.errors import CityplanError, DataError, Problem, Severity
from cityplan_cli.model import (
    COLLECTIVE_KIND,
    ROLES,
    STATUSES,
    Document,
    Progress,
    Rule,
    Settings,
    Task,
    Unit,
)
from cityplan_cli.registry import Registry, unknown_unit_message

UNITS_FILE = "units.toml"
SETTINGS_FILE = "cityplan.toml"
PROGRESS_DIR = "progress"  # one file of progress records per unit
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")


@dataclass
class Dataset:
    """Everything the data directory says, after every document rule is applied."""

    root: Path
    registry: Registry
    documents: dict[str, Document] = field(default_factory=dict)
    tasks: list[Task] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    progress: list[Progress] = field(default_factory=list)
    progress_files: dict[str, Path] = field(default_factory=dict)  # unit → its progress file
    history: dict[str, list[Progress]] = field(default_factory=dict)  # task id → records, oldest first
    _by_id: dict[str, Task] = field(default_factory=dict, repr=False)

    def task(self, task_id: str) -> Task:
        """The task with this id; an unknown id is a usage error naming the closest ids."""
        if len(self._by_id) != len(self.tasks):  # tasks are added while loading: index them when asked
            self._by_id = {t.id: t for t in self.tasks}
        if task_id in self._by_id:
            return self._by_id[task_id]
        close = closest(task_id, [t.id for t in self.tasks])
        raise CityplanError(f"no task '{task_id}'" + (f"; did you mean {', '.join(close)}?" if close else ""))

    def document(self, ref: str) -> Document:
        """A document by its ASCII id or its 发文字号; unknown is a usage error."""
        for doc in self.documents.values():
            if ref in (doc.id, doc.number):
                return doc
        refs = [r for d in self.documents.values() for r in (d.id, d.number) if r]
        close = closest(ref, refs)
        raise CityplanError(f"no document '{ref}'" + (f"; did you mean {', '.join(close)}?" if close else ""))

    def unit(self, name: str) -> str:
        """The canonical name of a unit given by any of its names; unknown is a usage error."""
        canonical = self.registry.resolve(name)
        if canonical is None:
            raise CityplanError(unknown_unit_message(self.registry, name))
        return canonical


def closest(word: str, choices: list[str]) -> list[str]:
    from rapidfuzz import process  # only on the error path

    return [m for m, _, _ in process.extract(word, choices, limit=3, score_cutoff=60)]


def read_text(path: Path) -> tuple[str | None, str | None]:
    """The file's text as UTF-8 (a BOM is allowed), or None and why it could not be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return None, f"line {line}: not UTF-8 text; save the file as UTF-8"
        return None, f"line {line}: not UTF-8; the file looks like GBK/GB18030, save it as UTF-8"


class _Lines:
    """Where tables and keys sit in a TOML file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []  # (line, "[[tasks]]" / "[document]")
        for no, line in enumerate(self.lines, 1):
            m = _HEADER.match(line) if line.lstrip().startswith("[") else None
            if m:
                bracket = m.group(1)
                name = m.group(2).replace(" ", "")
                self.headers.append((no, f"{bracket}{name}{']' * len(bracket)}"))

    @functools.cache  # noqa: B019 - one _Lines per file read, gone with it
    def tables(self, header: str) -> list[tuple[int, int]]:
        """(first line, line after the last) of each table with this header, in order."""
        spans = []
        for i, (no, name) in enumerate(self.headers):
            if name == header:
                end = self.headers[i + 1][0] if i + 1 < len(self.headers) else len(self.lines) + 1
                spans.append((no, end))
        return spans

    def key(self, key: str, span: tuple[int, int]) -> int:
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for no in range(span[0], span[1]):
            if pattern.match(self.lines[no - 1]):
                return no
        return span[0]


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    dt.date: "a date (YYYY-MM-DD)",
    list: "a list of strings",
    bool: "true or false",
}


class _File:
    """One TOML file being read: its table spans and the problems found in it."""

    def __init__(self, path: Path, display: str, problems: list[Problem]) -> None:
        self.path = path
        self.display = display
        self.problems = problems
        self.data: dict[str, Any] | None = None
        self.lines = _Lines("")

    def read(self) -> bool:
        text, why = read_text(self.path)
        if text is None:
            m = re.match(r"line (\d+): (.*)", why or "")
            self.report(int(m.group(1)) if m else 1, m.group(2) if m else str(why))
            return False
        try:
            self.data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            m = re.search(r"at line (\d+)", msg)
            line = int(m.group(1)) if m else len(text.splitlines()) or 1
            self.report(line, f"TOML syntax error: {_TOML_AT.sub('', msg)}")
            return False
        self.lines = _Lines(text)
        return True

    def report(self, line: int, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.display, line, message, severity))

    def spans(self, header: str, count: int) -> list[tuple[int, int]]:
        spans = self.lines.tables(header)
        # An inline array of tables has no headers: fall back to the top of the file.
        return spans if len(spans) == count else [(1, 1)] * count

    def get(
        self,
        table: dict[str, Any],
        key: str,
        kind: type,
        span: tuple[int, int],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """table[key] if it has the right type; otherwise report and return the default."""
        if key not in table:
            if required:
                self.report(span[0], f"missing field '{key}' ({_TYPE_NAMES[kind]})")
            return default
        value = table[key]
        if _fits(value, kind):
            return tuple(value) if kind is list else value
        shown = _show(value)
        self.report(self.lines.key(key, span), f"'{key}' must be {_TYPE_NAMES[kind]}, not {shown}")
        return default

    def unknown_keys(self, table: dict[str, Any], known: set[str], span: tuple[int, int]) -> None:
        for key in table:
            if key not in known:
                known_list = ", ".join(sorted(known))
                self.report(
                    self.lines.key(key, span),
                    f"unknown field '{key}' (known: {known_list})",
                    "warning",
                )


def _fits(value: Any, kind: type) -> bool:
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind is dt.date:
        return type(value) is dt.date
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list with a non-string item"
    return f"{type(value).__name__} {value!r}"


# ---------------------------------------------------------------------------------------------
# units.toml

_UNIT_KEYS = {
    "name",
    "full_name",
    "kind",
    "aliases",
    "nameplates",
    "parent",
    "capacity",
    "contact",
    "places",
    "remit",
}
_CONTACT_KEYS = {"address", "postcode", "phone", "fax", "email", "hours"}
_COLLECTIVE_KEYS = {"name", "full_name", "kind", "aliases", "members"}


def _load_registry(root: Path, problems: list[Problem]) -> Registry:
    registry = Registry()
    f = _File(root / UNITS_FILE, _display(root, UNITS_FILE), problems)
    if not (root / UNITS_FILE).is_file():
        f.report(1, "missing: the unit registry is required")
        return registry
    if not f.read():
        return registry
    assert f.data is not None
    f.unknown_keys(f.data, {"units", "collectives"}, (1, 1))
    units = _tables(f, f.data, "units")
    collectives = _tables(f, f.data, "collectives")
    pending: list[tuple[Unit, tuple[int, int]]] = []
    for table, span in zip(units, f.spans("[[units]]", len(units)), strict=True):
        f.unknown_keys(table, _UNIT_KEYS, span)
        name = f.get(table, "name", str, span, required=True)
        capacity = f.get(table, "capacity", float, span)
        if capacity is not None and capacity <= 0:
            f.report(f.lines.key("capacity", span), "'capacity' must be above 0")
            capacity = None
        unit = Unit(
            name=name or "",
            full_name=f.get(table, "full_name", str, span, required=True, default=name) or "",
            kind=f.get(table, "kind", str, span, required=True, default="") or "",
            aliases=f.get(table, "aliases", list, span, default=()),
            nameplates=f.get(table, "nameplates", list, span, default=()),
            parent=f.get(table, "parent", str, span),
            capacity=capacity,
            contact=_contact(f, table, span),
            places=f.get(table, "places", list, span, default=()),
            remit=f.get(table, "remit", list, span, default=()),
        )
        if name:
            pending.append((unit, span))
    for table, span in zip(collectives, f.spans("[[collectives]]", len(collectives)), strict=True):
        f.unknown_keys(table, _COLLECTIVE_KEYS, span)
        name = f.get(table, "name", str, span, required=True)
        members = f.get(table, "members", list, span, required=True, default=())
        if "members" in table and not members:
            f.report(f.lines.key("members", span), "a collective needs at least one member")
        unit = Unit(
            name=name or "",
            full_name=f.get(table, "full_name", str, span, default=name) or "",
            kind=f.get(table, "kind", str, span, default=COLLECTIVE_KIND),
            aliases=f.get(table, "aliases", list, span, default=()),
            members=members,
        )
        if name:
            pending.append((unit, span))

    for unit, span in pending:
        if unit.name in registry:
            f.report(span[0], f"unit '{unit.name}' is registered twice")
            continue
        for name, other in registry.add(unit):
            f.report(span[0], f"name '{name}' is registered for both '{other}' and '{unit.name}'")
    # Parents and members may be registered further down the file, so they are checked last.
    for unit, span in pending:
        if unit.parent and registry.resolve(unit.parent) is None:
            f.report(f.lines.key("parent", span), "parent: " + unknown_unit_message(registry, unit.parent))
        for member in unit.members:
            if registry.resolve(member) is None:
                f.report(
                    f.lines.key("members", span),
                    f"collective '{unit.name}' has an unknown member: "
                    + unknown_unit_message(registry, member),
                )
    return registry


def _contact(f: _File, table: dict[str, Any], span: tuple[int, int]) -> dict[str, str]:
    contact = table.get("contact", {})
    # [units.contact] follows its unit's [[units]] header: its own header line is where it starts.
    after = [c for c in f.lines.tables("[units.contact]") if c[0] >= span[1]]
    cspan = after[0] if after else span
    if not isinstance(contact, dict):
        f.report(f.lines.key("contact", span), "'contact' must be a table ([units.contact])")
        return {}
    f.unknown_keys(contact, _CONTACT_KEYS, cspan)
    return {key: value for key in contact if (value := f.get(contact, key, str, cspan)) is not None}


def _tables(f: _File, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    f.report(1, f"'{key}' must be an array of tables ([[{key}]])")
    return []


def _display(root: Path, name: str) -> str:
    return str(root / name)


# ---------------------------------------------------------------------------------------------
# cityplan.toml


def _load_settings(root: Path, problems: list[Problem]) -> Settings:
    path = root / SETTINGS_FILE
    defaults = Settings()
    if not path.is_file():
        return defaults
    f = _File(path, _display(root, SETTINGS_FILE), problems)
    if not f.read():
        return defaults
    assert f.data is not None
    weights, capacity, lights = dict(defaults.weights), {}, dict(defaults.lights)
    sections: dict[str, tuple[dict[str, Any], set[str] | None]] = {
        "weights": (weights, set(ROLES)),
        "capacity": (capacity, None),  # any kind
        "lights": (lights, set(lights)),
    }
    f.unknown_keys(f.data, set(sections), (1, 1))
    for section, (target, known) in sections.items():
        table = f.data.get(section, {})
        span = (f.lines.tables(f"[{section}]") or [(1, 1)])[0]
        if not isinstance(table, dict):
            f.report(span[0], f"'{section}' must be a table")
            continue
        if known is not None:
            f.unknown_keys(table, known, span)
        for key in table:
            value = f.get(table, key, int if section == "lights" else float, span)
            if value is not None and value < 0:
                f.report(f.lines.key(key, span), f"'{key}' must not be negative")
            elif value is not None and (known is None or key in known):
                target[key] = value
    return Settings(weights=weights, capacity_by_kind=capacity, lights=lights)


# ---------------------------------------------------------------------------------------------
# document files

_DOC_KEYS = {
    "id",
    "number",
    "issuer",
    "date",
    "published",
    "title",
    "addressees",
    "rules",
    "due",
    "due_working_days",
    "source",  # import: the text read, beside the file (sources/ID.txt)
}
_RULE_KEYS = {"text", "local", "from_seq", "to_seq", "unless_kind"}
_TASK_KEYS = {
    *("id", "seq", "label", "section", "title", "text", *ROLES, "leaders", "status", "time_limit"),
    *("due", "due_working_days", "start"),
    *("due_text", "milestones", "basis"),  # import: the deadline's words, dated steps, owners' words
}


@dataclass
class _Seen:
    """Ids already defined, across files, with where."""

    # Where each id was defined: worked out to a line only when it is defined again.
    tasks: dict[str, tuple[_File, tuple[int, int]]] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)


def _load_document(f: _File, registry: Registry, seen: _Seen) -> tuple[Document | None, list[Task]]:
    assert f.data is not None
    f.unknown_keys(f.data, {"document", "tasks"}, (1, 1))
    head = f.data.get("document")
    span = (f.lines.tables("[document]") or [(1, 1)])[0]
    if not isinstance(head, dict):
        f.report(1, "missing the [document] table (id, title, issuer, date …)")
        return None, []
    f.unknown_keys(head, _DOC_KEYS, span)
    doc_id = f.get(head, "id", str, span, required=True)
    if doc_id is not None and not _ID.match(doc_id):
        f.report(
            f.lines.key("id", span), f"document id '{doc_id}' must be ASCII letters, digits, '.', '_' or '-'"
        )
        doc_id = None
    if doc_id is not None and doc_id in seen.docs:
        f.report(f.lines.key("id", span), f"duplicate document id '{doc_id}' (first at {seen.docs[doc_id]})")
        doc_id = None
    if doc_id is not None:
        seen.docs[doc_id] = f"{f.display}:{f.lines.key('id', span)}"

    rules = []
    raw_rules = head.get("rules", [])
    if not (isinstance(raw_rules, list) and all(isinstance(r, dict) for r in raw_rules)):
        f.report(f.lines.key("rules", span), "'rules' must be an array of tables ([[document.rules]])")
        raw_rules = []
    for table, rspan in zip(raw_rules, f.spans("[[document.rules]]", len(raw_rules)), strict=True):
        f.unknown_keys(table, _RULE_KEYS, rspan)
        local = _units(f, registry, table, "local", rspan, required=True)
        rules.append(
            Rule(
                text=f.get(table, "text", str, rspan, default="") or "",
                local=local,
                from_seq=f.get(table, "from_seq", int, rspan, default=1),
                to_seq=f.get(table, "to_seq", int, rspan),
                unless_kind=f.get(table, "unless_kind", list, rspan, default=()),
            )
        )
        kinds = {u.kind for u in registry}
        for kind in rules[-1].unless_kind:
            if kind not in kinds:
                f.report(
                    f.lines.key("unless_kind", rspan), f"no registered unit is of kind '{kind}'", "warning"
                )

    doc = Document(
        id=doc_id or "",
        title=f.get(head, "title", str, span, required=True, default="") or "",
        issuer=f.get(head, "issuer", str, span, required=True, default="") or "",
        date=f.get(head, "date", dt.date, span),
        number=f.get(head, "number", str, span),
        addressees=f.get(head, "addressees", list, span, default=()),
        rules=tuple(rules),
        due=f.get(head, "due", dt.date, span),
        due_working_days=_working_days(f, head, span),
        published=f.get(head, "published", dt.date, span),
        path=f.display,
    )

    raw_tasks = _tables(f, f.data, "tasks")
    if not raw_tasks:
        f.report(span[0], "the document has no tasks ([[tasks]])")
    tasks: list[Task] = []
    seqs: dict[int, int] = {}
    all_seqs: list[int | None] = []
    for table, tspan in zip(raw_tasks, f.spans("[[tasks]]", len(raw_tasks)), strict=True):
        task, seq = _load_task(f, registry, table, tspan, doc, seen)
        all_seqs.append(seq)
        if seq in seqs:
            f.report(f.lines.key("seq", tspan), f"duplicate seq {seq} (also at line {seqs[seq]})")
        elif seq is not None:
            seqs[seq] = f.lines.key("seq", tspan)
        if task is not None:
            tasks.append(task)
    # A task whose seq could not be read is already reported; gaps would only repeat it.
    if seqs and None not in all_seqs:
        missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
            f.report(span[0], f"missing seq {shown} (items are numbered 1 to {max(seqs)})")
    tasks = [_apply_rules(t, doc.rules, registry) for t in tasks]
    return (doc if doc_id else None), tasks


def _load_task(
    f: _File, registry: Registry, table: dict[str, Any], span: tuple[int, int], doc: Document, seen: _Seen
) -> tuple[Task | None, int | None]:
    """The task, or None when a field it cannot do without is wrong; and its seq, if valid."""
    f.unknown_keys(table, _TASK_KEYS, span)
    task_id = f.get(table, "id", str, span, required=True)
    seq = f.get(table, "seq", int, span, required=True)
    title = f.get(table, "title", str, span, required=True)
    if seq is not None and seq < 1:
        f.report(f.lines.key("seq", span), f"'seq' must be 1 or more, not {seq}")
        seq = None
    if task_id is not None and not _ID.match(task_id):
        f.report(
            f.lines.key("id", span), f"task id '{task_id}' must be ASCII letters, digits, '.', '_' or '-'"
        )
        task_id = None
    if task_id is not None and task_id in seen.tasks:
        first, first_span = seen.tasks[task_id]
        where = f"{first.display}:{first.lines.key('id', first_span)}"
        f.report(f.lines.key("id", span), f"duplicate task id '{task_id}' (first at {where})")
        task_id = None
    if task_id is not None:
        seen.tasks[task_id] = (f, span)
    status = f.get(table, "status", str, span, default="not_started")
    if status not in STATUSES:
        f.report(f.lines.key("status", span), f"status '{status}' is not one of {', '.join(STATUSES)}")
        status = "not_started"
    roles = {role: _units(f, registry, table, role, span) for role in ROLES}
    named: dict[str, str] = {}
    for role in ROLES:
        for unit in roles[role]:
            if unit in named:
                f.report(
                    f.lines.key(role, span),
                    f"'{unit}' is named twice in this task ({named[unit]} and {role})",
                    "warning",
                )
            named.setdefault(unit, role)
    if task_id is None or seq is None or title is None:
        return None, seq
    task = Task(
        id=task_id,
        doc_id=doc.id,
        seq=seq,
        title=title,
        text=f.get(table, "text", str, span, default="") or "",
        section=f.get(table, "section", str, span, default="") or "",
        label=f.get(table, "label", str, span, default="") or "",
        status=status,
        due=_due(f, table, span, doc),
        time_limit=f.get(table, "time_limit", str, span, default="") or "",
        leaders=f.get(table, "leaders", list, span, default=()),
        path=f.display,
        line=span[0],
        **roles,
    )
    return task, seq


def _working_days(f: _File, table: dict[str, Any], span: tuple[int, int]) -> int | None:
    days = f.get(table, "due_working_days", int, span)
    if days is not None and days < 1:
        f.report(f.lines.key("due_working_days", span), "'due_working_days' must be 1 or more")
        return None
    return days


def _due(f: _File, table: dict[str, Any], span: tuple[int, int], doc: Document) -> dt.date | None:
    """A task's due date: its own `due`; or `due_working_days` working days after its `start` (or
    the document's date), on the official holiday calendar; or the document's default."""
    due = f.get(table, "due", dt.date, span)
    days = _working_days(f, table, span) if "due_working_days" in table else doc.due_working_days
    if due is not None or days is None:
        return due if due is not None else doc.due
    start = f.get(table, "start", dt.date, span) or doc.date
    where = f.lines.key("due_working_days" if "due_working_days" in table else "seq", span)
    if start is None:
        f.report(where, "working days need a start: give the task a 'start' or the document a 'date'")
        return None
    from cityplan_cli.workdays import add_working_days

    due, exact = add_working_days(start, days)
    if not exact:
        f.report(
            where,
            f"the holiday calendar has no data for part of {start}–{due}: those days were counted "
            "Monday to Friday (update the chinesecalendar package)",
            "warning",
        )
    return due


def _units(
    f: _File,
    registry: Registry,
    table: dict[str, Any],
    key: str,
    span: tuple[int, int],
    *,
    required: bool = False,
) -> tuple[str, ...]:
    """The canonical names of the units listed under `key`; unknown ones are reported."""
    names = f.get(table, key, list, span, required=required, default=())
    found = []
    for name in names:
        canonical = registry.resolve(name)
        # With no registry (missing or broken, reported already) every name would be unknown.
        if canonical is None and len(registry):
            f.report(f.lines.key(key, span), f"{key}: " + unknown_unit_message(registry, name))
        else:
            found.append(canonical)
    return tuple(dict.fromkeys(found))


def _apply_rules(task: Task, rules: tuple[Rule, ...], registry: Registry) -> Task:
    added: list[str] = []
    for rule in rules:
        if not rule.covers(task.seq):
            continue
        named_kinds = set().union(*(registry.kinds_of(u) for u in task.owners if u in registry))
        if named_kinds & set(rule.unless_kind):
            continue
        added += [u for u in rule.local if u not in task.owners and u not in added]
    if not added:
        return task
    return replace(task, local=task.local + tuple(added), rule_local=tuple(added))


# ---------------------------------------------------------------------------------------------
# progress/*.toml

_PROGRESS_KEYS = {"task", "date", "status", "note", "percent"}


def _load_progress(root: Path, ds: Dataset, problems: list[Problem]) -> None:
    folder = root / PROGRESS_DIR
    if not folder.is_dir():
        return
    task_ids = {t.id for t in ds.tasks}
    for path in [p for p in data_files(root) if p.parent == folder]:
        f = _File(path, _display(root, f"{PROGRESS_DIR}/{path.name}"), problems)
        if not f.read():
            continue
        assert f.data is not None
        f.unknown_keys(f.data, {"unit", "records"}, (1, 1))
        name = f.get(f.data, "unit", str, (1, 1), required=True)
        unit = ds.registry.resolve(name) if name else None
        if name and unit is None and len(ds.registry):
            f.report(
                f.lines.key("unit", (1, len(f.lines.lines) + 1)),
                "unit: " + unknown_unit_message(ds.registry, name),
            )
        if unit is not None:
            if unit in ds.progress_files:
                f.report(1, f"the records of '{unit}' are also in {ds.progress_files[unit]}")
            ds.progress_files.setdefault(unit, path)
        records = _tables(f, f.data, "records")
        for table, span in zip(records, f.spans("[[records]]", len(records)), strict=True):
            record = _load_record(f, table, span, unit, task_ids)
            if record is not None:
                ds.progress.append(record)


def _load_record(
    f: _File, table: dict[str, Any], span: tuple[int, int], unit: str | None, task_ids: set[str]
) -> Progress | None:
    f.unknown_keys(table, _PROGRESS_KEYS, span)
    task_id = f.get(table, "task", str, span, required=True)
    date = f.get(table, "date", dt.date, span, required=True)
    status = f.get(table, "status", str, span, required=True)
    percent = f.get(table, "percent", int, span)
    if task_id is not None and task_id not in task_ids:
        close = closest(task_id, sorted(task_ids))
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        f.report(f.lines.key("task", span), f"no task '{task_id}'{hint}")
        task_id = None
    if status is not None and status not in STATUSES:
        f.report(f.lines.key("status", span), f"status '{status}' is not one of {', '.join(STATUSES)}")
        status = None
    if percent is not None and not 0 <= percent <= 100:
        f.report(f.lines.key("percent", span), f"'percent' must be 0 to 100, not {percent}")
        percent = None
    if task_id is None or date is None or status is None or unit is None:
        return None
    return Progress(
        task_id=task_id,
        unit=unit,
        date=date,
        status=status,
        note=f.get(table, "note", str, span, default="") or "",
        percent=percent,
        path=f.display,
        line=span[0],
    )


# ---------------------------------------------------------------------------------------------


def data_files(root: Path) -> list[Path]:
    """Every file `load` reads: the registry, the settings, the documents and the progress records."""
    return sorted(root.glob("*.toml")) + sorted((root / PROGRESS_DIR).glob("*.toml"))


def load(root: Path) -> tuple[Dataset, list[Problem]]:
    """Read every file of the data directory; never raises for bad content, only reports it."""
    problems: list[Problem] = []
    registry = _load_registry(root, problems)
    dataset = Dataset(root=root, registry=registry, settings=_load_settings(root, problems))
    seen = _Seen()
    for path in data_files(root):
        if path.name in (UNITS_FILE, SETTINGS_FILE) or path.parent != root:
            continue
        f = _File(path, _display(root, path.name), problems)
        if not f.read():
            continue
        doc, tasks = _load_document(f, registry, seen)
        if doc is not None:
            dataset.documents[doc.id] = doc
        dataset.tasks.extend(tasks)
    _load_progress(root, dataset, problems)
    for record in sorted(dataset.progress, key=lambda r: (r.date, r.path, r.line)):
        dataset.history.setdefault(record.task_id, []).append(record)
    if not dataset.documents and not any(p.severity == "error" for p in problems):
        problems.append(Problem(str(root), 0, "no document files (*.toml) in the data directory"))
    return dataset, sorted(problems, key=lambda p: (p.path, p.line))


def load_checked(root: Path) -> Dataset:
    """The dataset, or DataError when any file has an error."""
    dataset, problems = load(root)
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return dataset
