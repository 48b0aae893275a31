"""Policy text → document and task drafts: the reading behind `cityplan import`.

A text may hold several documents one after another. Each is cut at its 发文字号 line or at a new
addressee line (主送: …:), and read for its front matter (发文字号, issuer and date, title, addressees),
its numbered items at every level (一、 / (一) / 1. / (1) / ① / 第一条, full-width or ASCII), and the
responsibility each item states, in the forms Chinese documents use:

    (责任单位:A、B,C市、D市政府)         first leads, other departments support, governments implement
    (牵头单位:A;配合单位:B、C)          labelled roles
    牵头责任单位:A / 协同责任单位:B      the same on lines of their own
    部门分工:A牵头,B、C配合             roles by verb
    (A、B牵头,C及D按职责分工负责)
    分管省领导:张三                      a person: kept as `leaders`, never a unit

Unit names are resolved through the registry; names it does not know are kept as written and
reported. Nothing here writes: `cityplan import` renders the drafts and `store` writes them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from cityplan_cli.errors import CityplanError
from cityplan_cli.model import ROLES
from cityplan_cli.registry import Registry

# ---------------------------------------------------------------------------------------------
# Text

CN_DIGITS = "〇一二三四五六七八九"


def decode(raw: bytes) -> tuple[str, list[str]]:
    """The text of an input file, with notes on how it was read. UTF-8 (with or without BOM) is read
    as it is; another encoding is detected (GB18030, Big5 …) and named in the notes."""
    if not raw.strip():
        raise CityplanError("the input is empty")
    if b"\x00" in raw:
        raise CityplanError("the input is not text (it holds NUL bytes): give a .txt copy of the document")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or not re.search(r"[\u4e00-\u9fff]", str(best)):
        raise CityplanError("the input is neither UTF-8 nor a Chinese encoding that can be recognised")
    return str(best), [f"read as {best.encoding}, not UTF-8"]


def to_simplified(text: str) -> tuple[str, bool]:
    """Text in traditional characters converted to simplified; simplified text left as it is."""
    import opencc

    converted = opencc.OpenCC("t2s").convert(text)
    han = len(re.findall(r"[\u4e00-\u9fff]", text)) or 1
    changed = sum(a != b for a, b in zip(text, converted, strict=False))
    # A simplified text still has a few characters OpenCC would change (著, 乾 …): only a text
    # with many of them is traditional.
    if len(converted) == len(text) and changed / han > 0.03:
        return converted, True
    return text, False


def _clean(line: str) -> str:
    line = line.replace("\u3000", " ").strip()
    return re.sub(r"\s*\|\s*$", "", line).strip()  # table cells copied from web pages


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 三十九 → 39, 一百零五 → 105; None for anything else."""
    if not s or any(c not in CN_DIGITS + "十百零" for c in s):
        return None
    total, current = 0, 0
    for c in s:
        if c in "十百":
            total += (current or 1) * (10 if c == "十" else 100)
            current = 0
        elif c != "零":
            current = CN_DIGITS.index(c)
    return total + current


# ---------------------------------------------------------------------------------------------
# Line kinds

_DOCNO = re.compile(
    r"^(?P<org>[\u4e00-\u9fff]{1,10})\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]\s*(?P<no>\d+)\s*号$"
)
_DOCNO_IN = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,10}?)\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]\s*(?P<no>\d+)\s*号"
)
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_ORG_END = re.compile(r"(人民政府|政府|办公厅|办公室|委员会|管委会|厅|局|委|办|部|院|行|中心)$")
_ADDRESSEE = re.compile(r"^(?P<names>[^。;\uff1b!?\uff01\uff1f]{2,200}?)[:\uff1a]$")
_ADDRESSEE_WORD = re.compile(r"(政府|部门|单位|委员会|管委会|办事处|厅|局|委)")
_PUBLISHED = re.compile(r"^[(\uff08]此件(?:公开发布|主动公开)[)\uff09]$")
_ISSUED = re.compile(r"现将《(?P<title>[^》]+)》(?:印发|转发)")
_SHORT_NAME = re.compile(r"《(?P<full>[^》]+)》[(\uff08]以下简称《(?P<short>[^》]+)》[)\uff09]")
_FILE_LINK = re.compile(r"^(?:文件下载|附件下载|相关链接|附件)[:\uff1a]")
_REPLY = re.compile(r"现批复如下|的批复$")
_YOU = re.compile(r"你(委|局|厅|办|单位|们|市|县|区|公司|中心)")

# Numbering styles, in the order documents nest them.
_STYLES = [
    ("chapter", re.compile(r"^第(?P<n>[一二三四五六七八九十百零〇]+)章\s*(?P<rest>.*)$")),
    ("article", re.compile(r"^第(?P<n>[一二三四五六七八九十百零〇]+)条\s*(?P<rest>.*)$")),
    ("cn", re.compile(r"^(?P<n>[一二三四五六七八九十百零〇]+)[、.．]\s*(?P<rest>.+)$")),
    ("cn_paren", re.compile(r"^[(\uff08](?P<n>[一二三四五六七八九十百零〇]+)[)\uff09]\s*(?P<rest>.+)$")),
    ("num", re.compile(r"^(?P<n>[0-9０-９]{1,3})[.．、](?![0-9０-９])\s*(?P<rest>.+)$")),
    ("num_paren", re.compile(r"^[(\uff08](?P<n>[0-9０-９]{1,3})[)\uff09]\s*(?P<rest>.+)$")),
    ("circled", re.compile(r"^(?P<n>[①-⑳])\s*(?P<rest>.+)$")),
    ("box", re.compile(r"^(?P<n>专栏\s*[0-9０-９]+)\s*[:\uff1a]?\s*(?P<rest>.*)$")),
]
# Several items on one line (专栏 text copied from a web page): "1.深化户籍制度改革。… 2.探索…"
_INLINE_SPLIT = re.compile(r"(?<=[。;\uff1b])\s+(?=(?:[0-9０-９]{1,2}[.．]|[①-⑳])\S)")


def _label(style: str, n: str) -> str:
    n = unicodedata.normalize("NFKC", n) if style in ("num", "num_paren", "box") else n
    return {
        "chapter": f"第{n}章",
        "article": f"第{n}条",
        "cn": f"{n}、",
        "cn_paren": f"({n})",
        "num": f"{n}.",
        "num_paren": f"({n})",
        "circled": n,
        "box": re.sub(r"\s+", "", n),
    }[style]


# ---------------------------------------------------------------------------------------------
# Responsibility

_LEAD_LABELS = ("牵头责任单位", "牵头单位", "牵头部门", "主责单位", "主办单位")
_SUPPORT_LABELS = ("协同责任单位", "配合单位", "配合部门", "协同单位", "协办单位", "参与单位", "协同部门")
_LOCAL_LABELS = ("落实单位", "实施单位", "责任主体")
_GENERIC_LABELS = ("主要责任单位", "责任单位", "责任部门", "负责单位", "牵头和责任单位")
_DIVISION_LABELS = ("部门分工", "职责分工", "任务分工", "分工")
_LEADER_LABELS = ("分管省领导", "分管市领导", "分管领导", "牵头负责领导", "牵头领导", "责任领导", "负责领导")
_ALL_LABELS = _LEAD_LABELS + _SUPPORT_LABELS + _LOCAL_LABELS + _GENERIC_LABELS + _DIVISION_LABELS
_LABEL_RE = "|".join(sorted(_ALL_LABELS, key=len, reverse=True))
_LEADER_RE = "|".join(sorted(_LEADER_LABELS, key=len, reverse=True))

# A clause in brackets at the end of a paragraph; one level of nested brackets is allowed inside.
_TRAILING = re.compile(
    r"[(\uff08](?P<body>(?:[^()\uff08\uff09]|[(\uff08][^()\uff08\uff09]*[)\uff09])*)[)\uff09][。;\uff1b]?$"
)
_LABELLED_LINE = re.compile(rf"^(?P<label>{_LABEL_RE}|{_LEADER_RE})\s*[:\uff1a]\s*(?P<body>.+?)[。;\uff1b]?$")
_SEGMENT_SPLIT = re.compile(
    rf"(?:^|(?<=[;\uff1b\s,\uff0c。]))(?=(?:{_LABEL_RE}|{_LEADER_RE})\s*[:\uff1a])|[;\uff1b]"
)
_LABEL_SEGMENT = re.compile(rf"^(?P<label>{_LABEL_RE}|{_LEADER_RE})\s*[:\uff1a]\s*(?P<body>.*)$")
# Verbs that assign a role, longest first: 按职责分工负责 before 负责.
_VERBS = [
    ("按职责分工负责", "support"),
    ("按职责分工落实", "support"),
    ("分工负责", "support"),
    ("按职责负责", "support"),
    ("牵头负责", "lead"),
    ("牵头抓总", "lead"),
    ("牵头", "lead"),
    ("配合", "support"),
    ("参与", "support"),
    ("协同", "support"),
    ("协助", "support"),
    ("组织实施", "local"),
    ("抓好落实", "local"),
    ("落实", "local"),
    ("负责", "lead"),
]
_VERB_RE = re.compile(r"^(?P<units>.+?)(?P<verb>" + "|".join(v for v, _ in _VERBS) + r")$")
_RULE = re.compile(
    r"以下(?:各项)?任务(?:中)?(?:除已明确(?P<what>[^的,\uff0c。]+)的)?[,\uff0c]?(?:均|都)?(?:需|由)?"
    r"(?P<units>[^,\uff0c。;\uff1b]+?)(?:负责)?(?:落实|组织实施)"
)
_PLACE_END = re.compile(r"(市|州|县|区|旗|盟|镇|乡|新区)$")
_SUFFIXES = ("人民政府", "政府", "党委和政府", "管委会")
LOCAL_KINDS = ("市州政府", "县区政府", "管委会")


@dataclass
class Owners:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)

    def add(self, role: str, names: list[str]) -> None:
        target = getattr(self, role)
        target.extend(n for n in names if n not in target)

    def __bool__(self) -> bool:
        return bool(self.lead or self.support or self.local)


def split_units(text: str) -> list[str]:
    """A list of unit names as documents write them: 、,; and 及 separate; a trailing 等 ends it;
    a shared suffix distributes (兰州市、白银市政府 → 兰州市政府, 白银市政府)."""
    text = re.sub(r"等(?:单位|部门|有关单位|有关部门)?$", "", text.strip().rstrip("。;\uff1b,\uff0c"))
    parts = [p.strip() for p in re.split(r"[、,\uff0c;\uff1b]|以及|及", text)]
    parts = [re.sub(r"^(?:和|与|由)|等$", "", p).strip() for p in parts if p.strip()]
    names: list[str] = []
    pending: list[str] = []
    for part in parts:
        suffix = next((s for s in _SUFFIXES if part.endswith(s) and len(part) > len(s)), None)
        if suffix and pending:
            names += [p + suffix for p in pending]
            pending = []
        if _PLACE_END.search(part) and not suffix:
            pending.append(part)
        else:
            names += [*pending, part]
            pending = []
    return names + pending


def _split_and(names: list[str], registry: Registry) -> list[str]:
    """和 / 与 join two units only when the whole is not one unit's name (住房和城乡建设厅 is)."""
    out = []
    for name in names:
        halves = re.split(r"和|与", name)
        if len(halves) == 2 and registry.resolve(name) is None and all(_ORG_END.search(h) for h in halves):
            out += halves
        else:
            out.append(name)
    return out


def _lead_marker(name: str) -> tuple[str, str | None]:
    """省发展改革委(牵头) → (省发展改革委, lead)."""
    m = re.match(r"^(?P<name>.+?)[(\uff08](?P<verb>牵头|配合|落实)[)\uff09]$", name)
    if not m:
        return name, None
    return m["name"], {"牵头": "lead", "配合": "support", "落实": "local"}[m["verb"]]


def _is_local(name: str, registry: Registry) -> bool:
    canonical = registry.resolve(name)
    if canonical is not None:
        return bool(registry.kinds_of(canonical) & set(LOCAL_KINDS))
    return name.endswith(("政府", "管委会"))


def parse_clause(body: str, registry: Registry) -> Owners | None:
    """The owners a responsibility clause states, or None when it states none."""
    owners = Owners()
    # Labelled segments may be separated by ; or only by a space: 牵头单位:A 配合单位:B
    segments = [s.strip(" ;\uff1b") for s in _SEGMENT_SPLIT.split(body) if s.strip(" ;\uff1b")]
    labelled = [_LABEL_SEGMENT.match(s) for s in segments]
    if any(labelled):
        for m in labelled:
            if m is None:
                continue
            label, names = m["label"], m["body"]
            if label in _LEADER_LABELS:
                owners.leaders += split_units(names)
            elif label in _DIVISION_LABELS:
                _division(names, registry, owners)
            elif label in _GENERIC_LABELS:
                # 责任单位:A牵头,B配合 states roles by verb; a plain list follows the convention.
                if not _division(names, registry, owners):
                    _generic(names, registry, owners)
            else:
                role = "lead" if label in _LEAD_LABELS else "support" if label in _SUPPORT_LABELS else "local"
                owners.add(role, _split_and(split_units(names), registry))
        return owners if owners or owners.leaders else None
    if _division(body, registry, owners):
        return owners
    return None


def _generic(names: str, registry: Registry, owners: Owners) -> None:
    """责任单位: the first unit leads, the other departments support, local governments implement."""
    units = []
    for name in _split_and(split_units(names), registry):
        name, marked = _lead_marker(name)
        if marked:
            owners.add(marked, [name])
        else:
            units.append(name)
    for i, name in enumerate(units):
        if i == 0 and not owners.lead:
            owners.add("lead", [name])
        elif _is_local(name, registry):
            owners.add("local", [name])
        else:
            owners.add("support", [name])


def _division(text: str, registry: Registry, owners: Owners) -> bool:
    """A牵头,B、C配合 / A、B牵头,C及D按职责分工负责. False when no segment carries a role verb."""
    found = False
    shared: list[str] = []  # named as sharing the work (按职责分工负责) where nobody is named to lead
    for segment in re.split(r"[,\uff0c;\uff1b]", text):
        m = _VERB_RE.match(segment.strip().rstrip("。"))
        if not m:
            continue
        role = dict(_VERBS)[m["verb"]]
        if m["verb"] == "负责" and owners.lead:
            role = "support"
        units = _split_and(split_units(m["units"]), registry)
        if "负责" in m["verb"] and role == "support" and not owners.lead:
            shared += units
        owners.add(role, units)
        found = True
    if shared and not owners.lead:  # A、B等按职责分工负责: the first named leads, as in a 责任单位 list
        owners.support.remove(shared[0])
        owners.lead.append(shared[0])
    return found


# ---------------------------------------------------------------------------------------------
# Drafts


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
    clause_line: int = 0

    @property
    def heading(self) -> str:
        return f"{self.label}{self.rest}"

    @property
    def title(self) -> str:
        first = re.split(r"[。;\uff1b!\uff01?\uff1f]", self.rest, maxsplit=1)[0]
        return first.strip().rstrip(":\uff1a,\uff0c")

    @property
    def text(self) -> str:
        """The item's words: the heading's own sentences (a bare heading is the title), then the
        paragraphs under it."""
        head = self.rest if re.search(r"[。;\uff1b!\uff01?\uff1f]\s*\S", self.rest) or not self.body else ""
        return "\n".join(p for p in [head, *self.body] if p)

    @property
    def section(self) -> str:
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
class DocDraft:
    first_line: int
    number: str | None = None
    issuer: str | None = None
    date: dt.date | None = None
    title: str | None = None
    title_line: str | None = None
    addressees: list[str] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)  # every numbered item, in order
    rules: list[RuleDraft] = field(default_factory=list)
    tasks: list[ItemDraft] = field(default_factory=list)  # the items that become tasks
    last_line: int = 0
    reply: bool = False
    short_names: dict[str, str] = field(default_factory=dict)  # 《规划》 → the full title it stands for
    loose: list[tuple[int, str]] = field(default_factory=list)  # paragraphs outside every item

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
    why: str


@dataclass
class Extraction:
    documents: list[DocDraft]
    unknown: dict[str, list[int]]  # unit name as written → lines
    unplaced: list[Unplaced]
    notes: list[str]


def extract(text: str, registry: Registry) -> Extraction:
    text, traditional = to_simplified(text)
    notes = ["converted from traditional characters to simplified"] if traditional else []
    docs = _segment(text)
    unplaced: list[Unplaced] = []
    unknown: dict[str, list[int]] = {}
    for doc in docs:
        _read_owners(doc, registry, unplaced)
        _choose_tasks(doc)
        _resolve(doc, registry, unknown)
    return Extraction(docs, unknown, unplaced, notes)


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    for no, raw in enumerate(text.splitlines(), 1):
        line = _clean(raw)
        if line:
            out += [(no, part.strip()) for part in _INLINE_SPLIT.split(line)]
    return out


def _heading(line: str) -> tuple[str, re.Match[str]] | None:
    for style, pattern in _STYLES:
        m = pattern.match(line)
        if m and (style != "cn" or cn_number(m["n"]) is not None):
            return style, m
    return None


def _segment(text: str) -> list[DocDraft]:
    """Cut the text into documents and each document into numbered items."""
    docs: list[DocDraft] = []
    doc = DocDraft(first_line=1)
    stack: list[ItemDraft] = []
    closed = False  # after a 文件下载 / 相关链接 line, loose paragraphs belong to no item
    lines = _lines(text)
    for i, (no, line) in enumerate(lines):
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        docno = _DOCNO.match(line)
        addressee = _ADDRESSEE.match(line)
        is_addressee = bool(addressee and _ADDRESSEE_WORD.search(line) and not _heading(line))
        if (docno and doc.started) or (is_addressee and (doc.items or doc.addressees)):
            docs.append(doc)
            doc, stack, closed = DocDraft(first_line=no), [], False
        doc.last_line = no
        if docno:
            doc.number = _docno(docno)
            continue
        if is_addressee and addressee:
            doc.addressees = [
                a.strip() for a in re.split(r"[,\uff0c;\uff1b]", addressee["names"]) if a.strip()
            ]
            continue
        if _DATE.match(line):
            y, m, d = map(int, _DATE.match(line).groups())  # type: ignore[union-attr]
            doc.date = dt.date(y, m, d)
            continue
        if _DATE.match(nxt) and _ORG_END.search(line) and len(line) <= 30:
            doc.issuer = line
            continue
        if _PUBLISHED.match(line):
            continue
        if _FILE_LINK.match(line):
            link = _DOCNO_IN.search(line)
            if link and not doc.number:
                doc.number = _docno(link)
                title = re.sub(r"\.\w+$", "", line[link.end() :].strip())
                doc.title = doc.title or title or None
            closed = True
            continue
        doc.short_names.update({m["short"]: m["full"] for m in _SHORT_NAME.finditer(line)})
        issued = _ISSUED.search(line)
        if issued and not doc.items:
            doc.title = doc.title or doc.short_names.get(issued["title"], issued["title"])
        if _REPLY.search(line):
            doc.reply = True
        heading = _heading(line)
        if heading:
            style, m = heading
            item = ItemDraft(style, _label(style, m["n"]), m["rest"].strip(), no)
            styles = [s.style for s in stack]
            if style in styles:  # a sibling: close the levels below the last item of this style
                del stack[styles.index(style) :]
            elif style == "box":  # a 专栏 belongs to its part (一、), not to the last item of it
                while stack and stack[-1].style not in ("cn", "chapter"):
                    stack.pop()
            item.parent = stack[-1] if stack else None
            if item.parent is not None:
                item.parent.children.append(item)
            doc.items.append(item)
            stack.append(item)
            closed = _ends_with_clause(item.rest)
            continue
        if not doc.items and doc.title_line is None and _is_title(line):
            doc.title_line = line
            continue
        # Owner lines (牵头责任单位:… / 分管省领导:…) belong to their item even after a clause.
        if stack and (not closed or _LABELLED_LINE.match(line)):
            stack[-1].body.append(line)
            stack[-1].body_lines.append(no)
            closed = _ends_with_clause(line)
        else:
            doc.loose.append((no, line))
    docs.append(doc)
    return [d for d in docs if d.started or d.loose]


def _docno(m: re.Match[str]) -> str:
    return f"{m['org']}〔{m['year']}〕{int(m['no'])}号"


def _ends_with_clause(paragraph: str) -> bool:
    """A paragraph ending in a responsibility clause ends its item: what follows is not its text."""
    m = _TRAILING.search(paragraph)
    return bool(
        m
        and (re.search(_LABEL_RE, m["body"]) or _VERB_RE.match(re.split(r"[,\uff0c;\uff1b。]", m["body"])[0]))
    )


def _is_title(line: str) -> bool:
    """A title stands alone: short, Chinese, with no closing punctuation."""
    return (
        len(line) <= 60
        and re.search(r"[\u4e00-\u9fff]", line) is not None
        and not re.search(r"[。;\uff1b:\uff1a,\uff0c!\uff01?\uff1f]$", line)
        and "|" not in line
    )


def _read_owners(doc: DocDraft, registry: Registry, unplaced: list[Unplaced]) -> None:
    """Take each item's responsibility clauses and lines out of its words into its owners."""
    seq_of = {id(item): n for n, item in enumerate(doc.items, 1)}
    for item in doc.items:
        paragraphs = [item.rest, *item.body]
        lines = [item.line, *item.body_lines]
        kept = []
        for k, (para, line_no) in enumerate(zip(paragraphs, lines, strict=True)):
            labelled = _LABELLED_LINE.match(para)
            if labelled and k > 0:
                owners = parse_clause(para, registry)
                if owners is not None:
                    _merge(item.owners, owners)
                    item.clause_line = item.clause_line or line_no
                    continue
            trailing = _TRAILING.search(para)
            if trailing:
                body = trailing["body"]
                head, _, after = body.partition("。")
                owners = parse_clause(head, registry)
                if owners is not None:
                    _merge(item.owners, owners)
                    item.clause_line = item.clause_line or line_no
                    para = para[: trailing.start()].rstrip()
                    for rule in _RULE.finditer(after):
                        _add_rule(doc, rule, seq_of[id(item)] + 1, registry, line_no, unplaced)
                elif re.search(_LABEL_RE, body):
                    unplaced.append(Unplaced(line_no, body, "a responsibility clause that could not be read"))
            kept.append(para)
        item.rest, item.body = kept[0] if kept else "", kept[1:]
        if not item.owners:
            _lead_in_text(item, registry)
    for no, para in doc.loose:
        for rule in _RULE.finditer(para):
            _add_rule(doc, rule, 1, registry, no, unplaced)


def _lead_in_text(item: ItemDraft, registry: Registry) -> None:
    """Owners the running text states: a sentence that divides the work among registered units
    (由省农业农村厅负责,省发展改革委配合), or a registered unit it puts in the lead
    (省发展改革委牵头抓总)."""
    for sentence in re.split(r"[。;\uff1b]", item.text):
        owners = Owners()
        if _division(sentence, registry, owners):
            named = owners.lead + owners.support + owners.local
            if all(registry.resolve(n) is not None for n in named):
                _merge(item.owners, owners)
                item.clause_line = item.line
                return
    for m in re.finditer(r"(?:由)?(?P<unit>[\u4e00-\u9fff〔〕]{2,24}?)牵头(?:抓总|负责)?", item.text):
        words = m["unit"]
        # The unit's name ends right before 牵头; try the longest registered name that does.
        for start in range(len(words) - 1):
            unit = registry.resolve(words[start:])
            if unit is not None:
                item.owners.add("lead", [unit])
                item.clause_line = item.line
                break


def _merge(into: Owners, owners: Owners) -> None:
    for role in (*ROLES, "leaders"):
        into.add(role, getattr(owners, role))


def _add_rule(
    doc: DocDraft, m: re.Match[str], from_seq: int, registry: Registry, line: int, unplaced: list[Unplaced]
) -> None:
    units = split_units(m["units"])
    kinds: list[str] = []
    if m["what"]:
        known_kinds = {u.kind for u in registry}
        if m["what"] in known_kinds:
            kinds = [m["what"]]
        elif (unit := registry.resolve(m["what"])) is not None:
            kinds = sorted(registry.kinds_of(unit))
        else:
            unplaced.append(Unplaced(line, m.group(0), f"no unit kind '{m['what']}' in the registry"))
    text = m.string[m.start() :].split("。")[0].rstrip(")\uff09")
    doc.rules.append(RuleDraft(text, units, from_seq, kinds, line))


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
    if len(doc.addressees) == 1:
        for item in doc.tasks:
            if not item.owners and (doc.reply or _YOU.search(item.text)):
                item.owners.add("lead", doc.addressees)
    # Rules count tasks, not items: renumber them from the item each was stated in.
    positions = {id(item): n for n, item in enumerate(doc.tasks, 1)}
    for rule in doc.rules:
        after = [positions[id(i)] for i in doc.items[rule.from_seq - 1 :] if id(i) in positions]
        rule.from_seq = after[0] if after else len(doc.tasks) + 1


def _resolve(doc: DocDraft, registry: Registry, unknown: dict[str, list[int]]) -> None:
    def canonical(names: list[str], line: int) -> list[str]:
        out = []
        for name in names:
            found = registry.resolve(name)
            if found is None:
                unknown.setdefault(name, []).append(line)
            out.append(found or name)
        return list(dict.fromkeys(out))

    for item in doc.items:
        line = item.clause_line or item.line
        for role in ROLES:
            setattr(item.owners, role, canonical(getattr(item.owners, role), line))
    for rule in doc.rules:
        rule.local = canonical(rule.local, rule.line)
