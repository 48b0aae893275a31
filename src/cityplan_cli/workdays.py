"""Working days on the official Chinese holiday calendar (法定节假日 and 调休 included)."""

from __future__ import annotations

import datetime as dt


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
    the official calendar where it reaches, else Monday to Friday."""
    import chinese_calendar

    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        try:
            count += chinese_calendar.is_workday(current)
        except NotImplementedError:
            count += current.weekday() < 5
    return count
