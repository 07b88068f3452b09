"""Alerts: one alert per condition, a lifecycle people act on, and delivery through apprise channels."""

from .lifecycle import (
    LIVE_STATES,
    AlertStateError,
    ReminderWaitingError,
    UnknownAlertError,
    acknowledge,
    clear_condition,
    enqueue_reminders,
    live_alert,
    raise_alert,
    remind,
    resolve,
)
from .notifier import WORDS, DeliveryReport, Message, channels_for, compose, deliver_pending

__all__ = [
    "LIVE_STATES",
    "WORDS",
    "AlertStateError",
    "DeliveryReport",
    "Message",
    "ReminderWaitingError",
    "UnknownAlertError",
    "acknowledge",
    "channels_for",
    "clear_condition",
    "compose",
    "deliver_pending",
    "enqueue_reminders",
    "live_alert",
    "raise_alert",
    "remind",
    "resolve",
]
