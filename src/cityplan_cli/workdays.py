"""Working days on the official Chinese holiday calendar (法定节假日 and 调休 included)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def add_working_days(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The `days`-th working day after `start` (the day of `start` itself does not count, as in
    自收到之日起20个工作日内), and whether the official calendar covered every day counted: a year
    it has no data for is counted Monday to Friday."""
    import chinese_calendar

    current, counted, exact = start, 0, True
    while counted < days:
        current += dt.timedelta(days=1)
        try:
            working = chinese_calendar.is_workday(current)
        except NotImplementedError:  # a year the installed calendar does not know yet
            working, exact = current.weekday() < 5, False
        counted += working
    return current, exact


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after `start` up to and including `end` (0 when `end` is not after it), on
    the official calendar (Monday to Friday, less its holidays, plus its 调休 weekend days)."""
    if end <= start:
        return 0
    from bisect import bisect_right

    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5 + _WEEKDAYS_AFTER[start.weekday()][rest]
    off, worked = _exceptions()
    # The calendar's checks run on every call and cost far more than counting: its tables are read once.
    count -= bisect_right(off, end) - bisect_right(off, start)
    count += bisect_right(worked, end) - bisect_right(worked, start)
    return count


# [weekday of a day][n < 7] → how many of the n days after it are Monday to Friday
_WEEKDAYS_AFTER = [[sum((w + i) % 7 < 5 for i in range(1, n + 1)) for n in range(7)] for w in range(7)]


@lru_cache(maxsize=1)
def _exceptions() -> tuple[list[dt.date], list[dt.date]]:
    """The official holidays that fall on weekdays, and the weekend days worked instead, sorted."""
    import chinese_calendar

    off = sorted(d for d in chinese_calendar.holidays if d.weekday() < 5)
    worked = sorted(d for d in chinese_calendar.workdays if d.weekday() >= 5)
    return off, worked
