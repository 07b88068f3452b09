"""What follows a demo's generation (`pantau demo`, `pantau run`, the page benchmarks): its cases measured
against their SOPs, its bank feed reconciled with the queue's history replayed, its KTM photo folder checked
and its status page published, so every page is populated on first view."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext

from rich.console import Console
from sqlalchemy import Engine

from pantau.settings import Settings

console = Console(width=None if sys.stdout.isatty() else 160)


def settle_demo(store: Engine, config: Settings, say: Callable[[str], None] | None = None) -> None:
    """Settle a freshly seeded demo; each result is a line for `say` (printed, with a spinner, by default).
    Its bank feed is reconciled with the demo's ``[banks]`` unless ``config`` gives its own."""
    from app.demo.bank import with_banks
    from app.demo.casehistory import replay_cases
    from pantau.models import utcnow
    from pantau.recon import reconcile
    from pantau.recon.config import recon_settings
    from pantau.sla.engine import evaluate_pending

    config = with_banks(config)
    quiet = say is not None
    say = say or console.print

    def status(text: str):
        return nullcontext() if quiet else console.status(text)

    with status("Measuring the demo cases against their SOPs…"):
        evaluation = evaluate_pending(store, config)
    say(f"SLA: {evaluation.cases:,} cases measured in {evaluation.seconds:,.1f} s.")
    with status("Reconciling the demo bank feed…"):
        run = reconcile(store, config)
        recon = recon_settings(config)
        history = replay_cases(store, now=utcnow(), due_hours=recon.case_due_hours, lag_hours=recon.bank_lag_hours)
    say(f"Reconciliation: {sum(run.bills.values()):,} bills and {sum(run.credits.values()):,} credits in "
        f"{run.seconds:,.1f} s; {history['dated']:,} cases, {history['resolved']:,} already resolved.")
    say(f"KTM photos: {_check_photos(store, config)}.")
    say(f"Bank balance chains: {_check_chains(store, config)} gap(s); H2H stall alerts: "
        f"{_check_stalls(store, config)} (raised in working time only).")
    say(f"TLS certificates: {_check_certificates(store, config)} alert(s).")
    say(f"Public status page: {_publish_status(store, config)}.")


def _publish_status(store: Engine, config: Settings) -> str:
    """Publish the demo's status page as an administrator would (services, a past incident, a maintenance)."""
    from app.demo.statuspage import publish_demo_status
    from pantau.models import utcnow
    from pantau.statuspage import status_settings

    try:
        days = status_settings(config).incident_days
    except ValueError:
        days = 30
    return publish_demo_status(store, config.timezone, utcnow(), days)


def _check_certificates(store: Engine, config: Settings) -> int:
    """Alert on the demo's certificate readings as the monitors collector would after a round."""
    from collectors.monitors import monitoring_settings
    from collectors.monitors.certificates import certificate_alerts

    stages = certificate_alerts(store, limit_days=monitoring_settings(config).cert_alert_days,
                                lang=config.language, zone=config.timezone)
    return sum(1 for stage in stages.values() if stage)


def _check_chains(store: Engine, config: Settings) -> int:
    from collectors.bankstore import check_chains

    return check_chains(store, config.language)


def _check_stalls(store: Engine, config: Settings) -> int:
    from collectors.bankstore.stall import check

    return check(store, config)


def _check_photos(store: Engine, config: Settings) -> str:
    """Write the demo's photo folder under the data directory and check it once, as `ktm-photos` would if
    `[ktm] photo_dir` named it."""
    from app.demo.photos import write_photo_folder
    from collectors.ktm_photos import KtmPhotosCollector

    folder = config.data_dir / "demo-ktm-photos"
    write_photo_folder(store, folder)
    pointed = config.model_copy(update={"ktm": {**config.ktm, "photo_dir": str(folder)}})
    return KtmPhotosCollector(pointed, store).run().message
