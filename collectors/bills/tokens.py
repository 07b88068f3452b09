"""The ``token-stock`` collector: tell the bendahara before an admission wave's payment tokens run
out, and loudly when they have while applicants are still arriving."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from collectors.base import Collector, CollectorResult
from collectors.registry import register
from pantau import formatting
from pantau.alerts import LIVE_STATES, clear_condition, raise_alert
from pantau.alerts.texts import Words
from pantau.db import session_scope
from pantau.i18n import translate
from pantau.models import Alert, utcnow
from pantau.tokens import TokenSettings, channel_name, token_settings
from queries.tokens import status

SOURCE = "token-stock"
PAGE = "/token"


def check_stock(engine, config: TokenSettings, *, zone: str, language: str, now: datetime | None = None) -> int:
    """Raise or clear the alerts of every open wave and channel; returns how many conditions hold.

    ``tokens-low:<wave>:<channel>``: the forecast stock-out falls within ``alert_days`` before the
    wave closes, or the stock is below ``low_stock``. ``tokens-out:<wave>:<channel>``: no stock
    left while applicants arrived within ``arriving_hours``. Alerts of waves no longer open clear.
    """
    now = now or utcnow()
    rows = status(engine, now=now, zone=zone, window_days=config.window_days, level=config.interval_level,
                  arriving_hours=config.arriving_hours)
    wanted: dict[str, tuple[str, Words]] = {}
    for row in rows.itertuples(index=False):
        if row.stock <= 0 and row.waiting > 0:
            wanted[f"tokens-out:{row.wave}:{row.channel}"] = ("critical", lambda lang, row=row: (
                translate("Payment tokens of {wave} ({channel}) are gone while applicants arrive", lang,
                          **_names(row, lang, config)),
                translate("{waiting} applicants arrived without a token. Record a top-up.", lang,
                          waiting=formatting.number(row.waiting, lang))))
        elif _running_low(row, config):
            wanted[f"tokens-low:{row.wave}:{row.channel}"] = ("warning", lambda lang, row=row: (
                translate("Payment tokens of {wave} ({channel}) are running low", lang, **_names(row, lang, config)),
                _forecast_words(row, lang)))
    with session_scope(engine) as session:
        for key, (severity, words) in wanted.items():
            raise_alert(session, dedup_key=key, source=SOURCE, role="bendahara", severity=severity, words=words,
                        lang=language, link=PAGE, now=now)
        live = session.scalars(select(Alert.dedup_key).where(Alert.source == SOURCE, Alert.state.in_(LIVE_STATES)))
        for key in set(live) - set(wanted):
            clear_condition(session, key, note=translate("Token stock is sufficient again.", language), now=now)
    return len(wanted)


def _names(row, lang: str, config: TokenSettings) -> dict[str, str]:
    """What a token alert names: the wave, its channel and the stock left."""
    return {"wave": row.name or row.wave, "channel": channel_name(row.channel, lang, config.channel_names),
            "stock": formatting.number(row.stock, lang)}


def _running_low(row, config: TokenSettings) -> bool:
    if row.stock < config.low_stock:
        return True
    if row.days_left is None:
        return False
    before_close = row.stockout_on is not None and row.stockout_on <= row.closes_on
    return row.days_left <= config.alert_days and before_close


def _forecast_words(row, language: str) -> str:
    if row.days_left is None:
        return translate("{stock} tokens left.", language, stock=formatting.number(row.stock, language))
    return translate(
        "{stock} tokens left; at about {demand} applicants a day they run out in {days} days ({low}–{high}).",
        language, stock=formatting.number(row.stock, language),
        demand=formatting.number(row.demand, language, decimals=1),
        days=formatting.number(row.days_left, language, decimals=1),
        low=formatting.number(row.low, language, decimals=1), high=formatting.number(row.high, language, decimals=1),
    )


@register
class TokenStockCollector(Collector):
    """Every ``[tokens] every_s``: forecast each open wave's stock and alert the bendahara."""

    name = "token-stock"

    @property
    def interval_s(self) -> float:
        return token_settings(self.settings).every_s

    def run(self) -> CollectorResult:
        held = check_stock(self.engine, token_settings(self.settings), zone=self.settings.timezone,
                           language=self.settings.language)
        return CollectorResult(held, f"{held} token conditions need the bendahara")
