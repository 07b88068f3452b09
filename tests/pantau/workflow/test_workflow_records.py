"""Validating one raw event: every problem names its field, the value and the reason."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pantau.workflow.records import EventProblem, parse_event

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=WIB)


def parse(ctx, raw, **options):
    return parse_event(raw, ctx.catalogue, WIB, now=NOW, **options)


def test_rec001_indonesian_column_names_and_local_times(ctx):
    record = parse(ctx, {"Kode SOP": "ws", "Kasus": " WS-1 ", "Tahap": "1", "Mulai": "08/05/2026 10:00",
                         "Selesai": "2026-05-08T10:04:00+07:00", "Pelaksana": "Adm", "Saluran": "Email"})
    assert (record.sop_code, record.case_ref, record.step_key, record.performer, record.channel) == (
        "WS", "WS-1", "surat_permohonan", "Adm", "email")
    assert record.started_at == datetime(2026, 5, 8, 10, 0, tzinfo=WIB)
    assert record.completed_at == datetime(2026, 5, 8, 3, 4, tzinfo=ZoneInfo("UTC"))


def test_rec002_decision_outcome_by_label_becomes_the_branch_key(ctx):
    record = parse(ctx, {"case": "K", "step": "informasi_hasil", "completed": "2026-05-08 10:00", "outcome": "Setuju"},
                   sop="KSO")
    assert record.outcome == "setuju"


@pytest.mark.parametrize(
    ("raw", "field", "reason"),
    [
        ({"sop": "XYZ", "case": "1", "step": "1", "completed": "2026-05-08 10:00"}, "sop", "unknown SOP"),
        ({"sop": "WS", "step": "1", "completed": "2026-05-08 10:00"}, "case_ref", "missing"),
        ({"sop": "WS", "case": "1", "step": "kirim", "completed": "2026-05-08 10:00"}, "step",
         "SOP WS has no such step"),
        ({"sop": "WS", "case": "1", "step": "9", "completed": "2026-05-08 10:00"}, "step", "SOP WS has no step 9"),
        ({"sop": "AKUN", "case": "1", "step": "1", "completed": "2026-05-08 10:00"}, "step", "several flows"),
        ({"sop": "WS", "case": "1", "step": "1", "completed": "31/02/2026 10:00"}, "completed_at",
         "not a date and time"),
        ({"sop": "WS", "case": "1", "step": "1", "completed": "2026-05-08"}, "completed_at", "without a time of day"),
        ({"sop": "WS", "case": "1", "step": "1"}, "completed_at", "give started_at, completed_at or both"),
        ({"sop": "WS", "case": "1", "step": "1", "started": "2026-05-08 10:00", "completed": "2026-05-08 09:00"},
         "completed_at", "before started_at"),
        ({"sop": "WS", "case": "1", "step": "1", "completed": "2026-06-02 10:00"}, "completed_at", "in the future"),
        ({"sop": "KSO", "case": "1", "step": "informasi_hasil", "completed": "2026-05-08 10:00"}, "outcome",
         "step 5 is a decision: give its outcome (setuju, ditolak)"),
        ({"sop": "KSO", "case": "1", "step": "5", "completed": "2026-05-08 10:00", "outcome": "mungkin"}, "outcome",
         "not an outcome of step 5"),
        ({"sop": "WS", "case": "x" * 65, "step": "1", "completed": "2026-05-08 10:00"}, "case_ref",
         "longer than 64 characters"),
    ],
)
def test_rec003_bad_events_name_field_and_reason(ctx, raw, field, reason):
    with pytest.raises(EventProblem, match=re.escape(reason)) as caught:
        parse(ctx, raw)
    assert caught.value.field == field


def test_rec004_a_file_for_one_sop_refuses_a_row_of_another(ctx):
    with pytest.raises(EventProblem, match="this import is for SOP KTM"):
        parse(ctx, {"sop": "WS", "case": "1", "step": "1", "completed": "2026-05-08 10:00"}, sop="KTM")


def test_rec005_strict_parsing_refuses_unknown_fields(ctx):
    raw = {"sop": "WS", "case": "1", "step": "1", "completed": "2026-05-08 10:00", "catatan": "x"}
    assert parse(ctx, raw).step_key == "surat_permohonan"
    with pytest.raises(EventProblem, match="field catatan: unknown field"):
        parse(ctx, raw, strict=True)


def test_rec006_uid_is_the_source_id_or_a_digest_of_the_content(ctx):
    with_id = parse(ctx, {"sop": "WS", "case": "1", "step": "1", "completed": "2026-05-08 10:00", "event_id": "77"})
    without = parse(ctx, {"sop": "WS", "case": "1", "step": "1", "completed": "2026-05-08 10:00"})
    assert with_id.uid("api:simak") == "api:simak:77"
    assert without.uid("file:WS") == without.uid("web") and without.uid("web").startswith("c:")
    assert with_id.uid("db:x", with_content=True) != with_id.uid("db:y", with_content=True)
