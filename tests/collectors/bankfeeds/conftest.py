"""Fixtures for the bank feed parsers: the sample files and the mappings of their exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from collectors.bankfeeds import ColumnMapping

DATA = Path(__file__).resolve().parents[2] / "data" / "bank"


@pytest.fixture
def bank_data() -> Path:
    """The directory of sample bank files."""
    return DATA


@pytest.fixture
def mandiri_mapping() -> ColumnMapping:
    """The Mandiri mutation export: preamble, ``;``, Indonesian numbers, a K/D column."""
    return ColumnMapping(
        date="Tanggal",
        amount="Jumlah",
        direction="D/K",
        reference="No. Referensi",
        va="No. VA",
        name="Nama Penyetor",
        description="Keterangan",
        date_format="%d/%m/%Y %H:%M:%S",
        skip_rows=2,
    )


@pytest.fixture
def bni_export_mapping() -> ColumnMapping:
    """The BNI Direct export: ``,``, English numbers, separate debit and credit columns."""
    return ColumnMapping(
        date="Post Date",
        debit="Debit",
        credit="Credit",
        reference="Journal No.",
        description="Description",
        date_format="%d/%m/%Y %H:%M:%S",
        decimal=".",
        thousands=",",
    )


@pytest.fixture
def xlsx_export(tmp_path: Path) -> Path:
    """A bank XLSX export with a title row, typed dates and numbers, text numbers and a blank row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Mutasi"
    sheet.append(["Mutasi Rekening 1230007654321"])
    sheet.append(["Tanggal", "Keterangan", "No. VA", "Kredit", "Debet"])
    sheet.append([datetime(2024, 3, 1, 9, 15, 32), "PEMBAYARAN VA 9880012300001234 NTB 233171", "9880012300001234",
                  1500000, None])
    sheet.append([datetime(2024, 3, 1, 10, 2, 11), "TRANSFER SITI AMINAH", 9880012300005678, "2.750.000,00", "-"])
    sheet.append([])
    sheet.append([datetime(2024, 3, 1, 16, 0), "BIAYA ADMINISTRASI", None, None, 6500.5])
    path = tmp_path / "mutasi.xlsx"
    workbook.save(path)
    return path


@pytest.fixture
def xlsx_mapping() -> ColumnMapping:
    """The mapping of :func:`xlsx_export`."""
    return ColumnMapping(
        date="Tanggal", credit="Kredit", debit="Debet", va="No. VA", description="Keterangan", skip_rows=1
    )
