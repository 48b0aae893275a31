"""Deadlines as documents word them: 2025年底前 → 2025-12-31, 2024年6月底前 → 2024-06-30,
2025年第三季度 → 2025-09-30; 长期坚持 and 持续推进 name no date. In an item's text, the dated
phrases before the last are its milestones."""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata

import re2

from cityplan_cli.extract.drafts import Milestone
from cityplan_cli.extract.grammar import matches

_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_ISO = re2.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY = re2.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_MONTH = re2.compile(r"(\d{4})年(\d{1,2})月")
_QUARTER_OF = re2.compile(r"(\d{4})年(?:第)?([一二三四1-4])季度")
_HALF = re2.compile(r"(\d{4})年(上|下)半年")
_YEAR = re2.compile(r"(\d{4})年")
_NO_YEAR = re2.compile(r"^(?:今年|本年|年内|年底|年末|全年)")
_NO_YEAR_MONTH = re2.compile(r"^(\d{1,2})月(?:底|末|份)?")
_ONGOING = re2.compile(r"长期|持续|常态|每年|逐年|每季|每月|每半年|定期|年度|按季|按月|按年")
# A deadline in running text: a year with a mark that makes it one (…前, …底, 到…年).
_IN_TEXT = re2.compile(
    r"(?:(?:到|至)(?P<y1>\d{4})年(?:(?P<m1>\d{1,2})月)?(?:底|末)?"
    r"|(?P<y2>\d{4})年(?:(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?)?(?:底|末)?(?:前|之前|以前)"
    r"|(?P<y3>\d{4})年(?:(?P<m3>\d{1,2})月)?(?:底|末)"
    r"|(?P<y4>\d{4})年(?:第)?(?P<q4>[一二三四])季度(?:末|前)?)"
)
_CLAUSE_END = "，,；;。！!？?\n"


def _end_of_month(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day) if 1900 <= year <= 2200 else None
    except ValueError:
        return None


def parse_due(phrase: str, year: int | None = None) -> tuple[dt.date | None, bool]:
    """(the date a 完成时限 phrase names, whether the phrase was understood). A standing duty
    (长期坚持, 持续推进) is understood and names no date. With several dates, the last one counts."""
    text = unicodedata.normalize("NFKC", phrase).replace(" ", "")
    if not text:
        return None, True
    m = _ISO.match(text)
    if m:
        found = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return found, found is not None
    dates = [d for d, _, _ in deadlines(text, loose=True)]
    if dates:
        return max(dates), True
    if year is not None:
        if _NO_YEAR.match(text):
            return dt.date(year, 12, 31), True
        m = _NO_YEAR_MONTH.match(text)
        if m:
            found = _end_of_month(year, int(m.group(1)))
            return found, found is not None
    if _ONGOING.search(text):
        return None, True
    return None, False


def _one(text: str) -> dt.date | None:
    """The date one phrase names."""
    m = _DAY.search(text)
    if m:
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _QUARTER_OF.search(text)
    if m:
        return _end_of_month(int(m.group(1)), _QUARTER[m.group(2)] * 3)
    m = _HALF.search(text)
    if m:
        return _end_of_month(int(m.group(1)), 6 if m.group(2) == "上" else 12)
    m = _MONTH.search(text)
    if m:
        return _end_of_month(int(m.group(1)), int(m.group(2)))
    m = _YEAR.search(text)
    if m:
        return _end_of_month(int(m.group(1)), 12)
    return None


def deadlines(text: str, loose: bool = False) -> list[tuple[dt.date, str, str]]:
    """Each deadline in `text`: (date, the phrase, the clause it stands in). `loose`: every dated
    phrase counts (a 完成时限 cell), not only those marked as deadlines."""
    found = []
    pattern = _LOOSE if loose else _IN_TEXT
    for m in matches(pattern, text):
        date = _one(m.group())
        if date is None:
            continue
        start, end = m.start(), m.end()
        while start > 0 and text[start - 1] not in _CLAUSE_END:
            start -= 1
        while end < len(text) and text[end] not in _CLAUSE_END:
            end += 1
        found.append((date, m.group(), text[start:end].strip()))
    return found


_LOOSE = re2.compile(
    r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|第?[一二三四1-4]季度|[上下]半年)?(?:底|末)?(?:前|之前|以前)?"
)


def schedule(
    text: str, due_text: str, year: int | None, stated: bool = False
) -> tuple[dt.date | None, str, list[Milestone], str | None]:
    """An item's due date, its phrase, its milestones, and a 完成时限 phrase not understood (or None).
    A stated 完成时限 is the due date; without one, the last deadline in the text is; the earlier
    dated phrases of the text are milestones."""
    in_text = deadlines(text)
    unparsed = None
    if due_text or stated:
        due, understood = parse_due(due_text, year)
        if not understood:
            unparsed = due_text
    elif in_text:
        last = max(in_text, key=lambda d: d[0])
        due, due_text = last[0], last[1]
    else:
        due = None
    milestones = []
    seen = set()
    for date, _, clause in in_text:
        if due is not None and date >= due:
            continue
        if (date, clause) not in seen:
            seen.add((date, clause))
            milestones.append(Milestone(date, clause))
    return due, due_text, milestones, unparsed
