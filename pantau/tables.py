"""The store's tables named in words (issue 19): what `pantau demo` wrote and `pantau store copy` copied, in
the reader's language rather than as table names; the table's name when it has no words here."""

from __future__ import annotations

from .i18n import translate

WORDS = {
    "prodi": "study programmes", "students": "students", "applicants": "applicants",
    "bill_kind_groups": "bill kind groups", "bill_kinds": "bill kinds", "bills": "bills", "bill_vas": "bills' VAs",
    "bill_states": "bill states", "bill_quarantine": "bill rows set aside", "bill_rollups": "bill totals",
    "payments": "payments", "bank_imports": "bank files", "bank_statements": "bank statements",
    "bank_transactions": "bank entries", "credit_states": "bank credit states", "recon_results": "reconciliation "
    "results", "recon_summary": "reconciliation summaries", "recon_cases": "reconciliation cases",
    "admission_waves": "admission waves", "token_movements": "token movements",
    "payment_extensions": "payment-period extensions", "monitors": "monitors", "probe_samples": "probe results",
    "rollup_minute": "availability per minute", "rollup_hour": "availability per hour",
    "rollup_day": "availability per day", "incidents": "incidents", "maintenance_windows": "maintenance windows",
    "host_metrics": "server readings", "sop_cases": "SOP cases", "step_events": "step events",
    "step_results": "step results", "sla_monthly": "SLA compliance per month", "sla_performers": "SLA per performer",
    "sla_quantiles": "step durations", "sla_fingerprints": "SLA fingerprints", "sop_versions": "SOP versions",
    "ktm_photo_checks": "KTM photo checks", "ktm_intakes": "KTM intakes", "ktm_stages": "KTM stages",
    "digital_accounts": "digital accounts", "webservice_accounts": "webservice accounts", "users": "users",
    "api_tokens": "API tokens", "audit_log": "audit log entries", "collector_runs": "collector runs",
    "collector_lease": "collector lease", "source_status": "source statuses", "status_services": "status page "
    "services", "status_incidents": "status page incidents", "status_updates": "status page updates",
    "alerts": "alerts", "alert_deliveries": "alert deliveries", "alembic_version": "schema version",
}


def table_words(table: str, lang: str) -> str:
    """What a table (or a demo step, named in English) holds, in `lang` ('tagihan', 'mutasi bank'); the name
    itself when it has no words."""
    return translate(WORDS.get(table, table), lang)
