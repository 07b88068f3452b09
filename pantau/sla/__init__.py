"""The SLA engine: every step of every SOP case measured against its standard time.

`pantau.sla.engine` evaluates cases into `step_results` and keeps the monthly and half-yearly
aggregates the page and the report read; `pantau.alerts.sla` raises alerts for open steps at risk
or breached. This package's own import stays light (settings import `pantau.sla.config`).
"""
