"""The monthly report to directors: the overview's KPIs as of the end of a month, worded and formatted
once for the printable page (`/laporan`) and the e-mail.

`build(engine, settings, month)` gathers the figures through `queries.overview`; `rows(report, lang)`
words them; `render_html(report, lang)` is the self-contained, print-friendly document the `monthly-report`
collector mails through the alert channels of the directors.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from pantau import formatting, semesters
from pantau.i18n import translate
from pantau.models import utcnow
from pantau.settings import Settings
from pantau.sla.periods import half_label, month_label, month_of, months_until
from pantau.tokens.names import channel_name
from queries import kind_breakdown
from queries.overview import GROUPS, KindCollection, Kpi, kind_collection, overview

STATUS_WORDS = {"good": "Good", "warn": "Needs attention", "bad": "Poor", "none": "No data", "info": "Info"}
SECTIONS = (("Finance", ("payments", "tokens")), ("Servers", ("servers",)), ("Services & SOPs", ("sla", "ktm", "kso")))
NUMBER_WORDS = ("distributed", "students", "paid_bills", "bills", "owing", "stock", "low", "high")
RUPIAH_WORDS = ("paid", "billed")
SHARE_WORDS = ("count_share",)
SEMESTER_WORDS = ("semester", "previous_semester")
SCOPES = {"collection_rate": "current semester", "outstanding": "all semesters", "recon_overdue": "all cases",
          "ktm_done": "all batches", "kso_waiting": "all units"}
"""What each card counts over, where it is the same for every reader."""
GROUP_SCOPES = {"servers": "last 30 days", "tokens": "current wave"}


@dataclass(frozen=True)
class MonthlyReport:
    """The figures of one month ("2026-10"), as of its last moment (or now, for the running month)."""

    month: str
    as_of: datetime
    generated_at: datetime
    institution: str
    kpis: list[Kpi]
    kinds: KindCollection | None = None


def previous_month(now: datetime, zone: str) -> str:
    """The month before the one `now` falls in, in the campus calendar: what a report sent on the 1st covers."""
    return months_until(month_of(now, ZoneInfo(zone)), 2)[0]


def month_end(month: str, zone: str) -> datetime:
    """The last moment of a month in the campus calendar."""
    year, number = (int(part) for part in month.split("-"))
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=ZoneInfo(zone))
    return following - timedelta(microseconds=1)


def build(engine: Engine, settings: Settings, month: str | None = None, now: datetime | None = None) -> MonthlyReport:
    """The report of `month` (default: the previous month), every KPI group, as of the month's end."""
    now = now or utcnow()
    month = month or previous_month(now, settings.timezone)
    as_of = min(month_end(month, settings.timezone), now)
    return MonthlyReport(month, as_of, now, settings.institution, overview(engine, settings, as_of, GROUPS),
                         kind_collection(engine, settings, as_of))


def value_text(kind: str, value, lang: str, decimals: int = 1) -> str:
    """A KPI's value in its unit: `98,5%` (`decimals` of a share), `Rp 1.500.000`, `12 hari`, `7`."""
    if value is None:
        return "–"
    if kind == "share":
        return formatting.percent(value, lang, decimals)
    if kind == "rupiah":
        return formatting.rupiah(value, lang)
    if kind == "days":
        return translate("{days} days", lang, days=formatting.number(value, lang, 0))
    return formatting.number(value, lang)


def change_text(kpi: Kpi, lang: str) -> str | None:
    """The change against the previous period in the KPI's unit: `+1,2 poin terhadap semester lalu`."""
    if kpi.value is None or kpi.previous is None:
        return None
    if kpi.kind == "rupiah":
        difference = Decimal(str(kpi.value)) - Decimal(str(kpi.previous))
    else:
        difference = kpi.value - kpi.previous
    if kpi.kind == "share":
        shown = translate("{points} points", lang, points=formatting.change(difference * 100, lang, 1))
    elif kpi.kind == "rupiah":
        shown = ("+" if difference > 0 else "") + formatting.rupiah(difference, lang)
    else:
        shown = formatting.change(difference, lang, 0 if float(difference).is_integer() else 1)
    return translate("{change} against {previous}", lang, change=shown,
                     previous=translate(kpi.previous_label, lang, **words(kpi, lang)))


def words(kpi: Kpi, lang: str) -> dict:
    """The KPI's fill-ins in the reader's language: counts, Rupiah and shares formatted, half-years and
    semesters in words, token channels by name; years stay as they are."""
    out = dict(kpi.words)
    for key, value in kpi.words.items():
        if key in NUMBER_WORDS:
            out[key] = formatting.number(value, lang)
        elif key in RUPIAH_WORDS:
            out[key] = formatting.rupiah(value, lang)
        elif key in SHARE_WORDS:
            out[key] = formatting.percent(value, lang)
        elif key in SEMESTER_WORDS:
            out[key] = semesters.label(value, lang)
        elif key == "channel":
            out[key] = channel_name(value, lang)
    if "half" in out:
        out["half"] = half_label(out["half"], lang)
    return out


def title_text(kpi: Kpi, lang: str) -> str:
    return translate(kpi.title, lang, **words(kpi, lang))


def scope_text(kpi: Kpi, lang: str, steps: str | None = None) -> str | None:
    """Over what the KPI counts, in words ("semua semester", "30 hari terakhir"): one wording for the overview's
    cards, the report page and its mail. SLA compliance counts the steps the reader sees: `steps` words them
    where a role sees only its own (default: every step)."""
    if kpi.group == "sla":
        return steps or translate("all steps", lang)
    if kpi.group in GROUP_SCOPES:
        return translate(GROUP_SCOPES[kpi.group], lang)
    return translate(SCOPES[kpi.key], lang) if kpi.key in SCOPES else None


def note_text(kpi: Kpi, lang: str) -> str | None:
    return translate(kpi.note, lang, **words(kpi, lang)) if kpi.note else None


def rows(report: MonthlyReport, lang: str) -> list[tuple[str, list[dict]]]:
    """The report's sections, each with its KPIs worded: title, scope, value, status word and grade, change, note."""
    out = []
    for section, groups in SECTIONS:
        members = [{
            "title": title_text(kpi, lang), "scope": scope_text(kpi, lang) or "",
            "value": value_text(kpi.kind, kpi.value, lang), "grade": kpi.grade,
            "status": translate(STATUS_WORDS.get(kpi.grade, kpi.grade), lang), "change": change_text(kpi, lang) or "–",
            "note": note_text(kpi, lang) or "",
        } for kpi in report.kpis if kpi.group in groups]
        if members:
            out.append((translate(section, lang), members))
    return out


KIND_COLUMNS = (("bills", "Bills"), ("billed", "Billed"), ("paid", "Collected"), ("rate", "Collection rate"),
                ("outstanding", "Outstanding"))
"""The columns of the collection by kind group and bill kind, after the group or kind's name."""


def kind_section(report: MonthlyReport, lang: str) -> tuple[str, str, list[dict]] | None:
    """Collection by kind group and bill kind as of the report's moment: its title, its scope (the collection rate
    KPI's semester, bills due by the report's day) and its lines (`queries.kind_breakdown.worded`: each group, its
    kinds, the total, by name); None when no bill had come due."""
    found = report.kinds
    if found is None or found.frames[lang].empty:
        return None
    scope = translate("semester {semester}, bills due by {day}", lang, semester=semesters.label(found.semester, lang),
                      day=formatting.day(found.as_of, lang))
    return (translate("Collection by kind group and bill kind", lang), scope,
            kind_breakdown.worded(found.frames[lang], lang))


def _kinds_html(report: MonthlyReport, lang: str) -> str:
    section = kind_section(report, lang)
    if section is None:
        return ""
    esc = html.escape
    title, scope, lines = section
    head = "".join([f"<th>{esc(translate('Kind group / bill kind', lang))}</th>",
                    *(f"<th style=\"text-align:right\">{esc(translate(name, lang))}</th>" for _, name in KIND_COLUMNS)])
    body = []
    for line in lines:
        weight = "" if line["level"] == "kind" else " style=\"font-weight:600\""
        indent = " style=\"padding-left:24px\"" if line["level"] == "kind" else ""
        cells = "".join(f"<td class=\"value\">{esc(line[key])}</td>" for key, _ in KIND_COLUMNS)
        body.append(f"<tr{weight}><td{indent}>{esc(line['label'])}</td>{cells}</tr>")
    return (f"<h2>{esc(title)}</h2><p class=\"sub\">{esc(scope)}</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _kinds_text(report: MonthlyReport, lang: str) -> list[str]:
    section = kind_section(report, lang)
    if section is None:
        return []
    title, scope, lines = section
    out = [f"{title.upper()} ({scope})"]
    for line in lines:
        words = translate("{paid} of {billed} collected ({rate}); outstanding {outstanding}", lang, **line)
        out.append(("  - " if line["level"] == "kind" else "- ") + f"{line['label']}: {words}")
    return [*out, ""]


def heading(report: MonthlyReport, lang: str, zone: str) -> tuple[str, str]:
    """The report's title and the line saying what the figures are as of."""
    title = translate("Monthly report {month}", lang, month=month_label(report.month, lang))
    line = translate("{institution} · figures as of {moment}", lang, institution=report.institution,
                     moment=formatting.moment(report.as_of, lang, zone))
    return title, line


STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif;
       color: #212529; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 20px 0 6px; }
p.sub { color: #6c757d; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #dee2e6; padding: 6px 8px; text-align: left; vertical-align: top; }
div.scope { color: #6c757d; font-size: 12px; }
td.value { text-align: right; font-weight: 600; white-space: nowrap; }
.good { color: #1a7f4b; } .warn { color: #b26a00; } .bad { color: #c0392b; } .none, .info { color: #6c757d; }
"""


def render_html(report: MonthlyReport, lang: str, zone: str) -> str:
    """The report as one self-contained HTML document (inline style, no scripts), for e-mail and print."""
    esc = html.escape
    title, line = heading(report, lang, zone)
    head = "".join(f"<th>{esc(translate(name, lang))}</th>" for name in ("KPI", "Value", "Status", "Change", "Note"))
    parts = [f"<!DOCTYPE html><html lang=\"{esc(lang)}\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1><p class=\"sub\">{esc(line)}</p>"]
    for section, members in rows(report, lang):
        parts.append(f"<h2>{esc(section)}</h2><table><thead><tr>{head}</tr></thead><tbody>")
        for row in members:
            parts.append(
                f"<tr><td>{esc(row['title'])}{_scope_html(row['scope'])}</td>"
                f"<td class=\"value\">{esc(row['value'])}</td>"
                f"<td class=\"{esc(row['grade'])}\">{esc(row['status'])}</td><td>{esc(row['change'])}</td>"
                f"<td>{esc(row['note'])}</td></tr>")
        parts.append("</tbody></table>")
    parts.append(_kinds_html(report, lang))
    if not report.kpis:
        parts.append(f"<p>{esc(translate('No figures to show yet.', lang))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def _scope_html(scope: str) -> str:
    return f"<div class=\"scope\">{html.escape(scope)}</div>" if scope else ""


def render_text(report: MonthlyReport, lang: str, zone: str) -> str:
    """The report as plain text, for channels that do not show HTML."""
    title, line = heading(report, lang, zone)
    lines = [title, line, ""]
    for section, members in rows(report, lang):
        lines.append(section.upper())
        lines += [f"- {row['title']}" + (f" · {row['scope']}" if row["scope"] else "") +
                  f": {row['value']} ({row['status']}; {row['change']})" for row in members]
        lines.append("")
    lines += _kinds_text(report, lang)
    return "\n".join(lines).strip() + "\n"
