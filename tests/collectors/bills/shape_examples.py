"""The worked examples of docs/sources.md (schemas, TOML settings, mapping queries) as the shape tests run them:
each fenced block after an ``<!-- example: NAME -->`` line, so the documentation is what is tested."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from sqlalchemy import Engine, select, text

from collectors.bills import BillSource
from pantau.models import Bill, BillVa

DOC = Path(__file__).parents[3] / "docs" / "sources.md"
_BLOCK = re.compile(r"<!-- example: ([\w-]+) -->\s*```\w*\n(.*?)```", re.DOTALL)


def example(name: str) -> str:
    """The text of the documentation's example ``name``."""
    blocks = dict(_BLOCK.findall(DOC.read_text(encoding="utf-8")))
    return blocks[name]


def build(database: Engine, schema: str) -> None:
    """Run the example schema's statements on ``database``."""
    with database.begin() as connection:
        for statement in statements(schema):
            connection.execute(text(statement))


def statements(schema: str) -> list[str]:
    return [part.strip() for part in example(schema).split(";\n") if part.strip()]


def documented_source(toml: str, database: Engine, **overrides) -> BillSource:
    """The example's ``[sources.bills.NAME]`` with its url pointing at the test's database."""
    (name, raw), = tomllib.loads(example(toml))["sources"]["bills"].items()
    url = database.url.render_as_string(hide_password=False)
    if database.dialect.name == "mysql":
        url += "?charset=utf8mb4"
    return BillSource.model_validate({**raw, **overrides, "name": name, "url": url})


def run(database: Engine, sql: str, *rows: dict) -> None:
    with database.begin() as connection:
        for row in rows or ({},):
            connection.execute(text(sql), row)


def live_bills(store: Engine) -> dict[str, tuple]:
    """Live bills: number -> (kind, semester, angkatan, VA, due date, paid, amount, paid amount)."""
    columns = (Bill.kind, Bill.semester, Bill.angkatan, Bill.va_number, Bill.due_date, Bill.app_paid, Bill.amount,
               Bill.app_paid_amount)
    with store.connect() as connection:
        rows = connection.execute(select(Bill.source_key, *columns).where(Bill.deleted_at.is_(None))).all()
    return {row[0]: (*row[1:6], bool(row[6]), *row[7:]) for row in rows}


def stored(store: Engine, column) -> dict:
    """One column of every bill, live or deleted, by number."""
    with store.connect() as connection:
        return dict(connection.execute(select(Bill.source_key, column)).all())


def bill_vas(store: Engine) -> dict[str, list[tuple]]:
    """Each bill's VAs in order, (bank, number), by bill number."""
    with store.connect() as connection:
        rows = connection.execute(select(Bill.source_key, BillVa.bank, BillVa.va_number).join(
            BillVa, BillVa.bill_id == Bill.id).order_by(Bill.source_key, BillVa.position)).all()
    found: dict[str, list[tuple]] = {}
    for key, bank, number in rows:
        found.setdefault(key, []).append((bank, number))
    return found
