"""Bill kinds as data: what a campus bills for (registrasi, UKT, praktikum, wisuda, …) and their groups."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

KIND_ORIGINS = ("seed", "config", "admin")
"""Where a kind's current names and flags come from: the migration's list, ``[[bill_kinds]]``, the admin page."""


class BillKindGroup(Base):
    """A group of bill kinds (biaya pendidikan, penerimaan, layanan, denda), named in both languages."""

    __tablename__ = "bill_kind_groups"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))


class BillKind(Base):
    """A kind of bill: the code a source writes in its rows (``bills.kind``), its names, its group, whether it is
    billed each semester and whether payment tokens apply. The bill sync refuses a row whose kind is not an
    active kind here."""

    __tablename__ = "bill_kinds"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    group_code: Mapped[str] = mapped_column(ForeignKey("bill_kind_groups.code"))
    per_semester: Mapped[bool] = mapped_column(default=False)
    tokens_apply: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    origin: Mapped[str] = mapped_column(String(8), default="seed", server_default="seed")
