"""What `pantau collect` prints, in the configured language (issue 19, words).

The collectors keep their run's message in English: it goes to the operator's log file, to `collector_runs` and
to the source's status, where the operator reads it beside the log. Printed on the terminal (`pantau collect
--once`'s table, the lease lines of `pantau collect`), it is said in the configured language: a message is cut at
its '; ' into parts, and each part is found among the templates the collectors make their messages from. A
failed run's error (the exception's text) stays as it was raised.
"""

from __future__ import annotations

from pantau.phrases import Phrases

MESSAGES = Phrases(
    # alert-delivery
    "{reminders} reminders queued",
    "{sent} sent, {failed} failed, {unrouted} without a channel (roles {roles}: set alerts.channels)",
    "{sent} sent, {failed} failed, {unrouted} without a channel",
    # bills, tokens
    "no bill source configured ([sources.bills.<name>])",
    "{source}: {read} read, {written} written, {deleted} deleted, {aside} set aside",
    "{source}: {read} read, {written} written, {deleted} deleted",
    "{held} token conditions need the bendahara",
    # agents, KTM
    "every agent pushes", "silent agents: {agents}",
    "intakes counted: none changed", "intakes counted: {intakes}",
    "no photo folder configured ([ktm] photo_dir)", "no intake to check: no KTM cases and no students",
    "intake {intake}: {students} students, {photos} files",
    "{missing} missing, {extra} extra, {mismatched} mismatched", "{alerts} batches blocked",
    # workflow events, SLA
    "no sources configured",
    "{source}: {stored} new events of {received}, {skipped} rows skipped ({first})",
    "{source}: {stored} new events of {received}",
    "{cases} cases measured ({steps} steps)", "alerts: {raised} raised, {cleared} cleared, {live} live",
    # accounts
    "{expiring} expiring within {days} days, {in_use} expired but in use",
    "{sent} contacts e-mailed, {failed} not delivered ({first})", "{sent} contacts e-mailed",
    # reconciliation, bank inbox, H2H stalls
    "nothing changed since the last run", "{bills} bills, {credits} credits",
    "cases: {opened} opened, {reopened} reopened, {cleared} cleared", "{overdue} cases overdue",
    "no inbox folder configured ([feeds] inbox)", "{files} files: {added} entries added, {refused} files refused",
    "no stall", "{count} stall alerts",
    # monthly report
    "no report due", "report {month} already sent", "report {month} not sent: no alert channel carries {roles}",
    "report {month} sent through {sent} channels",
    # monitors
    "no monitors configured ([[monitors]] in the configuration file)", "no monitor was due",
    "the store cannot be reached: {rounds} rounds kept in memory until it returns, {dropped} oldest dropped",
    "the store cannot be reached: {rounds} rounds kept in memory until it returns",
    # the lease (`pantau collect`)
    "Active collector ({host}, pid {pid}); lease period {seconds} s.",
    "Standby: the collector lease is held by host {host}, pid {pid}, since {since}",
    "taking over if it lapses (lease period {seconds} s).",
    "Lost the collector lease (it lapsed and another collector took it); standing by.",
)


def collected_words(message: str, lang: str) -> str:
    """A collector's message (or a line of the scheduler) in `lang`: whole, else part by part."""
    said = MESSAGES.say(message, lang)
    if said != message or "; " not in message:
        return said
    return "; ".join(MESSAGES.say(part, lang) for part in message.split("; "))
