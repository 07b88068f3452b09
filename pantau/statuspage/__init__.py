"""The public status page: its settings and what the administrator and the IT head publish on it."""

from .config import StatusSettings, status_settings
from .publish import PublishError, edit_update, post_incident, post_update, publish_service, withdraw_update

__all__ = ["PublishError", "StatusSettings", "edit_update", "post_incident", "post_update", "publish_service",
           "status_settings", "withdraw_update"]
