"""Raw samples and their minute, hour and day rollups, kept up to date as each round is written.

Every sample adds to three rollup rows with ``INSERT ... ON CONFLICT DO UPDATE``, in the same
transaction as the sample, so the rollups are always exactly the sum of what was probed, and reading
a year costs the same few hundred rows whatever the probing interval.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, func, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pantau.models import ProbeSample, RollupDay, RollupHour, RollupMinute

LEVELS = {"minute": (RollupMinute, 60), "hour": (RollupHour, 3600), "day": (RollupDay, 86_400)}
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bucket_of(moment: datetime, seconds: int) -> datetime:
    """The UTC start of the ``seconds``-long bucket holding ``moment`` (aware)."""
    offset = (moment - _EPOCH) // timedelta(seconds=seconds)
    return _EPOCH + offset * timedelta(seconds=seconds)


@dataclass
class Tally:
    """One rollup row being built: counts, and latency over the up samples, loss over up and down ones."""

    count: int = 0
    up: int = 0
    down: int = 0
    maintenance: int = 0
    latency_min_ms: float | None = None
    latency_avg_ms: float | None = None
    latency_max_ms: float | None = None
    loss_avg: float | None = None

    @classmethod
    def of(cls, sample: dict) -> Tally:
        """The rollup of a single sample (a dict of ProbeSample columns)."""
        if sample["in_maintenance"]:
            return cls(count=1, maintenance=1)
        if not sample["ok"]:
            return cls(count=1, down=1, loss_avg=sample["loss"])
        latency = sample["latency_ms"]
        return cls(
            count=1, up=1, latency_avg_ms=latency,
            latency_min_ms=_first(sample["latency_min_ms"], latency),
            latency_max_ms=_first(sample["latency_max_ms"], latency),
            loss_avg=sample["loss"],
        )

    def add(self, other: Tally) -> None:
        """Merge another tally into this one (the same arithmetic the store's upsert does)."""
        self.latency_avg_ms = _weighted(self.latency_avg_ms, self.up, other.latency_avg_ms, other.up)
        self.loss_avg = _weighted(self.loss_avg, self.up + self.down, other.loss_avg, other.up + other.down)
        self.latency_min_ms = _pick(min, self.latency_min_ms, other.latency_min_ms)
        self.latency_max_ms = _pick(max, self.latency_max_ms, other.latency_max_ms)
        self.count += other.count
        self.up += other.up
        self.down += other.down
        self.maintenance += other.maintenance


def _first(*values: float | None) -> float | None:
    return next((value for value in values if value is not None), None)


def _pick(choose, a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else choose(a, b)


def _weighted(a: float | None, wa: int, b: float | None, wb: int) -> float | None:
    if wa + wb == 0:
        return None
    return ((a or 0.0) * wa + (b or 0.0) * wb) / (wa + wb)


def record_samples(session: Session, samples: Iterable[dict]) -> int:
    """Insert raw samples (dicts of ProbeSample columns) and add them to every rollup level.

    Returns how many samples were written. Runs inside the caller's transaction.
    """
    rows = list(samples)
    if not rows:
        return 0
    session.execute(insert(ProbeSample), rows)
    add_to_rollups(session, rows)
    return len(rows)


def add_to_rollups(session: Session, samples: list[dict]) -> None:
    """Add samples to the minute, hour and day rollups (one upsert per level and bucket)."""
    dialect = session.get_bind().dialect.name
    for table, seconds in LEVELS.values():
        tallies: dict[tuple[int, datetime], Tally] = {}
        for sample in samples:
            key = (sample["monitor_id"], bucket_of(sample["checked_at"], seconds))
            tallies.setdefault(key, Tally()).add(Tally.of(sample))
        values = [{"monitor_id": monitor_id, "bucket": bucket, **vars(tally)}
                  for (monitor_id, bucket), tally in sorted(tallies.items())]
        session.execute(_upsert(table, dialect), values)


def _upsert(table, dialect: str):
    statement = _INSERTS[dialect](table)
    new, old = statement.excluded, table.__table__.c
    least, greatest = (func.least, func.greatest) if dialect == "postgresql" else (func.min, func.max)

    def pick(choose, column: str):
        a, b = old[column], new[column]
        return choose(func.coalesce(a, b), func.coalesce(b, a))

    def weighted(column: str, old_weight, new_weight):
        total = old_weight + new_weight
        value = (func.coalesce(old[column], 0.0) * old_weight
                 + func.coalesce(new[column], 0.0) * new_weight) / total
        return case((total > 0, value), else_=None)

    return statement.on_conflict_do_update(
        index_elements=["monitor_id", "bucket"],
        set_={
            **{column: old[column] + new[column] for column in ("count", "up", "down", "maintenance")},
            "latency_min_ms": pick(least, "latency_min_ms"),
            "latency_max_ms": pick(greatest, "latency_max_ms"),
            "latency_avg_ms": weighted("latency_avg_ms", old["up"], new["up"]),
            "loss_avg": weighted("loss_avg", old["up"] + old["down"], new["up"] + new["down"]),
        },
    )
