"""Alerts: one alert per condition, a lifecycle people act on, and delivery through apprise channels."""

from .audience import Audience, audience, sees, where_visible
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
from .notifier import WORDS, DeliveryReport, Message, channels_for, channels_for_alert, compose, deliver_pending

__all__ = [
    "LIVE_STATES",
    "WORDS",
    "AlertStateError",
    "Audience",
    "DeliveryReport",
    "Message",
    "ReminderWaitingError",
    "UnknownAlertError",
    "acknowledge",
    "audience",
    "channels_for",
    "channels_for_alert",
    "clear_condition",
    "compose",
    "deliver_pending",
    "enqueue_reminders",
    "live_alert",
    "raise_alert",
    "remind",
    "resolve",
    "sees",
    "where_visible",
]
