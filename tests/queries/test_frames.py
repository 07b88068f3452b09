"""Query results as frames: columns named by the query's labels or by the caller, also when nothing matched."""

from __future__ import annotations

from sqlalchemy import create_engine, literal, select, text

from queries.frames import read_frame


def test_frames001_columns_from_labels_or_given_and_kept_when_empty():
    engine = create_engine("sqlite://")
    both = select(literal(1).label("bills"), literal("WS").label("sop"))
    assert read_frame(engine, both).to_dict("records") == [{"bills": 1, "sop": "WS"}]
    with engine.connect() as connection:
        named = read_frame(connection, both, ["count", "code"])
        empty = read_frame(connection, text("SELECT 1 AS bills WHERE 0"))
    assert list(named.columns) == ["count", "code"] and named.iloc[0].tolist() == [1, "WS"]
    assert empty.empty and list(empty.columns) == ["bills"]
