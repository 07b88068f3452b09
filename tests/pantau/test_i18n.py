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


def test_i18n005_a_refusals_values_are_said_in_the_readers_language_too():
    """A refusal's field name (`Word`), quantity (`Count`) and date read in the page's language; `str()` stays
    English for logs."""
    from datetime import date

    from pantau.i18n import Count, Refusal, Word

    refusal = Refusal("{field} is longer than {limit} characters", field=Word("Public label"), limit=Count(1200))
    assert refusal.say("id") == "Label publik lebih dari 1.200 karakter"
    assert refusal.say("en") == str(refusal) == "Public label is longer than 1,200 characters"
    dated = Refusal("the new deadline {new} is not after the current one, {current}", new=date(2026, 11, 2),
                    current=date(2026, 11, 22))
    assert dated.say("id") == "batas waktu yang baru, 2 Nov 2026, tidak sesudah batas waktu sekarang, 22 Nov 2026"
    assert str(dated) == "the new deadline 2 Nov 2026 is not after the current one, 22 Nov 2026"
