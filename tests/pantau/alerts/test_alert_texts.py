"""An alert raised with words is kept in every language of the pages: its title and body are the installation's
language (what its messages say), and each reader reads it in their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pantau.alerts import raise_alert
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import Alert
from queries.alerts import list_alerts

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def down(monitor: str, minutes: int):
    return lambda lang: (translate("{monitor} is down", lang, monitor=monitor),
                         translate("Recovered after {duration}.", lang, duration=f"{minutes}"))


def raise_down(store, *, level: int = 0, minutes: int = 3, now=T0, lang: str = "id"):
    with session_scope(store) as session:
        alert, _ = raise_alert(session, dedup_key="monitor:h2h:down", source="monitors", role="kepala_it",
                               words=down("Server H2H", minutes), lang=lang, level=level, now=now)
        return alert.id


def test_atext001_the_title_is_the_installations_language_and_every_language_is_kept(store):
    alert_id = raise_down(store)
    with session_scope(store) as session:
        alert = session.get(Alert, alert_id)
        assert (alert.title, alert.body) == ("Server H2H mati", "Pulih setelah 3.")
        assert alert.texts == {"id": ["Server H2H mati", "Pulih setelah 3."],
                               "en": ["Server H2H is down", "Recovered after 3."]}


def test_atext002_each_reader_reads_the_alert_in_their_language(store):
    raise_down(store)
    english = list_alerts(store, audience=None, states=["open"], lang="en")
    indonesian = list_alerts(store, audience=None, states=["open"], lang="id")
    assert list(english["title"]) == ["Server H2H is down"] and list(english["body"]) == ["Recovered after 3."]
    assert list(indonesian["title"]) == ["Server H2H mati"]
    assert "texts" not in english.columns


def test_atext003_seen_again_and_escalated_the_words_follow_in_every_language(store):
    raise_down(store, minutes=3)
    raise_down(store, minutes=9, now=T0 + timedelta(minutes=6))
    assert list(list_alerts(store, audience=None, states=["open"], lang="en")["body"]) == ["Recovered after 9."]
    raise_down(store, minutes=12, level=2, now=T0 + timedelta(minutes=9))
    with session_scope(store) as session:
        alert = session.query(Alert).one()
        assert (alert.level, alert.body, alert.texts["en"][1]) == (2, "Pulih setelah 12.", "Recovered after 12.")


def test_atext004_an_alert_raised_as_plain_text_reads_as_written_in_every_language(store):
    with session_scope(store) as session:
        raise_alert(session, dedup_key="test", source="test", role="admin", title="Tulisan tangan", body="isi", now=T0)
    assert list(list_alerts(store, audience=None, states=["open"], lang="en")["title"]) == ["Tulisan tangan"]


def test_atext005_a_title_longer_than_the_store_keeps_is_cut_in_every_language(store):
    raise_down(store)
    with session_scope(store) as session:
        raise_alert(session, dedup_key="long", source="test", role="admin", now=T0,
                    words=lambda lang: ("x" * 300 if lang == "en" else "y" * 300, ""))
        alert = session.query(Alert).filter_by(dedup_key="long").one()
        assert len(alert.title) == len(alert.texts["en"][0]) == len(alert.texts["id"][0]) == 200
