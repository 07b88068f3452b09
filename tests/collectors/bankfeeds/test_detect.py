"""Format detection by content, and dispatch through the parser registry."""

from __future__ import annotations

import pytest

from collectors.bankfeeds import FORMATS, detect_format, parse_file
from collectors.bankfeeds.errors import FeedError

SAMPLES = {
    "mandiri_envelope.sta": "mt940",
    "bni_statement.sta": "mt940",
    "standard.sta": "mt940",
    "truncated.sta": "mt940",
    "bri_camt053.xml": "camt053",
    "camt053_v08.xml": "camt053",
    "mandiri_mutasi.csv": "csv",
    "bni_export.csv": "csv",
    "bni_ecollection.jsonl": "bni",
    "briva.jsonl": "briva",
    "snap_va.jsonl": "snap",
}


@pytest.mark.parametrize(("name", "expected"), sorted(SAMPLES.items()))
def test_det001_each_sample_is_recognised(bank_data, name, expected):
    assert detect_format(bank_data / name) == expected


def test_det002_xlsx_is_recognised_by_its_zip_container(xlsx_export):
    assert detect_format(xlsx_export) == "xlsx"


def test_det003_auto_dispatches_to_the_detected_parser(bank_data, mandiri_mapping, xlsx_export, xlsx_mapping):
    assert parse_file(bank_data / "snap_va.jsonl").source_format == "snap"
    assert parse_file(bank_data / "mandiri_mutasi.csv", mapping=mandiri_mapping).source_format == "csv"
    assert parse_file(xlsx_export, mapping=xlsx_mapping).source_format == "xlsx"
    assert len(parse_file(bank_data / "camt053_v08.xml").entries) == 1


def test_det004_explicit_format_overrides_detection(bank_data):
    with pytest.raises(FeedError):
        parse_file(bank_data / "snap_va.jsonl", "bni")


def test_det005_unknown_format_name_lists_the_known_ones(bank_data):
    with pytest.raises(FeedError) as raised:
        parse_file(bank_data / "standard.sta", "qif")

    assert (raised.value.field, raised.value.value) == ("format", "qif")
    assert all(name in raised.value.reason for name in FORMATS)


def test_det006_json_of_unknown_kind_is_refused(tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text('{"order_id": "A1", "gross_amount": "10000"}\n')

    with pytest.raises(FeedError, match="no known kind"):
        detect_format(path)
