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
from .message import Message, absolute, compose
from .notifier import DeliveryReport, channels_for, channels_for_alert, deliver_pending, has_unsent

__all__ = [
    "LIVE_STATES",
    "AlertStateError",
    "Audience",
    "DeliveryReport",
    "Message",
    "ReminderWaitingError",
    "UnknownAlertError",
    "absolute",
    "acknowledge",
    "audience",
    "channels_for",
    "channels_for_alert",
    "clear_condition",
    "compose",
    "deliver_pending",
    "enqueue_reminders",
    "has_unsent",
    "live_alert",
    "raise_alert",
    "remind",
    "resolve",
    "sees",
    "where_visible",
]
