"""Bahasa Indonesia by default, English on request, from gettext catalogues."""

from __future__ import annotations

from pantau.i18n import catalogue, normalise, translate


def test_i18n001_indonesian_words_from_ui_md():
    assert translate("Log in", "id") == "Masuk"
    assert translate("Not authorised", "id") == "Tidak berwenang"
    assert translate("Unreachable (parent down)", "id") == "Tidak terjangkau (induk mati)"


def test_i18n002_english_is_the_message_id_and_placeholders_fill():
    assert translate("Log in", "en") == "Log in"
    assert translate("Data last updated {when}", "id", when="22 Nov 2026") == "Data terakhir diperbarui 22 Nov 2026"


def test_i18n003_unknown_language_falls_back_to_indonesian():
    assert normalise("fr") == "id" and normalise("en") == "en"


def test_i18n004_every_catalogue_entry_is_translated():
    assert all(value.strip() for value in catalogue("id").values())
    assert len(catalogue("id")) > 50
