"""Words for the groups of bills in the reader's language: bill kinds and kind groups by their names (never
their codes), study programmes by name, and missing values counted and said ("Prodi tidak diketahui
(12 tagihan)"), never a blank or "(kosong)" bar."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from pantau import formatting
from pantau.i18n import translate
from pantau.models import BillKind, BillKindGroup, Prodi

from .frames import read_frame

UNKNOWN = {
    "kind": "Bill kind unknown ({count} bills)", "kind_group": "Bill kind group unknown ({count} bills)",
    "prodi": "Study programme unknown ({count} bills)", "angkatan": "Intake year unknown ({count} bills)",
    "semester": "Semester unknown ({count} bills)",
}


def kinds(engine: Engine, lang: str) -> pd.DataFrame:
    """Every bill kind: ``code, name, group, group_name`` (names in ``lang``)."""
    english = lang == "en"
    return read_frame(engine, select(
        BillKind.code, (BillKind.name_en if english else BillKind.name_id).label("name"),
        BillKind.group_code.label("group"),
        (BillKindGroup.name_en if english else BillKindGroup.name_id).label("group_name"),
    ).join(BillKindGroup, BillKindGroup.code == BillKind.group_code).order_by(BillKind.code))


def kind_names(engine: Engine, lang: str) -> dict[str, str]:
    """Kind code -> its name in ``lang``."""
    frame = kinds(engine, lang)
    return dict(zip(frame["code"], frame["name"]))


def prodi_names(engine: Engine, lang: str) -> dict[int, str]:
    """Programme id -> ``name`` (``code (name unknown)`` for one created from bills and not yet named)."""
    frame = read_frame(engine, select(Prodi.id, Prodi.code, Prodi.name, Prodi.name_unknown))
    return {int(row.id): translate("{code} (name unknown)", lang, code=row.code) if row.name_unknown else row.name
            for row in frame.itertuples()}


def unknown(by: str, count: int, lang: str) -> str:
    """The label of the bills whose ``by`` is missing, with how many they are."""
    return translate(UNKNOWN[by], lang, count=formatting.number(int(count), lang))
