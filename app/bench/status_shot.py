"""A phone-width (400 px) screenshot of /status during a simulated outage, taken with headless Chromium.

`python -m app.bench.status_shot docs/screenshots/status-outage.png` builds a store of its own: five monitors
with 90 days of history, published under public labels; the BNI link down for the last 40 minutes with an
incident post and two notes, maintenance announced in three days, and a wave's payment period with its
extension; then serves the app on loopback and saves the page.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from pantau import migrate
from pantau.db import make_engine, session_scope
from pantau.models import AdmissionWave, Incident, MaintenanceWindow, Monitor, PaymentPeriodExtension
from pantau.models.billing import BillRollup
from pantau.settings import Settings
from pantau.statuspage import post_incident, post_update, publish_service

from .server_history import write_history
from .web import chromium, serving

LABELS = (("Server pembayaran", "Payment server"), ("Pembayaran VA BNI", "BNI VA payments"),
          ("Pembayaran VA BRI", "BRI VA payments"), ("Layanan KTM elektronik", "Electronic student card service"),
          ("Portal pendaftaran (PMB)", "Admissions portal"))


def build(engine, now: datetime) -> None:
    write_history(engine, monitors=len(LABELS), days=90, interval_s=60, now=now)
    with session_scope(engine) as session:
        ids = session.scalars(select(Monitor.id).order_by(Monitor.id)).all()
        session.execute(update(Monitor).values(status="up"))
        bni = ids[1]
        session.execute(update(Monitor).where(Monitor.id == bni).values(status="down",
                                                                         status_since=now - timedelta(minutes=40)))
        for position, (monitor_id, (label, label_en)) in enumerate(zip(ids, LABELS)):
            publish_service(session, monitor_id=monitor_id, label=label, label_en=label_en, position=position,
                            actor="admin")
        incident = Incident(monitor_id=bni, kind="down", started_at=now - timedelta(minutes=40))
        session.add(incident)
        session.add(MaintenanceWindow(monitor_id=ids[0], starts_at=now + timedelta(days=3, hours=2),
                                      ends_at=now + timedelta(days=3, hours=4)))
        wave = AdmissionWave(code="G2", name="Gelombang 2", year=2026, opens_on=date(2026, 10, 1),
                             closes_on=date(2026, 12, 31), payment_deadline=date(2026, 12, 12))
        session.add(wave)
        session.flush()
        session.add(PaymentPeriodExtension(wave_id=wave.id, previous_deadline=date(2026, 12, 5),
                                           new_deadline=date(2026, 12, 12), recorded_by="bendahara",
                                           recorded_at=now - timedelta(days=2)))
        session.add(BillRollup(semester="20261", kind="herregistrasi", due_date=date(2026, 12, 12),
                               app_state="unpaid", recon_state="unpaid", bills=10, billed=10, paid=0, received=0))
        post = post_incident(session, incident_id=incident.id, title="Pembayaran lewat VA BNI gagal",
                             state="investigating", actor="kepala_it",
                             note="Pembayaran VA BNI sedang tidak dapat diproses. Jangan membayar ulang; "
                                  "pembayaran yang sudah dilakukan tetap tercatat.")
        post_update(session, status_incident_id=post.id, state="identified", actor="admin",
                    note="Sambungan ke bank terputus di sisi bank; BNI sedang memperbaikinya.")


def shoot(target: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pantau-status-shot-"))
    engine = make_engine(f"sqlite:///{folder / 'status.db'}")
    migrate.upgrade(engine)
    build(engine, datetime.now(UTC).replace(microsecond=0))
    settings = Settings(data_dir=folder, database_url=str(engine.url), institution="Politeknik Kesehatan Pantau")
    with serving(settings, engine) as url, chromium() as browser:
        browser.set_window_size(400, 900)
        browser.get(f"{url}/status")
        time.sleep(0.5)
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(400, height + 120)
        time.sleep(0.3)
        target.parent.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(target))
    engine.dispose()


if __name__ == "__main__":
    shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/status-outage.png"))
