"""The `[accounts]` section: when webservice accounts (WS SOP, valid one year) are warned about, to whom,
and whose contacts are e-mailed. Read by the `accounts-expiry` collector and the accounts page."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pantau.settings import Role, Settings


class AccountSettings(BaseModel):
    """The `[accounts]` section.

    `contact_mail_url` is an apprise e-mail URL (e.g. `mailtos://user:pass@smtp.kampus.ac.id?from=pantau@kampus.ac.id`);
    the contact's address is added as its `to`. Without it, contacts are not e-mailed. `contact_units`
    limits the e-mails to these requesting units (every unit when empty).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    expiry_warning_days: int = Field(30, ge=1, le=365)
    every_s: int = Field(3600, ge=60)
    role: Role = "kepala_it"
    contact_mail_url: str | None = None
    contact_units: list[str] = Field(default_factory=list)

    @property
    def warning(self) -> timedelta:
        return timedelta(days=self.expiry_warning_days)

    def mails(self, unit: str) -> bool:
        """Whether the contact of a requesting unit is e-mailed."""
        wanted = {name.strip().casefold() for name in self.contact_units}
        return bool(self.contact_mail_url) and (not wanted or unit.strip().casefold() in wanted)


def account_settings(settings: Settings) -> AccountSettings:
    """The typed `[accounts]` section; ValueError names the field that is wrong."""
    try:
        return AccountSettings.model_validate(settings.accounts)
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "(section)"
        raise ValueError(f"[accounts] field {name}: {first['msg']} (got {first['input']!r})") from None
