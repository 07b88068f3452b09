"""Tracing a case from its events: merging, starts taken from the flow, the open frontier, and a
result that never depends on the order events arrived in."""

from __future__ import annotations

from itertools import permutations

from sla_helpers import wib

from pantau.sla.timeline import EventRow, trace

OPENED = wib(2026, 4, 6, 8, 0)


def spans(path) -> list[tuple]:
    return [(s.step.key, s.started_at, s.completed_at, s.performer, s.outcome, s.implicit) for s in path.spans]


def test_tl001_events_of_one_step_merge_to_earliest_start_and_latest_completion(ctx):
    ktm = ctx.catalogue["KTM"]
    events = [
        EventRow("a", "sosialisasi", wib(2026, 4, 6, 8, 5), None, "Rina"),
        EventRow("b", "sosialisasi", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 8, 7), "Budi"),
        EventRow("c", "sosialisasi", None, wib(2026, 4, 6, 8, 9), "Sari"),
    ]
    first = trace(ktm, OPENED, events).spans[0]
    assert (first.started_at, first.completed_at, first.performer) == (wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 8, 9),
                                                                       "Sari")


def test_tl002_any_arrival_order_gives_the_same_trace(ctx):
    kso = ctx.catalogue["KSO"]
    events = [
        EventRow("1", "permohonan", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 9, 0), "Pemohon"),
        EventRow("2", "dokumen_kso", None, wib(2026, 4, 6, 9, 40), "UPK"),
        EventRow("3", "unggah_siaksi", wib(2026, 4, 6, 10, 0), None, "TI"),
        EventRow("4", "unggah_siaksi", None, wib(2026, 4, 6, 10, 30), "TI"),
        EventRow("5", "dokumen_kso", None, wib(2026, 4, 6, 9, 40), "UPK"),
    ]
    traces = {(tuple(spans(trace(kso, OPENED, order))), trace(kso, OPENED, order).closed_at)
              for order in permutations(events)}
    assert len(traces) == 1
    (only, _), = traces
    assert [key for key, *_ in only] == ["permohonan", "dokumen_kso", "unggah_siaksi", "verifikasi_skp"]


def test_tl003_a_step_without_a_start_begins_when_its_predecessor_completed(ctx):
    ws = ctx.catalogue["WS"]
    path = trace(ws, OPENED, [
        EventRow("1", "surat_permohonan", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 8, 3)),
        EventRow("2", "agenda_disposisi", None, wib(2026, 4, 6, 8, 20)),
    ])
    assert path.spans[1].started_at == wib(2026, 4, 6, 8, 3)


def test_tl004_next_step_is_open_from_the_furthest_completion(ctx):
    ws = ctx.catalogue["WS"]
    path = trace(ws, OPENED, [EventRow("1", "surat_permohonan", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 8, 3))])
    assert spans(path)[-1] == ("agenda_disposisi", wib(2026, 4, 6, 8, 3), None, None, None, True)
    assert path.closed_at is None


def test_tl005_a_late_event_for_a_skipped_step_is_awaited_not_opened(ctx):
    ktm = ctx.catalogue["KTM"]
    events = [
        EventRow("1", "sosialisasi", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 8, 5)),
        EventRow("3", "pembuatan_rekening", None, wib(2026, 4, 6, 9, 50)),
    ]
    path = trace(ktm, OPENED, events)
    assert [s.step.key for s in path.spans] == ["sosialisasi", "pembuatan_rekening", "pembuatan_ktm"]
    assert path.spans[1].started_at == wib(2026, 4, 6, 8, 5), "until step 2 arrives, step 3 starts after step 1"
    late = trace(ktm, OPENED, [*events, EventRow("2", "pendaftaran", None, wib(2026, 4, 6, 8, 30))])
    assert late.spans[2].started_at == wib(2026, 4, 6, 8, 30)


def test_tl006_decision_outcome_picks_the_branch_and_unknown_outcome_waits(ctx):
    kso = ctx.catalogue["KSO"]
    approved = trace(kso, OPENED, [EventRow("1", "informasi_hasil", None, wib(2026, 4, 6, 9, 0), outcome="setuju")])
    assert spans(approved)[-1][0] == "publikasi"
    rejected = trace(kso, OPENED, [EventRow("1", "informasi_hasil", None, wib(2026, 4, 6, 9, 0), outcome="Ditolak")])
    assert (rejected.closed_at, rejected.outcome) == (wib(2026, 4, 6, 9, 0), "ditolak")
    unknown = trace(kso, OPENED, [EventRow("1", "informasi_hasil", None, wib(2026, 4, 6, 9, 0))])
    assert len(unknown.spans) == 1 and unknown.closed_at is None


def test_tl007_case_without_events_has_its_first_step_open(ctx):
    path = trace(ctx.catalogue["KTM"], OPENED, [])
    assert spans(path) == [("sosialisasi", OPENED, None, None, None, True)]


def test_tl008_flow_is_the_one_most_events_belong_to(ctx):
    akun = ctx.catalogue["AKUN"]
    path = trace(akun, OPENED, [
        EventRow("1", "kirim_permintaan", OPENED, wib(2026, 4, 6, 8, 5)),
        EventRow("2", "terima_permintaan", None, wib(2026, 4, 6, 8, 9)),
        EventRow("3", "kirim_akun", OPENED, wib(2026, 4, 6, 8, 5)),
    ])
    assert path.flow == "pemberian_akses"
    assert "kirim_akun" not in [s.step.key for s in path.spans]


def test_tl009_completion_before_the_recorded_start_is_a_data_error_not_a_step_of_no_time(ctx):
    ktm = ctx.catalogue["KTM"]
    path = trace(ktm, OPENED, [
        EventRow("1", "sosialisasi", wib(2026, 4, 6, 9, 0), None),
        EventRow("2", "sosialisasi", None, wib(2026, 4, 6, 8, 30)),
    ])
    assert path.spans[0].problem == "before_start"
    assert path.spans[0].completed_at == wib(2026, 4, 6, 8, 30)


def test_tl010_a_completion_alone_that_opened_its_case_has_no_known_start(ctx):
    ktm = ctx.catalogue["KTM"]
    done = wib(2026, 4, 6, 9, 0)
    alone = trace(ktm, done, [EventRow("1", "pembuatan_rekening", None, done)])
    assert alone.spans[0].problem == "no_start"
    opened_earlier = trace(ktm, OPENED, [EventRow("1", "sosialisasi", None, done)])
    assert opened_earlier.spans[0].problem is None and opened_earlier.spans[0].started_at == OPENED


def test_tl011_a_step_completed_before_its_predecessor_is_a_data_error(ctx):
    ws = ctx.catalogue["WS"]
    path = trace(ws, OPENED, [
        EventRow("1", "surat_permohonan", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 9, 0)),
        EventRow("2", "agenda_disposisi", None, wib(2026, 4, 6, 8, 40)),
    ])
    assert [s.problem for s in path.spans[:2]] == [None, "before_start"]


def test_tl012_the_latest_correction_wins_even_when_it_moves_a_completion_back(ctx):
    ws = ctx.catalogue["WS"]
    events = [
        EventRow("a", "surat_permohonan", wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 9, 0), seq=1),
        EventRow("b", "surat_permohonan", None, wib(2026, 4, 6, 8, 4), seq=2, correction=True),
        EventRow("c", "surat_permohonan", None, wib(2026, 4, 6, 8, 6), seq=3, correction=True),
    ]
    for order in permutations(events):
        first = trace(ws, OPENED, order).spans[0]
        assert (first.started_at, first.completed_at) == (wib(2026, 4, 6, 8, 0), wib(2026, 4, 6, 8, 6))
