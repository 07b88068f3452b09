"""Alerts: one alert per condition, a lifecycle people act on, and delivery through apprise channels."""

from .lifecycle import (
    LIVE_STATES,
    AlertStateError,
    UnknownAlertError,
    acknowledge,
    clear_condition,
    enqueue_reminders,
    live_alert,
    raise_alert,
    resolve,
)
from .notifier import WORDS, DeliveryReport, Message, channels_for, compose, deliver_pending

__all__ = [
    "LIVE_STATES",
    "WORDS",
    "AlertStateError",
    "DeliveryReport",
    "Message",
    "UnknownAlertError",
    "acknowledge",
    "channels_for",
    "clear_condition",
    "compose",
    "deliver_pending",
    "enqueue_reminders",
    "live_alert",
    "raise_alert",
    "resolve",
]
