"""Study programmes, students and applicants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, UTCDateTime


class Prodi(Base):
    """A study programme: its code as the sources write it, name, jenjang (D3, D4, profesi, …), jurusan and
    fakultas. ``name_unknown``: created by a bill sync from a code its rows gave (the name is the code until
    the admin names it, or the source's ``prodi_query`` does); ``source`` names the source that created it."""

    __tablename__ = "prodi"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    jenjang: Mapped[str] = mapped_column(String(8))
    jurusan: Mapped[str] = mapped_column(String(120))
    fakultas: Mapped[str | None] = mapped_column(String(120))
    name_unknown: Mapped[bool] = mapped_column(default=False, server_default=false())
    source: Mapped[str | None] = mapped_column(String(32))


class Student(Base):
    __tablename__ = "students"
    __table_args__ = (Index(None, "prodi_id", "angkatan"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    nim: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    prodi_id: Mapped[int] = mapped_column(ForeignKey("prodi.id"))
    angkatan: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="aktif")
    email: Mapped[str | None] = mapped_column(String(120))


class Applicant(Base):
    """A calon pendaftar of an admission wave; arrival and token issue times drive token demand."""

    __tablename__ = "applicants"
    __table_args__ = (Index(None, "wave_id", "arrived_at"), Index(None, "wave_id", "channel", "arrived_at"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reg_no: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    wave_id: Mapped[int] = mapped_column(ForeignKey("admission_waves.id"))
    prodi_id: Mapped[int | None] = mapped_column(ForeignKey("prodi.id"))
    channel: Mapped[str] = mapped_column(String(24))
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    token_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
