"""The demo's probe history is stored the way the collector keeps it, and its outages add up."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from demo_helpers import NOW, frame

INTERVAL_S = 60
HISTORY_DAYS = 30


def _utc(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, utc=True)


def test_demo020_rollup_counts_add_up_at_every_level(campus):
    engine, _ = campus
    for table in ("rollup_minute", "rollup_hour", "rollup_day"):
        rollups = frame(engine, f"SELECT * FROM {table}")
        assert (rollups["up"] + rollups["down"] + rollups["maintenance"] == rollups["count"]).all(), table
    days = frame(engine, "SELECT monitor_id, bucket, count FROM rollup_day ORDER BY bucket")
    assert (days.groupby("monitor_id").size() == HISTORY_DAYS).all()
    full_days = days[_utc(days["bucket"]) < pd.Timestamp(NOW).normalize()]
    assert (full_days["count"] == 86_400 // INTERVAL_S).all()
    minutes = frame(engine, "SELECT monitor_id, SUM(count) AS rounds, SUM(up) AS up FROM rollup_minute "
                            "GROUP BY monitor_id")
    raw = frame(engine, "SELECT monitor_id, COUNT(*) AS rounds, "
                        "SUM(CASE WHEN ok AND NOT in_maintenance THEN 1 ELSE 0 END) AS up "
                        "FROM probe_samples GROUP BY monitor_id")
    assert minutes.sort_values("monitor_id").to_numpy().tolist() == raw.sort_values("monitor_id").to_numpy().tolist()


def test_demo021_each_level_keeps_its_own_span_of_history(campus):
    engine, _ = campus
    now = pd.Timestamp(NOW)
    spans = {
        "probe_samples": ("checked_at", timedelta(hours=48, minutes=1)),
        "rollup_minute": ("bucket", timedelta(hours=48, minutes=1)),
        "rollup_hour": ("bucket", timedelta(days=30, hours=1)),
        "rollup_day": ("bucket", timedelta(days=HISTORY_DAYS)),
    }
    for table, (column, span) in spans.items():
        times = _utc(frame(engine, f"SELECT {column} FROM {table}")[column])
        assert times.min() >= now - span and times.max() <= now, table


def test_demo022_incidents_lie_in_the_history_and_account_for_every_down_round(campus):
    engine, _ = campus
    incidents = frame(engine, "SELECT monitor_id, kind, started_at, ended_at FROM incidents")
    first_day = _utc(frame(engine, "SELECT MIN(bucket) AS b FROM rollup_day")["b"])[0]
    assert (_utc(incidents["started_at"]) >= first_day).all()
    assert (_utc(incidents["ended_at"]) <= pd.Timestamp(NOW)).all()
    assert set(incidents["kind"]) == {"down", "unreachable"}
    down_seconds = (_utc(incidents["ended_at"]) - _utc(incidents["started_at"])).dt.total_seconds()
    per_monitor = down_seconds.groupby(incidents["monitor_id"]).sum()
    rollup_down = frame(engine, "SELECT monitor_id, SUM(down) AS down FROM rollup_day GROUP BY monitor_id")
    expected = rollup_down.set_index("monitor_id")["down"] * INTERVAL_S
    assert per_monitor.reindex(expected.index, fill_value=0).tolist() == expected.tolist()


def test_demo023_the_bank_link_is_unreachable_whenever_the_h2h_server_is_down(campus):
    engine, _ = campus
    incidents = frame(engine, "SELECT m.name, i.kind, i.started_at, i.ended_at, i.cause FROM incidents i "
                              "JOIN monitors m ON m.id = i.monitor_id")
    h2h = incidents[incidents["name"] == "h2h-server"]
    link = incidents[(incidents["name"] == "bank-link") & (incidents["kind"] == "unreachable")]
    assert len(h2h) >= 1 and len(link) == len(h2h)
    gap = (_utc(link["started_at"]).sort_values().to_numpy() - _utc(h2h["started_at"]).sort_values().to_numpy())
    assert all(pd.Timedelta(0) <= g < pd.Timedelta(seconds=INTERVAL_S) for g in gap)
    longest = (_utc(h2h["ended_at"]) - _utc(h2h["started_at"])).max()
    assert longest >= pd.Timedelta(hours=3)
    assert link["cause"].str.contains("induk Server H2H").all(), "the cause names the parent as the campus calls it"


def test_demo024_latency_is_believable_per_monitor_and_follows_the_working_day(campus):
    engine, _ = campus
    link = frame(engine, "SELECT latency_ms FROM probe_samples s JOIN monitors m ON m.id = s.monitor_id "
                         "WHERE m.name = 'bank-link' AND s.ok")
    assert link["latency_ms"].between(20, 80).all()
    hours = frame(engine, "SELECT bucket, latency_avg_ms FROM rollup_hour r JOIN monitors m ON m.id = r.monitor_id "
                          "WHERE m.name = 'payment-server'")
    local_hour = _utc(hours["bucket"]).dt.tz_convert("Asia/Jakarta").dt.hour
    assert hours.loc[local_hour.between(9, 14), "latency_avg_ms"].mean() > hours.loc[local_hour.between(0, 5),
                                                                                      "latency_avg_ms"].mean()


def test_demo025_each_monitor_status_matches_its_latest_round(campus):
    engine, _ = campus
    monitors = frame(engine, "SELECT id, name, status, status_since, streak_since, consecutive_successes, parent_id "
                             "FROM monitors")
    latest = frame(engine, "SELECT s.monitor_id, s.ok, s.in_maintenance FROM probe_samples s WHERE s.checked_at = "
                           "(SELECT MAX(checked_at) FROM probe_samples t WHERE t.monitor_id = s.monitor_id)")
    merged = monitors.merge(latest, left_on="id", right_on="monitor_id")
    expected = merged.apply(lambda r: "maintenance" if r["in_maintenance"] else ("up" if r["ok"] else "down"), axis=1)
    assert (merged["status"] == expected).all()
    assert (_utc(merged["status_since"]) <= pd.Timestamp(NOW)).all()
    assert (merged.loc[merged["status"] == "up", "consecutive_successes"] > 0).all()
    by_name = monitors.set_index("name")
    assert by_name.loc["bank-link", "parent_id"] == by_name.loc["h2h-server", "id"]


def test_demo026_maintenance_windows_are_kept_out_of_up_and_down(campus):
    engine, _ = campus
    windows = frame(engine, "SELECT weekly_rule, starts_at, ends_at FROM maintenance_windows")
    assert "SUN 01:00-03:00" in set(windows["weekly_rule"])
    one_off = windows.dropna(subset=["starts_at"])
    hours = frame(engine, "SELECT bucket FROM rollup_hour WHERE maintenance > 0")
    local = _utc(hours["bucket"]).dt.tz_convert("Asia/Jakarta")
    weekly = (local.dt.day_of_week == 6) & local.dt.hour.isin([1, 2])
    in_one_off = pd.Series(False, index=hours.index)
    for _, window in one_off.iterrows():
        in_one_off |= _utc(hours["bucket"]).between(_utc(pd.Series([window["starts_at"]]))[0] - pd.Timedelta(hours=1),
                                                    _utc(pd.Series([window["ends_at"]]))[0])
    assert len(hours) > 0 and (weekly | in_one_off).all()


def test_demo027_host_metrics_every_five_minutes_for_a_week(campus):
    engine, _ = campus
    metrics = frame(engine, "SELECT host, collected_at, cpu_pct, mem_pct, uptime_s FROM host_metrics")
    counts = metrics.groupby("host").size()
    assert set(counts.index) == {"pantau", "server-pembayaran"}
    assert (counts == 7 * 24 * 12).all()
    assert metrics["cpu_pct"].between(0, 100).all() and metrics["mem_pct"].between(0, 100).all()
    assert (metrics["uptime_s"] > 0).all()
