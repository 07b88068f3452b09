"""SOPs in the campus's own name: the built-in SOPs were transcribed from other institutions' documents
("Pengelolaan Akun Layanan Berbasis Digital di Politeknik Ilmu Pemasyarakatan"); wherever Pantau shows them, the
name of the institution a document came from reads as the campus's configured name (`institution` setting)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel

from .models import Sop


def for_campus(sop: Sop, institution: str) -> Sop:
    """`sop` with every mention of the institution its document names replaced by `institution`; unchanged when
    either is empty or they are the same."""
    theirs, ours = sop.institution.strip(), institution.strip()
    if not theirs or not ours or theirs == ours:
        return sop
    return _replaced(sop, theirs, ours)


def catalogue_for_campus(catalogue: dict[str, Sop], institution: str) -> dict[str, Sop]:
    """Each SOP of `catalogue` in the campus's name."""
    return {code: for_campus(sop, institution) for code, sop in catalogue.items()}


def _replaced(value: Any, theirs: str, ours: str) -> Any:
    """`value` with `theirs` replaced in every string it holds (models copied as they are, not validated again)."""
    if isinstance(value, str) and not isinstance(value, Enum):
        return value.replace(theirs, ours)
    if isinstance(value, BaseModel):
        changes = {name: _replaced(getattr(value, name), theirs, ours) for name in type(value).model_fields}
        return value.model_copy(update=changes)
    if isinstance(value, list | tuple):
        return type(value)(_replaced(item, theirs, ours) for item in value)
    return value
