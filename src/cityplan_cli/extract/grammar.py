"""The responsibility grammar: the words Chinese documents use to say who does what.

    (责任单位:A、B,C市、D市政府)         first leads (the usual convention), departments support,
                                           governments implement
    牵头单位:A / 责任单位:B、C             责任单位 beside a 牵头单位: B and C support
    (牵头单位:A;配合单位:B、C)          labelled roles; also 主办 / 协办, 参与单位, 协同责任单位
    部门分工:A牵头,B、C配合             roles by verb
    (A、B牵头,C及D按职责分工负责)
    分管省领导:张三 / 牵头负责领导:…     a person: kept as a leader, never a unit

Every pattern here is compiled by RE2, which runs in time linear in the text whatever the text."""

from __future__ import annotations

import itertools
import re

import re2

from cityplan_cli.extract.drafts import Owners
from cityplan_cli.registry import Registry

WS = r"[\s\x{3000}\x{a0}]"
HAN = r"\x{4e00}-\x{9fff}"

LEAD_LABELS = ("牵头责任单位", "牵头单位", "牵头部门", "主责单位", "主办单位", "主办")
SUPPORT_LABELS = (
    *("协同责任单位", "协同配合单位", "配合责任单位", "配合单位", "配合部门", "协同单位", "协同部门"),
    *("协办单位", "协办", "参与单位", "参与部门", "协作单位", "参加单位"),
)
LOCAL_LABELS = ("落实单位", "实施单位", "责任主体")
GENERIC_LABELS = ("主要责任单位", "责任单位", "责任部门", "负责单位", "牵头和责任单位", "承办单位")
DIVISION_LABELS = ("部门分工", "职责分工", "任务分工", "分工")
LEADER_LABELS = (
    *("分管省领导", "分管市领导", "分管区领导", "分管县领导", "分管领导", "牵头负责领导", "牵头领导"),
    *("牵头市领导", "牵头省领导", "责任领导", "负责领导", "联系领导", "责任市领导"),
)
DUE_LABELS = ("完成时限", "完成时间", "完成期限", "时间节点", "时限要求", "时间要求", "时限")
ROLE_LABELS = LEAD_LABELS + SUPPORT_LABELS + LOCAL_LABELS + GENERIC_LABELS + DIVISION_LABELS
ALL_LABELS = ROLE_LABELS + LEADER_LABELS + DUE_LABELS


MAX_MATCHES = 64  # of one pattern in one paragraph: no clause names more labels, no item more dates


def matches(pattern, text: str, limit: int = MAX_MATCHES) -> list:
    """The first `limit` matches: RE2 is linear in the text, and this bounds the work per match, which
    its binding makes costly, on a hostile paragraph of repeated tokens."""
    return list(itertools.islice(pattern.finditer(text), limit))


MAX_UNITS = 200  # in one list: no clause names more


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))  # longest first: RE2 takes the first


_LABEL = re2.compile(rf"(?P<label>{_alternation(ALL_LABELS)}){WS}*[:：]")
_ROLE_LABEL = re2.compile(_alternation(ROLE_LABELS))
# A label may start a segment only at the start or after a separator (not 主办 inside 承办单位).
_SEGMENT_START = " \t\u3000;；,，。、(（[【"
_OPEN, _CLOSE = "(（[【〔", ")）]】〕"
_CLOSING = {")": "(（", "）": "(（", "]": "[【", "】": "[【", "〕": "〔"}

# Verbs that assign a role, longest first: 按职责分工负责 before 负责.
VERBS = [
    ("按职责分工负责", "shared"),
    ("按职责分工落实", "shared"),
    ("按职责分工抓好落实", "shared"),
    ("分工负责", "shared"),
    ("按职责负责", "shared"),
    ("分别牵头", "lead"),
    ("共同牵头", "lead"),
    ("牵头负责", "lead"),
    ("牵头抓总", "lead"),
    ("牵头落实", "lead"),
    ("牵头", "lead"),
    ("配合", "support"),
    ("参与", "support"),
    ("协同", "support"),
    ("协助", "support"),
    ("组织实施", "local"),
    ("抓好落实", "local"),
    ("落实", "local"),
    ("负责", "shared"),  # A、B负责: shared, the first named leads
]
_VERB_ROLE = dict(VERBS)
_VERB = re2.compile(rf"^(?P<units>.+?)(?P<verb>{'|'.join(v for v, _ in VERBS)})$")
_LEAD_MARK = re2.compile(r"^(?P<name>.+?)[(（](?P<verb>牵头|配合|落实)[)）]$")
_PLACE_END = ("市", "州", "县", "区", "旗", "盟", "镇", "乡", "新区")
_SUFFIXES = ("人民政府", "政府", "党委和政府", "管委会")
_LIST_END = ("等有关单位", "等有关部门", "等单位", "等部门", "等")
_ORG_END = re2.compile(r"(人民政府|政府|办公厅|办公室|委员会|管委会|厅|局|委|办|部|院|行|中心)$")
# A note in brackets after a list (除标注“分别牵头”外,列第一位为牵头单位,下同) is no part of a name.
_NOTE = re2.compile(r"牵头|下同|负责|汇总|除|按职责")
LOCAL_KINDS = ("市州政府", "县区政府", "管委会")
_LOCAL_END = ("政府", "管委会", "办事处", "开发区", "新区", "园区", "街道", "乡镇")
_COLLECTIVE_LOCAL = re2.compile(r"^各(?:县|市|区|乡|镇|街|地|州|旗|盟)")
# A time limit written into a list of units: 6月底完成, 2024年底前.
_DEADLINE_PART = re2.compile(r"^[0-9０-９]{1,4}(?:年|月|日|季度)|(?:完成|之前|以前|底前|月前|年前)$")

# How a document says it reads a 责任单位 list: the first named leads, or every one named does.
_FIRST_LEADS = re2.compile(
    r"(?:列|排)(?:在|于)?(?:第一|首)位的?(?:责任)?(?:单位|部门)?(?:为|是)(?:牵头|主办)"
    r"|第一(?:个|家)?(?:责任)?(?:单位|部门)(?:为|是)牵头"
)
_ALL_LEAD = re2.compile(r"责任单位即为牵头单位")


def convention_stated(line: str) -> str | None:
    """'first' or 'all' where `line` states how its document reads a 责任单位 list."""
    if _FIRST_LEADS.search(line):
        return "first"
    if _ALL_LEAD.search(line):
        return "all"
    return None


# One character class: linear in any engine, and fast on long text (RE2's binding costs more a match).
_TOKEN = re.compile(r"[()（）\[\]【】〔〕、,，;；/ \t\u3000及]")
_BRACKETS = set(_OPEN + _CLOSE)


def _split_outside(text: str, separators: str, limit: int = MAX_UNITS) -> list[str]:
    """Split at `separators` that stand outside brackets (各县(市、区)政府 is one name), into at most
    `limit` parts (the last holds the rest)."""
    if not _BRACKETS.intersection(text):
        return text.translate({ord(c): "\x00" for c in separators}).split("\x00", limit - 1)
    parts, start, depth = [], 0, 0
    for m in _TOKEN.finditer(text):
        c = m.group()
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and c in separators:
            parts.append(text[start : m.start()])
            start = m.end()
            if len(parts) == limit - 1:
                break
    parts.append(text[start:])
    return parts


def _split_depth0(text: str) -> list[str]:
    return _split_outside(text.replace("以及", "及"), "、,，;；/ \t\u3000及")


def _strip_note(name: str) -> str:
    """省发展改革委(除标注…外,下同) → 省发展改革委; 各县(市、区)政府 stays as it is."""
    if name and name[-1] in ")）":
        depth = 0
        for i in range(len(name) - 1, -1, -1):
            if name[i] in ")）":
                depth += 1
            elif name[i] in "(（":
                depth -= 1
                if depth == 0:
                    if _NOTE.search(name[i:]) and not _LEAD_MARK.match(name):
                        return name[:i].strip()
                    break
    return name


def deadline_in(text: str) -> str | None:
    """A time limit written among a clause's units (…,6月底完成), where there is one."""
    for part in _split_depth0(text):
        if _DEADLINE_PART.search(part.strip()):
            return part.strip()
    return None


def split_units(text: str) -> list[str]:
    """A list of unit names as documents write them: 、,; / and 及 separate (outside brackets); a
    trailing 等 ends it; a shared suffix distributes (兰州市、白银市政府 → 兰州市政府, 白银市政府)."""
    text = text.strip().rstrip("。;；,，")
    raw = [p.strip() for p in _split_depth0(text)][:MAX_UNITS]
    parts: list[str] = []
    for p in raw:
        if not p:
            continue
        if parts and p[0] in "(（":  # 各县区人民政府 (管委会): a bracket after a space belongs to its name
            parts[-1] += p
        else:
            parts.append(p)
    cleaned = []
    for part in parts:
        if _DEADLINE_PART.search(part):
            continue
        part = _strip_note(part)
        for prefix in ("和", "与", "由"):
            part = part.removeprefix(prefix)
        for end in _LIST_END:
            if part.endswith(end) and len(part) > len(end):
                part = part[: -len(end)]
                break
        if part:
            cleaned.append(part)
    names: list[str] = []
    pending: list[str] = []
    for part in cleaned:
        suffix = next((s for s in _SUFFIXES if part.endswith(s) and len(part) > len(s)), None)
        if suffix and pending:
            names += [p + suffix for p in pending]
            pending = []
        if part.endswith(_PLACE_END) and not suffix:
            pending.append(part)
        else:
            names += [*pending, part]
            pending = []
    return names + pending


def split_and(names: list[str], registry: Registry) -> list[str]:
    """和 / 与 join two units only when the whole is not one unit's name (住房和城乡建设厅 is)."""
    out = []
    for name in names:
        halves = name.replace("与", "和").split("和")
        if len(halves) == 2 and registry.resolve(name) is None and all(_ORG_END.search(h) for h in halves):
            out += halves
        else:
            out.append(name)
    return out


def units_of(text: str, registry: Registry) -> list[str]:
    return split_and(_rejoin(split_units(text), registry), registry)


def _rejoin(names: list[str], registry: Registry) -> list[str]:
    """Names the list split at a 、 that belongs to one registered name (中央、省属在金有关单位)."""
    out: list[str] = []
    for name in names:
        if out and registry.resolve(name) is None and registry.resolve(f"{out[-1]}、{name}") is not None:
            out[-1] = f"{out[-1]}、{name}"
        else:
            out.append(name)
    return out


def is_local(name: str, registry: Registry) -> bool:
    """A government (or a zone's 管委会, a 街道) that implements where it governs."""
    canonical = registry.resolve(name)
    if canonical is not None:
        return bool(registry.kinds_of(canonical) & set(LOCAL_KINDS))
    bare = _strip_brackets(name)
    if bare.endswith(_LOCAL_END):
        return True
    return bool(_COLLECTIVE_LOCAL.search(bare)) and not bare.endswith(("部门", "单位"))


def _strip_brackets(name: str) -> str:
    """各县(市、区)政府(管委会) → 各县政府: the name without what its brackets add."""
    if "(" not in name and "（" not in name:
        return name
    out, depth = [], 0
    for c in name:
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(c)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Clauses


def segments(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first label, and each (label, what follows it up to the next label)."""
    starts = []
    for m in matches(_LABEL, text):
        at = m.start()
        if at == 0 or text[at - 1] in _SEGMENT_START:
            starts.append((at, m.end(), m.group("label")))
    if not starts:
        return text, []
    out = []
    for k, (_, body_start, label) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        out.append((label, text[body_start:end].strip(" \t\u3000;；,，。")))
    return text[: starts[0][0]], out


def has_lead_label(text: str) -> bool:
    return any(label in LEAD_LABELS for label in (lab for lab, _ in segments(text)[1]))


def is_labelled(text: str) -> bool:
    """A paragraph that starts with a label (牵头单位:… / 完成时限:…)."""
    head = text.lstrip()[:16]
    if ":" not in head and "：" not in head:
        return False
    return _LABEL.match(head) is not None


def due_in(text: str) -> str | None:
    """The words after a 完成时限 label, where the text has one."""
    for label, body in segments(text)[1]:
        if label in DUE_LABELS:
            return body
    return None


def parse_clause(
    body: str, registry: Registry, convention: str = "first", lead_beside: bool = False
) -> Owners | None:
    """The owners a responsibility clause states, or None when it states none. `lead_beside`: a
    牵头单位 is named for the same item elsewhere, so a 责任单位 list here supports."""
    owners = Owners()
    head, labelled = segments(body)
    if labelled:
        lead_beside = lead_beside or any(label in LEAD_LABELS for label, _ in labelled)
        if head.strip(" ;；,，。"):
            division(head, registry, owners)
        for label, names in labelled:
            if label in LEADER_LABELS:
                owners.add("leaders", split_units(names))
            elif label in DUE_LABELS:
                continue
            elif label in DIVISION_LABELS:
                division(names, registry, owners)
            elif label in GENERIC_LABELS:
                # 责任单位:A牵头,B配合 states roles by verb; a plain list follows the convention.
                if not division(names, registry, owners):
                    generic(names, registry, owners, convention, lead_beside)
            else:
                role = "lead" if label in LEAD_LABELS else "support" if label in SUPPORT_LABELS else "local"
                owners.add(role, units_of(names, registry))
        return owners if owners or owners.leaders else None
    if division(body, registry, owners):
        return owners
    return None


def lead_marker(name: str) -> tuple[str, str | None]:
    """省发展改革委(牵头) → (省发展改革委, lead)."""
    m = _LEAD_MARK.match(name)
    if not m:
        return name, None
    return m.group("name"), {"牵头": "lead", "配合": "support", "落实": "local"}[m.group("verb")]


def generic(names: str, registry: Registry, owners: Owners, convention: str, lead_beside: bool) -> None:
    """A 责任单位 list. Beside a 牵头单位 its units support; alone, by the document's convention, the
    first named leads (or every one named does). Governments implement where they govern."""
    units = []
    for name in units_of(names, registry):
        name, marked = lead_marker(name)
        if marked:
            owners.add(marked, [name])
        else:
            units.append(name)
    for i, name in enumerate(units):
        if (
            not lead_beside
            and (convention == "all" or (i == 0 and not owners.lead))
            and (i == 0 or not is_local(name, registry))
        ):
            owners.add("lead", [name])
        elif is_local(name, registry):
            owners.add("local", [name])
        else:
            owners.add("support", [name])


def division(text: str, registry: Registry, owners: Owners) -> bool:
    """A牵头,B、C配合 / A、B牵头,C及D按职责分工负责. False when no segment carries a role verb."""
    found = False
    shared: list[str] = []  # named as sharing the work where nobody is named to lead
    for segment in _split_segments(text):
        m = _VERB.match(segment.strip().rstrip("。"))
        if not m:
            continue
        verb = m.group("verb")
        role = _VERB_ROLE[verb]
        if verb == "负责" and owners.lead:
            role = "shared"
        units = units_of(m.group("units"), registry)
        if role == "shared":
            for unit in units:
                if is_local(unit, registry):
                    owners.add("local", [unit])
                else:
                    owners.add("support", [unit])
                    if not owners.lead:
                        shared.append(unit)
        else:
            owners.add(role, units)
        found = True
    if shared and not owners.lead:  # A、B等按职责分工负责: the first named leads, as in a 责任单位 list
        owners.support.remove(shared[0])
        owners.lead.append(shared[0])
    return found


def _split_segments(text: str) -> list[str]:
    return _split_outside(text, ",，;；")


def trailing_clause(paragraph: str) -> tuple[int, int, str] | None:
    """The bracketed clause a paragraph ends with: (start, end, body), brackets included in
    start..end and a closing 。; after them left out. Brackets may nest."""
    end = len(paragraph.rstrip())
    while end and paragraph[end - 1] in "。;；.":
        end -= 1
    if not end or paragraph[end - 1] not in _CLOSING:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        c = paragraph[i]
        if c in _CLOSE:
            depth += 1
        elif c in _OPEN:
            depth -= 1
            if depth == 0:
                if c not in _CLOSING[paragraph[end - 1]]:
                    return None
                return i, end, paragraph[i + 1 : end - 1]
    return None


def states_owners(body: str) -> bool:
    """Whether a bracketed clause's words are a responsibility statement."""
    if _ROLE_LABEL.search(body) or _LABEL.search(body):
        return True
    first = _split_segments(body.split("。")[0])[0]
    return _VERB.match(first.strip()) is not None


def ends_with_clause(paragraph: str) -> bool:
    """A paragraph ending in a responsibility clause ends its item: what follows is not its text."""
    found = trailing_clause(paragraph)
    return bool(found and states_owners(found[2]))
