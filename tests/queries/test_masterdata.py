"""The admin page's programme list: every programme, those created from bills first, each with its live bills
(deleted ones not counted, none for a programme without bills), on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from pantau.db import session_scope
from pantau.models import Bill, Prodi
from queries.masterdata import prodi_table


def test_md001_programmes_with_their_live_bills_the_unnamed_first(store):
    with session_scope(store) as session:
        named = Prodi(code="D3-KEP", name="D3 Keperawatan", jenjang="D3", jurusan="Keperawatan")
        empty = Prodi(code="D3-FAR", name="D3 Farmasi", jenjang="D3", jurusan="Farmasi")
        unnamed = Prodi(code="TI-D4", name="TI-D4", jenjang="", jurusan="", name_unknown=True, source="billing")
        session.add_all([named, empty, unnamed])
        session.flush()
        for key, prodi, deleted in (("A", named.id, None), ("B", named.id, None), ("C", named.id,
                                    datetime(2026, 3, 1, tzinfo=UTC)), ("D", unnamed.id, None), ("E", None, None)):
            session.add(Bill(source="billing", source_key=key, kind="ukt", payer_name=key, semester="20252",
                             prodi_id=prodi, amount=Decimal(1_000_000), va_number=f"VA{key}",
                             due_date=date(2026, 3, 1), deleted_at=deleted))
    frame = prodi_table(store)
    assert list(zip(frame["code"], frame["bills"].astype(int))) == [("TI-D4", 1), ("D3-FAR", 0), ("D3-KEP", 2)]
