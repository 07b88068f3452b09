"""The Dash web app: factory, authentication, the shell and one module per page."""

from .app import create_app

__all__ = ["create_app"]
