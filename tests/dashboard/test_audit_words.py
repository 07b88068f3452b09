"""The audit log's details and targets in words: every key an audited action writes has its words, a change
reads `before → after`, and a whole subject reads as its name."""

from __future__ import annotations

import ast
from pathlib import Path

from dashboard.components.audit_words import FIELDS, HIDDEN, detail_words, target_words
from pantau.i18n import translate

ROOT = Path(__file__).resolve().parents[2]


def say(lang: str):
    return lambda text: translate(text, lang)


def audited_keys() -> set[str]:
    """The literal keys of every `audit.record(…)` call's details, and the fields the master-data edits change."""
    keys = {"name", "jenjang", "jurusan", "fakultas", "name_id", "name_en", "group_code", "per_semester",
            "tokens_apply", "active", "started_at", "completed_at", "performer", "outcome", "channel"}
    for package in ("pantau", "collectors", "dashboard", "app"):
        for source in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "record"
                        and getattr(getattr(node.func, "value", None), "id", None) == "audit"):
                    keys |= {key.value for sub in ast.walk(node) if isinstance(sub, ast.Dict)
                             for key in sub.keys if isinstance(key, ast.Constant)}
    return keys


def test_auditw001_every_audited_detail_key_has_words():
    assert audited_keys() - HIDDEN - set(FIELDS) == set()


def test_auditw002_details_read_as_words_in_both_languages():
    detail = {"label": "Portal PMB", "label_en": "Admissions portal", "published": True,
              "performer": ["budi", "sari"], "fakultas": "None -> Kesehatan", "scope": "user+address"}
    assert detail_words(detail, say("id")) == ("Label publik: Portal PMB; Label bahasa Inggris: Admissions portal; "
                                               "Tampil di halaman publik: ya; Pelaksana: budi → sari; "
                                               "Fakultas (bila ada): – → Kesehatan; "
                                               "Dihitung per: nama pengguna dan alamat")
    assert detail_words({"published": False, "read": 12}, say("en")) == "Shown on the public page: no; Rows read: 12"


def test_auditw003_a_whole_subject_target_reads_as_its_name():
    assert target_words("bill_kinds", say("id")) == "Jenis tagihan"
    assert target_words("bill_kinds", say("en")) == "Bill kinds"
