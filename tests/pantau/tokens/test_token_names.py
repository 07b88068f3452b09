"""Token channels are named as people say them: a bank by its name, a word in the reader's language, or as
the configuration names them; never the code."""

from __future__ import annotations

from pantau.tokens import channel_name


def test_tname001_a_bank_channel_reads_as_the_bank():
    assert channel_name("bank-bni") == "Bank BNI"
    assert channel_name("bank-bri", "en") == "Bank BRI"
    assert channel_name("bank-bpd-jateng") == "Bank BPD JATENG"


def test_tname002_word_channels_are_translated():
    assert (channel_name("online", "id"), channel_name("online", "en")) == ("Daring", "Online")
    assert channel_name("loket", "id") == "Loket"


def test_tname003_the_configured_name_wins_and_other_codes_lose_their_hyphens():
    names = {"bank-bni": "BNI Cabang Surakarta"}
    assert channel_name("bank-bni", "id", names) == "BNI Cabang Surakarta"
    assert channel_name("pos_indonesia", "id", names) == "pos indonesia"
