"""[[monitors]] configuration: what a good entry becomes, and errors naming file, line, monitor and field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pantau.monitoring.config import MonitorConfigError, ordered_by_dependency, parse_monitors
from pantau.monitoring.settings import monitoring_settings
from pantau.settings import Settings


def entry(**fields) -> dict:
    return {"name": "h2h-server", "role": "h2h-server", "check": "tcp", "target": "10.0.0.5:7001", **fields}


def test_mc001_defaults_and_check_options_are_kept():
    [icmp, http] = parse_monitors([
        {"name": "router", "role": "router", "check": "icmp", "target": "192.168.1.1", "count": 3},
        {"name": "payment-server", "role": "payment-server", "check": "http", "target": "https://bayar.kampus.ac.id/",
         "keyword": "OK", "expected_status": 200, "verify_tls": False},
    ])

    assert (icmp.interval_s, icmp.timeout_s, icmp.down_after, icmp.up_after) == (60, 5.0, 3, 2)
    assert icmp.options() == {"degraded_loss": 0.2, "count": 3}
    assert http.options() == {"degraded_loss": 0.2, "verify_tls": False, "keyword": "OK", "expected_status": [200]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interval_s": 2},
         "monitor 'h2h-server' field interval_s: Input should be greater than or equal to 5 (got 2)"),
        ({"role": "database"}, "monitor 'h2h-server' field role: Input should be"),
        ({"check": "ftp"}, "monitor 'h2h-server' field check: Input should be 'icmp', 'tcp' or 'http'"),
        ({"target": "10.0.0.5"}, "monitor 'h2h-server' field target: '10.0.0.5' is not host:port"),
        ({"target": "10.0.0.5:99999"}, "field target: '10.0.0.5:99999' is not host:port"),
        ({"timeout_s": 30, "interval_s": 30}, "field timeout_s: a round may take 30 s, which is not shorter than "
                                               "interval_s 30"),
        ({"keyword": "OK"}, "monitor 'h2h-server' field keyword: only http checks take keyword"),
        ({"count": 3}, "monitor 'h2h-server' field count: only icmp checks take count"),
        ({"down_after": 0}, "field down_after: Input should be greater than or equal to 1 (got 0)"),
        ({"colour": "red"}, "monitor 'h2h-server' field colour: Extra inputs are not permitted"),
        ({"depends_on": "h2h-server"}, "field depends_on: a monitor cannot depend on itself"),
        ({"maintenance": [{"weekly": "SUNDAY 01:00-03:00"}]},
         "monitor 'h2h-server' field maintenance[0].weekly: unknown day 'SUNDAY'"),
        ({"maintenance": [{"start": "2026-12-01T22:00:00+07:00"}]},
         "field maintenance[0]: give start and end (a one-off window) or weekly (a recurring one)"),
        ({"maintenance": [{"start": "2026-12-01T22:00:00+07:00", "end": "2026-12-01T21:00:00+07:00"}]},
         "field maintenance[0]: end 2026-12-01T21:00:00+07:00 is not after start"),
    ],
)
def test_mc002_bad_entry_names_the_monitor_and_the_field(fields, message):
    with pytest.raises(MonitorConfigError) as raised:
        parse_monitors([entry(**fields)])

    assert message in str(raised.value)


def test_mc003_entry_without_a_name_is_named_by_its_position():
    with pytest.raises(MonitorConfigError, match=r"^monitor #2 field name: Field required"):
        parse_monitors([entry(), {"role": "router", "check": "icmp", "target": "10.0.0.1"}])


def test_mc004_http_target_must_be_a_url():
    with pytest.raises(MonitorConfigError, match="field target: 'bayar.kampus.ac.id' is not an http:// or https://"):
        parse_monitors([entry(check="http", target="bayar.kampus.ac.id")])


def test_mc005_dependencies_must_exist_and_not_loop():
    with pytest.raises(MonitorConfigError, match="monitor 'bank-link' field depends_on: no monitor is named 'h2h'"):
        parse_monitors([entry(), entry(name="bank-link", role="bank-link", depends_on="h2h")])
    with pytest.raises(MonitorConfigError, match="dependency cycle a -> b -> a"):
        parse_monitors([entry(name="a", depends_on="b"), entry(name="b", depends_on="a")])
    with pytest.raises(MonitorConfigError, match="field name: used by monitors #1 and #2"):
        parse_monitors([entry(), entry()])


def test_mc006_parents_come_before_children():
    monitors = parse_monitors([entry(name="bank-link", depends_on="h2h-server"), entry(), entry(name="router")])

    assert [m.name for m in ordered_by_dependency(monitors)] == ["h2h-server", "router", "bank-link"]


def test_mc007_local_maintenance_times_are_read_in_the_campus_zone():
    [parsed] = parse_monitors(
        [entry(maintenance=[{"start": datetime(2026, 12, 1, 22, 0), "end": datetime(2026, 12, 2, 1, 0)},
                            {"weekly": "sun 1:00-3:00", "note": "patching"}])],
        zone="Asia/Makassar",
    )

    one_off, weekly = parsed.maintenance
    assert one_off.start == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert weekly.weekly == "SUN 01:00-03:00" and weekly.note == "patching"


def test_mc008_errors_from_a_file_give_its_name_and_the_line(tmp_path):
    config = tmp_path / "pantau.toml"
    config.write_text(
        'language = "id"\n\n'
        '[[monitors]]\nname = "payment-server"\nrole = "payment-server"\ncheck = "http"\n'
        'target = "https://bayar.kampus.ac.id/"\n\n'
        '[[monitors]]\nname = "h2h-server"\nrole = "h2h-server"\ncheck = "tcp"\ntarget = "10.0.0.5:7001"\n'
        'interval_s = 1\n'
    )
    settings = Settings(config=config)

    with pytest.raises(MonitorConfigError) as raised:
        parse_monitors(settings.monitors, source=settings.config)

    assert str(raised.value).startswith("pantau.toml line 14: monitor 'h2h-server' field interval_s:")


def test_mc009_monitoring_section_errors_name_the_field():
    with pytest.raises(ValueError, match=r"\[monitoring\] field raw_retention_hours: Input should be greater than 0"):
        monitoring_settings(Settings(monitoring={"raw_retention_hours": 0}))
    with pytest.raises(ValueError, match=r"\[monitoring\] field disk_alert: Extra inputs are not permitted"):
        monitoring_settings(Settings(monitoring={"disk_alert": 80}))
