"""The public status page: its settings and what the administrator and the IT head publish on it."""

from .config import StatusSettings, status_settings
from .publish import PublishError, post_incident, post_update, publish_service

__all__ = ["PublishError", "StatusSettings", "post_incident", "post_update", "publish_service", "status_settings"]
