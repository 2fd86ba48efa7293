"""Managers' reports: completion for the company, a site and a crew, the drill-down to a
worker and an attempt, and every table as CSV or XLSX."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.reports import exports, pages, queries
from quizapp.reports.access import (
    get_attempt_or_404,
    get_crew_or_404,
    get_site_or_404,
    get_worker_or_404,
    reader_scope,
    readers_only,
)
from quizapp.reports.pages import Filters
from quizapp.reports.queries import Scope

bp = Blueprint("reports", __name__, url_prefix="/reports")

EXPORT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Tables = dict[str, Callable[[], exports.Table]]


def display_zone() -> ZoneInfo:
    """The zone dates are shown and exported in."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def filtered(scope: Scope, *, places: bool = True) -> tuple[Scope, Filters]:
    """The reader's scope narrowed by the page's filters; another site's ids answer 404.

    A site's or a crew's own page takes no site or crew filter (`places=False`).
    """
    try:
        filters = Filters.parse(request.args)
    except ValueError:
        abort(400)
    if not places:
        filters = replace(filters, site_id=None, crew_id=None)
    if filters.site_id is not None:
        get_site_or_404(scope, filters.site_id)
    if filters.crew_id is not None:
        get_crew_or_404(scope, filters.crew_id)
    return filters.apply(scope, display_zone()), filters


def today() -> str:
    """Today's date in the display zone, for file names."""
    return f"{utcnow().astimezone(display_zone()):%Y-%m-%d}"


def send_table(table: exports.Table, fmt: str, prefix: str = ""):
    """A table as a CSV or XLSX download."""
    zone = display_zone()
    data = exports.to_csv(table, zone) if fmt == "csv" else exports.to_xlsx([table], zone)
    return _download(data, fmt, f"{prefix}{table.name}-{today()}")


def _download(data: bytes, fmt: str, stem: str):
    response = send_file(
        io.BytesIO(data),
        mimetype=EXPORT_TYPES[fmt],
        as_attachment=True,
        download_name=f"{stem}.{fmt}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def export_from(tables: Tables, name: str, fmt: str, prefix: str = ""):
    """The named table of a page as a download; 404 for a table the page does not have."""
    if name not in tables:
        abort(404)
    return send_table(tables[name](), fmt, prefix)


def duration(value: timedelta) -> str:
    """A time taken as minutes and seconds (hours too when it is that long)."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    text = f"{rest // 60}:{rest % 60:02d}"
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else text


@bp.context_processor
def report_helpers() -> dict:
    """What the report templates use besides their own data."""
    names = {name: str(label) for name, label in pages.SEGMENT_NAMES.items()}
    nothing = _("Nothing required")
    return {
        "segment_names": names,
        "report_bar": lambda figures: pages.bar(figures, names, nothing),
        "percent": pages.percent,
        "report_status": lambda row: (pages.status_text(row), pages.status_class(row)),
        "attempt_result": pages.result_text,
        "duration": duration,
        "now": utcnow(),
    }


# --- the company ---------------------------------------------------------------------------


def _company() -> tuple[dict, Tables]:
    scope, filters = filtered(reader_scope())
    report = pages.completion_report(db.session, scope, utcnow(), display_zone())
    tables = {
        "sites": partial(pages.sites_table, report),
        "crews": partial(pages.crews_table, report),
        "trend": partial(pages.trend_table, report),
    }
    return {"report": report, "filters": filters}, tables


@bp.get("/")
@readers_only
def company():
    """Completion for every site and crew the reader may see, filtered, with the trend."""
    context, _tables = _company()
    base = reader_scope()
    crews = queries.visible_crews(db.session, base)
    sites = list({site.id: site for _crew, site in crews if site is not None}.values())
    return render_template(
        "reports/company.html",
        crews=crews,
        sites=sites,
        banks=queries.assigned_banks(db.session, base),
        **context,
    )


@bp.get("/export/<name>.<any(csv, xlsx):fmt>")
@readers_only
def company_export(name: str, fmt: str):
    """A table of the company page as CSV or XLSX."""
    _context, tables = _company()
    return export_from(tables, name, fmt)


# --- a site -----------------------------------------------------------------------------------


def _site(site_id: int) -> tuple[dict, Tables]:
    base = reader_scope()
    site = get_site_or_404(base, site_id)
    scope, filters = filtered(base.narrowed(site_id=site.id), places=False)
    report = pages.completion_report(db.session, scope, utcnow(), display_zone())
    tables = {
        "crews": partial(pages.crews_table, report),
        "trend": partial(pages.trend_table, report),
    }
    return {"site": site, "report": report, "filters": filters, "scope": scope}, tables


@bp.get("/sites/<int:site_id>")
@readers_only
def site(site_id: int):
    """A site's crews with their completion, and the site's trend."""
    context, _tables = _site(site_id)
    banks = queries.assigned_banks(db.session, context["scope"].narrowed(bank_id=None))
    return render_template("reports/site.html", banks=banks, **context)


@bp.get("/sites/<int:site_id>/export/<name>.<any(csv, xlsx):fmt>")
@readers_only
def site_export(site_id: int, name: str, fmt: str):
    """A table of the site page as CSV or XLSX."""
    context, tables = _site(site_id)
    return export_from(tables, name, fmt, f"{context['site'].name}-")


# --- a crew -----------------------------------------------------------------------------------


def _crew(crew_id: int) -> tuple[dict, Tables]:
    base = reader_scope()
    crew = get_crew_or_404(base, crew_id)
    scope, filters = filtered(base.narrowed(crew_id=crew.id), places=False)
    now = utcnow()
    report = pages.completion_report(db.session, scope, now, display_zone())
    rows = queries.requirement_rows(db.session, scope, report.rules, now)
    workers = queries.workers_of_crew(db.session, crew.id)
    lines = pages.crew_lines(workers, report.rules, rows)
    context = {
        "crew": crew,
        "report": report,
        "lines": lines,
        "filters": filters,
        "scope": scope,
        "now": now,
    }
    tables = {
        "workers": partial(pages.workers_table, crew, report.rules, lines),
        "trend": partial(pages.trend_table, report),
    }
    return context, tables


@bp.get("/crews/<int:crew_id>")
@readers_only
def crew(crew_id: int):
    """A crew's workers with their status for each required quiz, and the crew's figures."""
    context, _tables = _crew(crew_id)
    banks = queries.assigned_banks(db.session, context["scope"].narrowed(bank_id=None))
    return render_template("reports/crew.html", banks=banks, **context)


@bp.get("/crews/<int:crew_id>/export/<name>.<any(csv, xlsx):fmt>")
@readers_only
def crew_export(crew_id: int, name: str, fmt: str):
    """A table of the crew page as CSV or XLSX."""
    context, tables = _crew(crew_id)
    return export_from(tables, name, fmt, f"{context['crew'].name}-")


@bp.get("/crews/<int:crew_id>/ledger.xlsx")
@readers_only
def ledger(crew_id: int):
    """The crew's training ledger (台账): one row per worker, one column group per quiz."""
    context, _tables = _crew(crew_id)
    crew, now = context["crew"], context["now"]
    book = pages.ledger(crew, crew.site, context["report"].rules, context["lines"], now)
    data = exports.ledger_xlsx(book, display_zone())
    return _download(data, "xlsx", f"{crew.name}-ledger-{today()}")


# --- a worker and an attempt ------------------------------------------------------------------


def _worker(user_id: int) -> tuple[dict, Tables]:
    base = reader_scope()
    worker = get_worker_or_404(base, user_id)
    scope = base.narrowed(user_id=worker.id)
    now = utcnow()
    rules = queries.assignment_rules(db.session, scope)
    rows = queries.requirement_rows(db.session, scope, rules, now)
    attempts = queries.worker_attempts(db.session, worker.id)
    context = {
        "worker": worker,
        "rules": {rule.assignment_id: rule for rule in rules},
        "rows": rows,
        "attempts": attempts,
    }
    tables = {
        "assignments": partial(pages.requirements_table, rules, rows),
        "attempts": partial(pages.attempts_table, attempts),
    }
    return context, tables


@bp.get("/workers/<int:user_id>")
@readers_only
def worker(user_id: int):
    """A worker's standing with each required quiz, and every attempt they made."""
    context, _tables = _worker(user_id)
    return render_template("reports/worker.html", **context)


@bp.get("/workers/<int:user_id>/export/<name>.<any(csv, xlsx):fmt>")
@readers_only
def worker_export(user_id: int, name: str, fmt: str):
    """A table of the worker page as CSV or XLSX."""
    context, tables = _worker(user_id)
    worker = context["worker"]
    return export_from(tables, name, fmt, f"{worker.employee_no}-")


def _attempt(attempt_id: int) -> tuple[dict, Tables]:
    attempt = get_attempt_or_404(reader_scope(), attempt_id)
    reviewed = []
    if attempt.is_final:
        answers = queries.attempt_answers(db.session, attempt.id)
        reviewed = pages.reviewed_answers(attempt, answers)
    context = {"attempt": attempt, "reviewed": reviewed, "content": attempt.content}
    return context, {"answers": partial(pages.answers_table, reviewed)}


@bp.get("/attempts/<int:attempt_id>")
@readers_only
def attempt(attempt_id: int):
    """An attempt's questions with the answers given and the key (once it is submitted)."""
    context, _tables = _attempt(attempt_id)
    return render_template("reports/attempt.html", **context)


@bp.get("/attempts/<int:attempt_id>/export/<name>.<any(csv, xlsx):fmt>")
@readers_only
def attempt_export(attempt_id: int, name: str, fmt: str):
    """The answers of an attempt as CSV or XLSX."""
    context, tables = _attempt(attempt_id)
    if not context["attempt"].is_final:
        abort(404)
    attempt = context["attempt"]
    return export_from(tables, name, fmt, f"{attempt.user.employee_no}-{attempt.id}-")
