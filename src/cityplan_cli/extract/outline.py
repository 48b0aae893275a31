"""Outline segmentation: a text cut into documents, each document into its numbered items at every
level (一、 / (一) / 1. / (1) / ① / 一是 / 第一条 / 专栏1, in any Unicode form: NFKC reads 1﹒ and 1．
as 1.), and 分工表 rows (a table whose header names a 牵头单位 or 责任单位 column) into items whose
cells say who does what."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import re2

from cityplan_cli.errors import CityplanError, Finding
from cityplan_cli.extract import grammar
from cityplan_cli.extract.drafts import DocDraft, ItemDraft, Skipped
from cityplan_cli.i18n import N_, _

CN_DIGITS = "〇一二三四五六七八九"
_CN = "一二三四五六七八九十百零〇"
WS = grammar.WS
HAN = grammar.HAN

_DOCNO = re2.compile(
    rf"^(?P<org>[{HAN}]{{1,10}}){WS}*[〔\[［(（【]{WS}*(?P<year>\d{{4}}){WS}*[〕\]］)）】]{WS}*(?P<no>\d{{1,5}}){WS}*号$"
)
_DOCNO_IN = re2.compile(
    rf"(?P<org>[{HAN}]{{1,10}}){WS}*[〔\[［(（【]{WS}*(?P<year>\d{{4}}){WS}*[〕\]］)）】]{WS}*(?P<no>\d{{1,5}}){WS}*号"
)
_DATE = re2.compile(rf"^(\d{{4}}){WS}*年{WS}*(\d{{1,2}}){WS}*月{WS}*(\d{{1,2}}){WS}*日$")
_ORG_END = re2.compile(r"(人民政府|政府|办公厅|办公室|委员会|管委会|厅|局|委|办|部|院|行|中心)$")
_ADDRESSEE = re2.compile(r"^(?P<names>[^。;；!?！？]{2,200})[:：]$")
_ADDRESSEE_WORD = re2.compile(r"(政府|部门|单位|委员会|管委会|办事处|厅|局|委)")
_PUBLISHED = re2.compile(r"^[(（]此件(?:公开发布|主动公开)[)）]$")
_ISSUED = re2.compile(r"现将《(?P<title>[^》]{1,200})》(?:印发|转发)")
_SHORT_NAME = re2.compile(r"《(?P<full>[^》]{1,200})》[(（]以下简称《(?P<short>[^》]{1,100})》[)）]")
_FILE_LINK = re2.compile(r"^(?:文件下载|附件下载|相关链接|附件)[:：]")
_REPLY = re2.compile(r"现批复如下|的批复$")
_YOU = re2.compile(r"你(委|局|厅|办|单位|们|市|县|区|公司|中心)")

# Numbering styles, read on the line's NFKC form.
_STYLES = [
    ("chapter", re2.compile(rf"^第(?P<n>[{_CN}]{{1,6}})章{WS}*(?P<rest>.*)$")),
    ("article", re2.compile(rf"^第(?P<n>[{_CN}]{{1,6}})条{WS}*(?P<rest>.*)$")),
    ("cn", re2.compile(rf"^(?P<n>[{_CN}]{{1,6}})[、.,]{WS}*(?P<rest>.+)$")),
    ("cn_paren", re2.compile(rf"^\({WS}*(?P<n>[{_CN}]{{1,6}}){WS}*\){WS}*(?P<rest>.+)$")),
    ("shi", re2.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})是(?P<rest>[^是].*)$")),
    ("num", re2.compile(rf"^(?P<n>\d{{1,3}}){WS}*(?:[.、,]|\.{WS})(?P<rest>.+)$")),
    ("num_paren", re2.compile(rf"^\({WS}*(?P<n>\d{{1,3}}){WS}*\){WS}*(?P<rest>.+)$")),
    ("num_half", re2.compile(rf"^(?P<n>\d{{1,3}})\){WS}*(?P<rest>.+)$")),
    ("box", re2.compile(rf"^(?P<n>专栏{WS}*\d{{1,3}}){WS}*[:]?{WS}*(?P<rest>.*)$")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳❶❷❸❹❺❻❼❽❾❿"
# Several items on one line (专栏 text copied from a web page): "1.深化户籍制度改革。… 2.探索…",
# and 一是…;二是… run together in one paragraph.
_INLINE = re2.compile(rf"[。;；]{WS}+(?P<tok>[0-9０-９]{{1,2}}[.．﹒]|[{_CIRCLED}])")
_INLINE_SHI = re2.compile(rf"[。;；)）]{WS}*(?P<tok>[二三四五六七八九十]{{1,2}}是)")
_PREFIX = 14  # characters of a line that NFKC reads for its number
_HEAD_START = set("0123456789(第专" + _CN)
_MAX_COLUMNS = 60  # a header row with more cells than this is no 分工表's
MAX_ITEMS = 5_000
MAX_DOCUMENTS = 500

# 分工表 columns, by their header's words.
_TITLE_HEADERS = (
    *("重点任务", "工作任务", "主要任务", "任务", "具体任务", "重点工作", "目标任务", "任务名称"),
    *("工作事项", "事项", "工作要点", "改革任务", "任务事项", "重点事项", "工作重点"),
)
_TEXT_HEADERS = (
    *("内容", "具体内容", "主要内容", "工作内容", "任务内容", "工作措施", "具体措施", "主要措施"),
    *("工作举措", "具体举措", "措施", "工作目标", "目标要求", "具体工作", "推进措施", "任务措施"),
    *("重点任务及措施", "任务及措施", "目标任务及措施", "工作任务及措施"),
)
_COLUMN = {
    **{h: "lead" for h in (*grammar.LEAD_LABELS, "牵头")},
    **{h: "support" for h in (*grammar.SUPPORT_LABELS, "配合")},
    **{h: "local" for h in grammar.LOCAL_LABELS},
    **{h: "generic" for h in grammar.GENERIC_LABELS},
    **{h: "leaders" for h in grammar.LEADER_LABELS},
    **{h: "due" for h in grammar.DUE_LABELS},
    **{h: "title" for h in _TITLE_HEADERS},
    **{h: "text" for h in _TEXT_HEADERS},
    **{h: "seq" for h in ("序号", "序")},
    "编号": "id",
    "项次": "label",
    **{h: "section" for h in ("所属部分", "类别", "领域", "板块", "方面")},
    "文件": "doc",
}
ROLE_COLUMNS = ("lead", "support", "local", "generic")
_HEADER_NOTE = re2.compile(r"[(（][^)）]{0,20}[)）]$")
_TASK_ID = re2.compile(r"^(?P<doc>[A-Za-z0-9._-]{1,80})-(?P<n>\d{1,6})$")


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


def _nfkc_prefix(line: str) -> tuple[str, list[int]]:
    """The line with its first characters in NFKC form, and for each position of that form up to the
    end of the prefix, the position in the line it comes from."""
    head = []
    back: list[int] = []
    for i, c in enumerate(line[:_PREFIX]):
        norm = unicodedata.normalize("NFKC", c)
        head.append(norm)
        back += [i] * len(norm)
    back.append(min(len(line), _PREFIX))
    return "".join(head) + line[_PREFIX:], back


@dataclass
class Heading:
    style: str
    label: str
    rest: str


def heading(line: str) -> Heading | None:
    """The numbering a line starts with, or None."""
    if not line:
        return None
    first = line[0]
    if first in _CIRCLED:
        rest = line[1:].strip()
        return Heading("circled", line[0], rest) if rest else None
    if first not in _HEAD_START and unicodedata.normalize("NFKC", first)[:1] not in _HEAD_START:
        return None
    norm, back = _nfkc_prefix(line)
    for style, pattern in _STYLES:
        m = pattern.match(norm)
        if not m:
            continue
        n = m.group("n")
        if style in ("cn", "shi") and cn_number(n) is None:
            continue
        start = m.start(pattern.groupindex["rest"])
        rest = line[back[start] :] if start < len(back) else norm[start:]
        if style in ("num", "num_half") and rest[:1].isdigit():
            continue  # 1.5亿元 is a number, not an item
        return Heading(style, _label(style, n), rest.strip())
    return None


def starts_paragraph(line: str) -> bool:
    """A line that starts a paragraph of its own: a numbered item or a label."""
    return heading(line) is not None or grammar.is_labelled(line)


def _label(style: str, n: str) -> str:
    return {
        "chapter": f"第{n}章",
        "article": f"第{n}条",
        "cn": f"{n}、",
        "cn_paren": f"({n})",
        "shi": f"{n}是",
        "num": f"{n}.",
        "num_paren": f"({n})",
        "num_half": f"{n})",
        "circled": n,
        "box": n.replace(" ", ""),
    }[style]


def _inline_split(line: str) -> list[str]:
    cuts = [m.start(1) for m in grammar.matches(_INLINE, line, MAX_ITEMS)]
    if line.startswith("一是"):
        cuts += [m.start(1) for m in grammar.matches(_INLINE_SHI, line, MAX_ITEMS)]
    if not cuts:
        return [line]
    cuts = sorted(set(cuts))
    return [line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]


def lines_of(text: str) -> list[tuple[int, str]]:
    """Each paragraph with its line number: stripped, and split where several items share a line."""
    out = []
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.endswith("|") and line.count("|") == 1:  # a table cell copied from a web page
            line = line[:-1].rstrip()
        if line:
            out += [(no, part) for part in _inline_split(line) if part]
    return out


# ---------------------------------------------------------------------------------------------
# Tables


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    if cells and not cells[0]:
        cells = cells[1:]
    if cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _header_key(cell: str) -> str:
    key = unicodedata.normalize("NFKC", cell).replace(" ", "").replace("\u3000", "")
    return _HEADER_NOTE.sub("", key)


def table_header(cells: list[str]) -> dict[int, str] | None:
    """Column index → field, where `cells` is a 分工表's header row: a role column and a task column."""
    columns = {}
    for i, cell in enumerate(cells):
        kind = _COLUMN.get(_header_key(cell))
        if kind is not None and kind not in columns.values():
            columns[i] = kind
    kinds = set(columns.values())
    if kinds & set(ROLE_COLUMNS) and kinds & {"title", "text"}:
        return columns
    return None


@dataclass
class _Table:
    columns: dict[int, str]
    number: int
    section: str | None = None
    rows: int = 0
    seen_header: list[str] = field(default_factory=list)

    def has(self, kind: str) -> bool:
        return kind in self.columns.values()


# ---------------------------------------------------------------------------------------------
# Documents


def segment(text: str) -> list[DocDraft]:
    """Cut the text into documents and each document into numbered items and table rows."""
    docs: list[DocDraft] = []
    doc = DocDraft(first_line=1)
    stack: list[ItemDraft] = []
    closed = False  # after a 文件下载 / 相关链接 line, loose paragraphs belong to no item
    table: _Table | None = None
    tables = 0
    budget = _Budget()
    lines = lines_of(text)
    for i, (no, line) in enumerate(lines):
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        cells = _cells(line) if "|" in line else []
        if len(cells) >= 2:
            columns = table_header(cells) if len(cells) <= _MAX_COLUMNS else None
            if columns is not None:
                tables += 1
                table = _Table(columns, tables, seen_header=cells)
                doc.tables += 1
                doc.last_line = no
                continue
            if table is not None:
                doc = _row(table, cells, no, doc, docs, stack, budget)
                doc.last_line = no
                continue
        elif table is not None:
            if len(_cells(nxt)) >= 2:  # a line between rows (a merged row, as a converter renders it)
                table.section = line
                doc.last_line = no
                continue
            table = None
        # Cheap tests first: most lines are none of these, and a long text has many lines.
        docno = _DOCNO.match(line) if line.endswith("号") else None
        addressee = _ADDRESSEE.match(line) if line.endswith((":", "：")) else None
        is_addressee = bool(addressee and _ADDRESSEE_WORD.search(line) and heading(line) is None)
        if is_addressee and grammar.is_labelled(line):
            is_addressee = False
        if (docno and doc.started) or (is_addressee and (doc.items or doc.addressees)):
            budget.document()
            docs.append(doc)
            doc, stack, closed = DocDraft(first_line=no), [], False
        doc.last_line = no
        if docno:
            doc.number = _docno(docno)
            continue
        if is_addressee and addressee:
            doc.addressee_text = addressee.group("names")
            doc.addressee_line = no
            doc.addressees = [a.strip() for a in _split_top(addressee.group("names")) if a.strip()]
            continue
        date = _DATE.match(line) if line.endswith("日") else None
        if date:
            y, m, d = (int(date.group(k)) for k in (1, 2, 3))
            try:
                doc.date = dt.date(y, m, d)
            except ValueError:
                doc.skipped.append(Skipped(no, line, Finding(N_("not a date"))))
            continue
        if len(line) <= 30 and nxt.endswith("日") and _DATE.match(nxt) and _ORG_END.search(line):
            doc.issuer = line
            continue
        if line.startswith(("(此件", "（此件")) and _PUBLISHED.match(line):
            continue
        convention = grammar.convention_stated(line) if "牵头" in line else None
        if convention and not doc.convention_line:
            doc.convention, doc.convention_line = convention, no
        if line.startswith(("文件下载", "附件", "相关链接")) and _FILE_LINK.match(line):
            link = _DOCNO_IN.search(line)
            if link and not doc.number:
                doc.number = _docno(link)
                title = line[link.end() :].strip()
                dot = title.rfind(".")
                if dot > 0 and title[dot + 1 :].isalnum():
                    title = title[:dot]
                doc.title = doc.title or title or None
            closed = True
            continue
        if "以下简称" in line:
            doc.short_names.update(
                {m.group("short"): m.group("full") for m in grammar.matches(_SHORT_NAME, line)}
            )
        issued = _ISSUED.search(line) if "现将" in line and not doc.items else None
        if issued:
            doc.title = doc.title or doc.short_names.get(issued.group("title"), issued.group("title"))
        if "批复" in line and _REPLY.search(line):
            doc.reply = True
        found = heading(line)
        if found:
            item = ItemDraft(found.style, found.label, found.rest, no)
            styles = [s.style for s in stack]
            if found.style in styles:  # a sibling: close the levels below the last item of this style
                del stack[styles.index(found.style) :]
            elif found.style == "box":  # a 专栏 belongs to its part (一、), not to the last item of it
                while stack and stack[-1].style not in ("cn", "chapter"):
                    stack.pop()
            item.parent = stack[-1] if stack else None
            if item.parent is not None:
                item.parent.children.append(item)
            doc.items.append(item)
            stack.append(item)
            budget.add()
            closed = grammar.ends_with_clause(item.rest)
            continue
        if not doc.items and doc.title_line is None and _is_title(line):
            doc.title_line = line
            continue
        # Owner lines (牵头单位:… / 分管省领导:…) belong to their item even after a clause.
        if stack and (not closed or grammar.is_labelled(line)):
            stack[-1].body.append(line)
            stack[-1].body_lines.append(no)
            closed = grammar.ends_with_clause(line)
        else:
            doc.loose.append((no, line))
    docs.append(doc)
    return [d for d in docs if d.started or d.loose]


def _row(
    table: _Table, cells: list[str], no: int, doc: DocDraft, docs: list[DocDraft], stack, budget: _Budget
) -> DocDraft:
    """One row of a 分工表: an item, a section heading, or a repeated header."""
    if cells == table.seen_header:
        return doc  # a header repeated at the top of the next page
    table.rows += 1
    by_kind = {kind: (cells[i] if i < len(cells) else "") for i, kind in table.columns.items()}
    filled = [c for c in cells if c]
    task = by_kind.get("title") or by_kind.get("text") or ""
    owners = any(by_kind.get(k) for k in ROLE_COLUMNS)
    if len(set(filled)) == 1 or (len(filled) == 1 and not owners):
        table.section = filled[0]  # a row spanning the table names the part below it
        return doc
    if not task:
        doc.skipped.append(Skipped(no, " | ".join(cells), Finding(N_("a table row with no task"))))
        return doc
    doc_name = by_kind.get("doc")
    if doc_name:
        number = doc.number or doc.title
        if doc.items and number != doc_name:
            budget.document()
            docs.append(doc)
            doc = DocDraft(first_line=no, tables=1)
        if not doc.items:
            docno = _DOCNO.match(doc_name)
            doc.number, doc.title = (_docno(docno), None) if docno else (None, doc_name)
            doc.first_line = min(doc.first_line, no)
    task_id = _TASK_ID.match(by_kind.get("id", ""))
    if task_id and not doc.doc_id:
        doc.doc_id = task_id.group("doc")
    seq = by_kind.get("seq", "")
    label = by_kind.get("label", seq) if table.has("label") else seq
    item = ItemDraft("row", label, task, no)
    if table.has("title") and table.has("text"):
        item.cells = {"title": by_kind.get("title") or task, "text": by_kind.get("text") or task}
    for kind in (*ROLE_COLUMNS, "leaders"):
        if by_kind.get(kind):
            item.cells[kind] = by_kind[kind]
    if table.has("due"):  # a 完成时限 column, even empty, says all there is to say of the deadline
        item.cells["due"] = by_kind.get("due", "")
    if table.has("section"):
        item.section_text = by_kind.get("section", "")
    elif table.section is not None:
        item.section_text = table.section
    parent = stack[-1] if stack else None
    if parent is not None and item.section_text is None:
        item.parent = parent
    doc.items.append(item)
    budget.add()
    return doc


class _Budget:
    """Items counted as they are found: a text with more than any document holds is refused early."""

    def __init__(self) -> None:
        self.items = 0

        self.documents = 0

    def add(self) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise CityplanError(
                _("more than {most:,} numbered items: more than any document holds").format(most=MAX_ITEMS)
            )

    def document(self) -> None:
        self.documents += 1
        if self.documents > MAX_DOCUMENTS:
            raise CityplanError(
                _("more than {most:,} documents in one file: split it").format(most=MAX_DOCUMENTS)
            )


def _split_top(text: str) -> list[str]:
    """Addressees: separated by , and ; outside brackets."""
    out, current, depth = [], [], 0
    for c in text:
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and c in ",，;；":
            out.append("".join(current))
            current = []
            continue
        current.append(c)
    out.append("".join(current))
    return out


def _docno(m) -> str:
    return f"{m.group('org')}〔{m.group('year')}〕{int(m.group('no'))}号"


def _is_title(line: str) -> bool:
    """A title stands alone: short, Chinese, with no closing punctuation."""
    return (
        len(line) <= 60
        and any("\u4e00" <= c <= "\u9fff" for c in line)
        and line[-1] not in "。;；:：,，!！?？"
        and "|" not in line
    )
