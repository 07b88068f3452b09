"""What a reader calls an SOP (issue 19): its code and a short title, one label wherever one is named."""

from __future__ import annotations

from pantau.settings import Settings
from pantau.sla.context import sla_context
from pantau.sops.names import SHORT_MAX, short_title, sop_label, sop_labels


def test_sopname001_every_shipped_sop_has_its_code_and_a_short_title():
    catalogue = sla_context(Settings()).catalogue
    assert sop_labels(catalogue) == {
        "AKUN": "AKUN · Akun Layanan Digital", "H2H": "H2H · Pembayaran Mahasiswa",
        "KSO": "KSO · Peningkatan Kompetensi SDMK", "KTM": "KTM · Pembuatan KTM", "WS": "WS · Pengelolaan Webservice"}
    assert sop_label("LAMA", catalogue) == "LAMA", "a code no longer in the catalogue is shown as it is"


def test_sopname002_without_a_short_name_the_name_is_cut_at_a_word():
    sop = sla_context(Settings()).catalogue["KSO"].model_copy(update={"short_name": None})
    title = short_title(sop)
    assert title.endswith("…") and len(title) <= SHORT_MAX and sop.name.startswith(title[:-1])
    assert sop.name[len(title) - 1] == " ", "cut between words"
    short = sop.model_copy(update={"name": "Layanan Singkat"})
    assert short_title(short) == "Layanan Singkat"
