"""The records import builds: documents, their numbered items, the owners each item's words state and
the words that state them. Plain data; the readers fill them in, `render.tasktoml` writes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SENTENCE_END = "。;；!！?？"


@dataclass
class Owners:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)

    def add(self, role: str, names: list[str]) -> None:
        target = getattr(self, role)
        target.extend(n for n in names if n not in target)

    def merge(self, other: Owners) -> None:
        for role in ("lead", "support", "local", "leaders"):
            self.add(role, getattr(other, role))

    def units(self) -> list[str]:
        return list(dict.fromkeys(self.lead + self.support + self.local))

    def __bool__(self) -> bool:
        return bool(self.lead or self.support or self.local)


@dataclass
class Statement:
    """Words of the text that name owners: `quote` exactly as it stands on `line`."""

    quote: str
    owners: Owners
    line: int
    how: str = "named"  # named, addressee, column
    note: str = ""


@dataclass
class Milestone:
    date: dt.date
    text: str


@dataclass
class ItemDraft:
    style: str
    label: str
    rest: str
    line: int
    parent: ItemDraft | None = None
    children: list[ItemDraft] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    body_lines: list[int] = field(default_factory=list)
    owners: Owners = field(default_factory=Owners)
    statements: list[Statement] = field(default_factory=list)
    clause_line: int = 0
    # Table rows carry their cells by column role instead of words to read.
    cells: dict[str, str] = field(default_factory=dict)
    section_text: str | None = None  # a table's 所属部分 column, which replaces the heading chain
    due: dt.date | None = None
    due_text: str = ""
    due_line: int = 0  # where due_text stands, when not on the item's first line
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.label}{self.rest}"

    @property
    def title(self) -> str:
        if "title" in self.cells:
            return self.cells["title"]
        ends = [i for i in (self.rest.find(c) for c in SENTENCE_END) if i >= 0]
        first = self.rest[: min(ends)] if ends else self.rest
        return first.strip().rstrip(":：,，")

    @property
    def text(self) -> str:
        """The item's words: the heading's own sentences (a bare heading is the title), then the
        paragraphs under it."""
        if "title" in self.cells:
            return self.cells.get("text") or self.cells["title"]
        stripped = self.rest.rstrip()
        more = any(c in stripped[:-1] for c in SENTENCE_END)
        head = self.rest if more or not self.body else ""
        return "\n".join(p for p in [head, *self.body] if p)

    @property
    def section(self) -> str:
        if self.section_text is not None:
            return self.section_text
        chain, node = [], self.parent
        while node is not None:
            chain.append(node.heading.rstrip("。"))
            node = node.parent
        return " / ".join(reversed(chain))


@dataclass
class RuleDraft:
    text: str
    local: list[str]
    from_seq: int
    unless_kind: list[str]
    line: int


@dataclass
class Skipped:
    line: int
    text: str
    why: str  # a Finding: English, translated where the report shows it


@dataclass
class DocDraft:
    first_line: int
    number: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    title: str | None = None
    title_line: str | None = None
    doc_id: str | None = None  # an id the input states (a ledger's 编号 column)
    addressees: list[str] = field(default_factory=list)
    addressee_text: str = ""  # the addressee line as written
    addressee_line: int = 0
    items: list[ItemDraft] = field(default_factory=list)  # every numbered item, in order
    rules: list[RuleDraft] = field(default_factory=list)
    tasks: list[ItemDraft] = field(default_factory=list)  # the items that become tasks
    last_line: int = 0
    reply: bool = False
    short_names: dict[str, str] = field(default_factory=dict)  # 《规划》 → the full title it stands for
    loose: list[tuple[int, str]] = field(default_factory=list)  # paragraphs outside every item
    convention: str = "first"  # how a 责任单位 list without a 牵头单位 beside it is read
    convention_line: int = 0  # where the document states it (0: it does not)
    tables: int = 0  # 分工表 read
    skipped: list[Skipped] = field(default_factory=list)
    unparsed_due: list[tuple[int, str]] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        """The title, or the line that stands where a title does."""
        return self.title or self.title_line

    @property
    def started(self) -> bool:
        return bool(self.items or self.addressees or self.number)


@dataclass
class Unplaced:
    line: int
    text: str
    why: str  # a Finding, as Skipped's


@dataclass
class Extraction:
    documents: list[DocDraft]
    unknown: dict[str, list[int]]  # unit name as written → lines
    unplaced: list[Unplaced]
    notes: list[str]  # Findings, as Skipped's why
    lines: list[str] = field(default_factory=list)  # the text read, line by line (line 1 first)
    origins: dict[int, str] = field(
        default_factory=dict
    )  # line → where it came from (table 1, row 3), a Finding

    def where(self, line: int) -> str:
        origin = self.origins.get(line)
        """Where a line of the input is, for the report on the terminal."""
        from cityplan_cli.errors import shown
        from cityplan_cli.i18n import _

        if origin:
            return _("line {line} ({origin})").format(line=line, origin=shown(origin))
        return _("line {line}").format(line=line)

    def source_text(self, doc: DocDraft) -> str:
        """The lines of the text read that hold `doc`."""
        return "\n".join(self.lines[doc.first_line - 1 : doc.last_line]) + "\n"
