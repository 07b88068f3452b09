"""The register of digital service accounts and the webservice accounts with their one-year validity.

Accounts registered through the AKUN SOP's first flow join older entries of the register; every
webservice request whose account was created gets an account valid for one year from its creation.
Most are used until they expire, some expire within 30 days of `now`, and a few were still used
after they had expired.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from dateutil.relativedelta import relativedelta

from app.demo import casedata as data
from app.demo.context import DemoContext, person_names
from app.demo.workflow import Planned
from pantau.models import DigitalAccount, WebserviceAccount

VALIDITY = relativedelta(years=1)
DAY_S = 86_400


def valid_until(created: datetime) -> datetime:
    """When a webservice account created at `created` expires: one calendar year later."""
    return created + VALIDITY


def generate(ctx: DemoContext, planned: Planned) -> None:
    """Write the digital-account register and the webservice accounts."""
    rng = ctx.rng("accounts")
    _digital(ctx, rng, planned)
    _webservice(ctx, rng, planned)


def _digital(ctx: DemoContext, rng: np.random.Generator, planned: Planned) -> None:
    now_s = int(ctx.now64.astype(np.int64))
    legacy = ctx.scale.legacy_digital_accounts
    services = list(rng.choice(data.SERVICES, legacy))
    names = [data.account_name(service, 100 + i) for i, service in enumerate(services)]
    custodians = person_names(rng, legacy, 0.6).tolist()
    registered = list(now_s - rng.integers(400 * DAY_S, 4 * 365 * DAY_S, legacy))
    for ref, when in sorted(planned.akun_registered.items()):
        attrs = planned.attrs[("AKUN", ref)]
        services.append(attrs["service"])
        names.append(attrs["account_name"])
        custodians.append(attrs["requester"])
        registered.append(when)
    count = len(services)
    ctx.writer.insert(DigitalAccount.__table__, {
        "service": services,
        "account_name": names,
        "custodian": custodians,
        "unit": rng.choice(["Sub Bagian Administrasi Akademik", "UPT TIK", "Humas", "Perpustakaan"], count),
        "registered_at": np.array(registered, dtype=np.int64).astype("datetime64[s]"),
        "status": np.where(rng.random(count) < 0.9, "aktif", "nonaktif"),
    }, step="accounts")


def _webservice(ctx: DemoContext, rng: np.random.Generator, planned: Planned) -> None:
    now_s = int(ctx.now64.astype(np.int64))
    refs = sorted(planned.ws_created)
    created = [datetime.fromtimestamp(planned.ws_created[ref], UTC) for ref in refs]
    until = [valid_until(moment) for moment in created]
    until_s = np.array([int(moment.timestamp()) for moment in until], dtype=np.int64)
    created_s = np.array([planned.ws_created[ref] for ref in refs], dtype=np.int64)
    count = len(refs)
    expired = until_s <= now_s
    used_after = np.zeros(count, bool)
    late = np.flatnonzero(expired & (until_s < now_s - DAY_S))
    if len(late):
        used_after[rng.choice(late, max(1, len(late) // 12), replace=False)] = True
    recent = now_s - rng.integers(600, 10 * DAY_S, count)
    before_expiry = until_s - rng.integers(DAY_S, 60 * DAY_S, count)
    after_expiry = until_s + (rng.random(count) * np.minimum(30 * DAY_S, now_s - until_s)).astype(np.int64) + 600
    last_used = np.where(expired, np.where(used_after, after_expiry, before_expiry), recent)
    last_used = np.where(last_used > created_s, last_used, created_s + 3600)
    last_used = np.where(~expired & (rng.random(count) < 0.15), np.iinfo(np.int64).min, last_used)
    attrs = [planned.attrs[("WS", ref)] for ref in refs]
    ctx.writer.insert(WebserviceAccount.__table__, {
        "unit": [a["unit"] for a in attrs],
        "contact_name": [a["contact"] for a in attrs],
        "nip": [a["nip"] for a in attrs],
        "phone": [a["phone"] for a in attrs],
        "email": [a["email"] for a in attrs],
        "data_scope": [a["data_scope"] for a in attrs],
        "created_at": created_s.astype("datetime64[s]"),
        "valid_until": until_s.astype("datetime64[s]"),
        "last_used_at": last_used.view("datetime64[s]"),
    }, step="accounts")
