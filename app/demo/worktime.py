"""Working time on a minute grid, for adding working minutes to many instants at once.

The grid is built once from `pantau.workcalendar.WorkingCalendar` (office hours, national holidays
and cuti bersama); adding working time is then a lookup in the cumulative count of working minutes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import numpy as np

from app.demo.context import ZONE
from pantau.workcalendar import WorkingCalendar

WORKING_DAY_MINUTES = 450
"""Minutes in a full working day of the default calendar (7.5 hours, Monday to Friday)."""


class WorkClock:
    """Working minutes between local midnight of `first_day` and the end of `last_day`."""

    def __init__(self, first_day: np.datetime64, last_day: np.datetime64) -> None:
        calendar = WorkingCalendar(tz=ZONE.key)
        first = np.datetime64(first_day, "D").astype(object)
        days = int((np.datetime64(last_day, "D") - np.datetime64(first_day, "D")).astype(int)) + 1
        working = np.zeros(days * 1440, dtype=bool)
        for index in range(days):
            for start, end in calendar.working_intervals(first + timedelta(days=index)):
                opening = index * 1440 + start.hour * 60 + start.minute
                working[opening : index * 1440 + end.hour * 60 + end.minute] = True
        local_midnight = datetime.combine(first, time(), ZONE)
        self.origin_s = int(local_midnight.timestamp())
        self.working = working
        self.cumulative = np.concatenate([[0], np.cumsum(working)])

    def _minute(self, times_s: np.ndarray) -> np.ndarray:
        return np.clip((np.asarray(times_s) - self.origin_s) // 60, 0, len(self.working) - 1)

    def add(self, times_s: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        """The instants `minutes` working minutes after each of `times_s` (at least one minute later)."""
        start = self._minute(times_s)
        target = self.cumulative[start] + np.maximum(1, np.ceil(minutes)).astype(np.int64)
        end = np.searchsorted(self.cumulative, target, side="left")
        return self.origin_s + end * 60

    def next_working(self, times_s: np.ndarray) -> np.ndarray:
        """Each instant itself if it is working time, else the next opening."""
        minute = self._minute(times_s)
        opening = np.searchsorted(self.cumulative, self.cumulative[minute] + 1, side="left") - 1
        return np.where(self.working[minute], times_s, self.origin_s + opening * 60)
