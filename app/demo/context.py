"""What every subject generator shares: the scale, the clock, seeded randomness and the writer."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from faker import Faker
from faker.providers.person.id_ID import Provider as IndonesianNames

from app.demo.bulk import BulkWriter
from app.demo.scales import Scale

ZONE = ZoneInfo("Asia/Jakarta")
"""The demo campus works in WIB; Indonesian zones keep one offset all year."""

MINUTE = np.timedelta64(1, "m")
SECOND = np.timedelta64(1, "s")
DAY = np.timedelta64(1, "D")
STATEMENT_HOUR = 6
"""A day's bank statement (MT940) arrives at 06:00 WIB the next morning."""


@dataclass
class DemoContext:
    """One generation run. `now` is aware UTC; `now64` is the same instant as naive-UTC datetime64[s]."""

    writer: BulkWriter
    scale: Scale
    seed: int
    now: datetime

    def __post_init__(self) -> None:
        self.now = self.now.astimezone(UTC)
        self.now64 = np.datetime64(self.now.replace(tzinfo=None), "s")
        self.offset = np.timedelta64(int(ZONE.utcoffset(self.now.replace(tzinfo=None)) // timedelta(seconds=1)), "s")
        self.today = self.local_date(self.now64)
        self.last_statement_day = self.local_date(self.now64 - np.timedelta64(STATEMENT_HOUR, "h")) - DAY

    def rng(self, subject: str) -> np.random.Generator:
        """A random generator of its own for each subject, so subjects do not disturb one another."""
        return np.random.default_rng([self.seed, zlib.crc32(subject.encode())])

    def faker(self, subject: str) -> Faker:
        """An Indonesian Faker seeded for one subject."""
        fake = Faker("id_ID")
        fake.seed_instance(self.seed * 1_000_003 + zlib.crc32(subject.encode()))
        return fake

    def local_date(self, utc: np.ndarray | np.datetime64) -> np.ndarray:
        """The calendar date in WIB of naive-UTC instants."""
        return (np.asarray(utc, dtype="datetime64[s]") + self.offset).astype("datetime64[D]")

    def utc_of_local(self, local: np.ndarray | np.datetime64) -> np.ndarray:
        """Naive-UTC instants of naive WIB wall-clock times (dates mean their midnight)."""
        return np.asarray(local, dtype="datetime64[s]") - self.offset

    def local_hour(self, utc: np.ndarray) -> np.ndarray:
        """The WIB hour of the day (0-23) of naive-UTC instants."""
        local = np.asarray(utc, dtype="datetime64[s]") + self.offset
        return ((local - local.astype("datetime64[D]")) // np.timedelta64(1, "h")).astype(int)


def mapped(values: np.ndarray, mapping: dict[str, str], default: str = "") -> np.ndarray:
    """Each value replaced by its entry in a small `mapping`, vectorised."""
    return np.select([values == key for key in mapping], list(mapping.values()), default=default)


def join_text(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise concatenation of string arrays and constants."""
    result = parts[0]
    for part in parts[1:]:
        result = np.strings.add(result, part)
    return np.asarray(result)


def person_names(rng: np.random.Generator, count: int, female_share: float | np.ndarray = 0.6) -> np.ndarray:
    """Indonesian full names from Faker's id_ID word lists: one to three words, most with a family-style name."""
    male = np.array(IndonesianNames.first_names_male)
    female = np.array(IndonesianNames.first_names_female)
    last = np.array(IndonesianNames.last_names)
    is_female = rng.random(count) < female_share
    first = np.where(is_female, female[rng.integers(0, len(female), count)], male[rng.integers(0, len(male), count)])
    middle = np.where(is_female, female[rng.integers(0, len(female), count)], male[rng.integers(0, len(male), count)])
    family = last[rng.integers(0, len(last), count)]
    shape = rng.random(count)
    with_middle = np.strings.add(np.strings.add(first, " "), middle)
    names = np.where(shape < 0.25, with_middle, first)
    names = np.where(shape < 0.85, np.strings.add(np.strings.add(names, " "), family), names)
    return np.where(shape >= 0.97, first, names)


def spread_local_times(
    rng: np.random.Generator, days: np.ndarray, hour_weights: np.ndarray, ctx: DemoContext
) -> np.ndarray:
    """Naive-UTC instants on the given WIB dates, at hours drawn from `hour_weights` (24 weights)."""
    hours = rng.choice(24, size=len(days), p=hour_weights / hour_weights.sum())
    seconds = hours * 3600 + rng.integers(0, 3600, len(days))
    return ctx.utc_of_local(np.asarray(days, dtype="datetime64[D]")) + seconds.astype("timedelta64[s]")


DAYTIME_HOURS = np.array(
    [0.2, 0.1, 0.05, 0.05, 0.1, 0.4, 1.0, 2.0, 4.0, 6.0, 7.0, 7.0, 6.0, 6.5, 6.5, 6.0, 5.0, 4.0, 4.0, 5.0, 5.0,
     4.0, 2.0, 0.8]
)
"""When people pay and register (WIB hour weights): office hours, and an evening peak on mobile banking."""
