"""Payment tokens: stock per admission wave and channel, top-ups, payment-period extensions, and the
forecast of the day the stock runs out."""

from .config import TokenSettings, token_settings
from .forecast import Forecast, forecast
from .names import channel_name
from .stock import MANAGERS, TokenError, channels, record_extension, record_topup

__all__ = [
    "MANAGERS",
    "Forecast",
    "TokenError",
    "TokenSettings",
    "channel_name",
    "channels",
    "forecast",
    "record_extension",
    "record_topup",
    "token_settings",
]
