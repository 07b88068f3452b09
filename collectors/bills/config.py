"""The typed ``[sources.bills.<name>]`` settings: where the payment application's bills come from.

A source is either the application's database (``url`` and a mapping ``query`` run read-only) or
an export file (``file``, CSV or XLSX) read whole on each run. The query (or the file's header,
through ``columns``) names its columns as Pantau's bill fields:

required  ``source_key`` (the bill number), ``kind`` (a bill kind's code), ``amount``, ``semester``
optional  the bill's VAs: ``va_<bank>`` per bank (``va_bni``, ``va_bri``, ``va_mandiri``: :mod:`pantau.banks`
          codes), and/or ``va_number`` (with ``va_bank``, its bank's code, when known); none for a bill paid at
          the counter or by transfer. ``due_date`` (none: ageing counts from the issue date), ``issued_on``
          (the issue date; else the day the bill is first synced), ``payer_name``, ``nim``, ``reg_no``,
          ``prodi`` (programme code), ``angkatan``, ``paid``, ``paid_at``, ``paid_amount``, and ``updated_at``
          (the change time the sync follows; named by ``updated_column``)

Times without an offset are in the source's ``timezone`` (WIB, WITA, WIT, UTC or an IANA name; default the
campus's); a MariaDB/MySQL source's session is set to that zone, so its TIMESTAMP columns (kept in UTC) read
right. ``date_formats`` (strptime) are tried before ``YYYY-MM-DD``, ``DD/MM/YYYY`` and ``DD-MM-YYYY``.

Master data, optional, from a database source's own queries read whole each sync: ``prodi_query`` (columns
``code``, and ``name``, ``jenjang``, ``jurusan``, ``fakultas``) and ``student_query`` (``nim``, and ``name``,
``prodi``, ``angkatan``). A programme code the bill rows give that neither names is created "from bills, name
unknown", for the admin to name; a bill's programme and intake year fall back to its student's.

A bill is identified by (key space, ``source_key``); the key space is the source's name, so the same
number in two sources is two bills, unless sources declare a shared ``key_space``. See docs/sources.md.

Example::

    [sources.bills.keuangan]
    url = "mysql+pymysql://pantau_baca@10.0.0.5/keuangan"
    query = '''SELECT no_tagihan AS source_key, jenis AS kind, nominal AS amount, no_va AS va_number,
               jatuh_tempo AS due_date, semester, nim, status_bayar AS paid, tgl_bayar AS paid_at,
               updated_at FROM tagihan'''
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pantau.banks import CODE as BANK_CODE
from pantau.recon.config import section_error
from pantau.settings import Settings

REQUIRED = ("source_key", "kind", "amount", "semester")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OPTIONAL = ("va_number", "va_bank", "due_date", "issued_on", "payer_name", "nim", "reg_no", "prodi", "angkatan", "paid",
            "paid_at", "paid_amount", "updated_at")


def bank_columns(names) -> list[str]:
    """The ``va_<bank>`` columns among ``names``, in their order: one VA per bank (``va_bni``, ``va_mandiri``)."""
    return [str(name) for name in names if str(name).startswith("va_") and str(name) not in OPTIONAL
            and BANK_CODE.match(str(name)[3:])]


class BillSource(BaseModel):
    """One bill source; ``name`` is filled from its key in the settings."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    key_space: str | None = None
    url: str | None = None
    query: str | None = None
    file: Path | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    prodi_query: str | None = None
    student_query: str | None = None
    updated_column: str = "updated_at"
    timezone: str | None = None
    date_formats: list[str] = Field(default_factory=list)
    interval_s: float = Field(300, gt=0)
    allow_empty: bool = False
    max_bad_percent: float = Field(5.0, ge=0, le=100)

    @model_validator(mode="after")
    def _one_kind(self) -> BillSource:
        if (self.url is None) == (self.file is None):
            raise ValueError("give either url (with query) or file")
        if self.url is not None and not (self.query or "").strip():
            raise ValueError("a database source needs a mapping query")
        if self.url is None and (self.prodi_query or self.student_query):
            raise ValueError("prodi_query and student_query need a database source (url)")
        if self.key_space is not None and not (IDENTIFIER.match(self.key_space) and len(self.key_space) <= 32):
            raise ValueError(f"key_space {self.key_space!r} is not a plain name of at most 32 characters")
        if not IDENTIFIER.match(self.updated_column):
            raise ValueError(f"updated_column {self.updated_column!r} is not a plain column name")
        if self.timezone is not None:
            self.timezone = _zone_name(self.timezone)
        for fmt in self.date_formats:
            if "%" not in fmt:
                raise ValueError(f"date_formats {fmt!r} is not a strptime format (e.g. '%d/%m/%Y')")
        unknown = sorted(set(self.columns) - set(REQUIRED) - set(OPTIONAL) - set(bank_columns(self.columns)))
        if unknown:
            raise ValueError(f"columns maps unknown fields {', '.join(unknown)}")
        return self

    @property
    def space(self) -> str:
        """The key space of the source's bill numbers: its own name unless it declares a shared one."""
        return self.key_space or self.name

    @property
    def is_database(self) -> bool:
        return self.url is not None

    def zone(self, default: str) -> str:
        """The zone of the source's times without an offset (an IANA name)."""
        return self.timezone or _zone_name(default)


ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura", "UTC": "UTC"}
"""Indonesia's three zones (and UTC) by the names campuses use."""


def _zone_name(name: str) -> str:
    zone = ZONES.get(name.strip().upper(), name.strip())
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone {name!r} is not WIB, WITA, WIT, UTC or an IANA zone such as "
                         "Asia/Makassar") from None
    return zone


def bill_sources(settings: Settings) -> dict[str, BillSource]:
    """Every ``[sources.bills.<name>]``, typed; ValueError naming the source and field if one is wrong."""
    found = {}
    for name, raw in (settings.sources.get("bills") or {}).items():
        try:
            found[name] = BillSource.model_validate({**raw, "name": name})
        except ValidationError as error:
            raise section_error(f"sources.bills.{name}", error) from None
    return found
