"""The read-only JSON API for HR and ERP systems, under /api/v1/ (see `openapi.py`).

Requests carry a bearer token and no cookies, so they are exempt from CSRF. A token limited
to some sites reads only those; anything else answers 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from quizapp.api import openapi, services
from quizapp.database import MAX_ID, expect_writes, utcnow
from quizapp.extensions import csrf, db
from quizapp.reports import queries
from quizapp.reports.pages import Filters
from quizapp.reports.queries import AttemptRow, CrewFigures, RequirementRow, Rule, Scope

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

#: Endpoints anyone may read: the description of the API itself.
PUBLIC = {"api.openapi_document"}


@bp.before_request
def authenticate() -> None:
    """Find the request's token; 401 without one, or with a wrong or revoked one."""
    if request.endpoint in PUBLIC:
        return
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _unauthorized(_("A bearer token is required."), given=False)
    token = services.find_token(secret.strip())
    if token is None:
        _unauthorized(_("The token is wrong or has been revoked."), given=True)
    g.api_token_id = token.id if services.is_due_for_note(token) else None
    g.api_scope = Scope(sites=frozenset(s.id for s in token.sites) if token.sites else None)


def _unauthorized(message: str, *, given: bool) -> None:
    challenge = 'Bearer realm="quizapp"' + (', error="invalid_token"' if given else "")
    response = jsonify(error="unauthorized", message=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = challenge
    abort(response)


def json_error(error: HTTPException):
    """Errors as JSON, whatever the client asked for (and no session cookie with them)."""
    if error.code is not None and error.code >= 500:
        db.session.rollback()
    if error.response is not None:
        return error.response
    return jsonify(error=error.code, message=error.description), error.code


# By code, since the application's own handlers by code would otherwise come first.
for _code in (400, 401, 403, 404, 405, 429, 500):
    bp.register_error_handler(_code, json_error)


@bp.after_request
def no_caching(response):
    """Training records are personal: no shared cache may keep them."""
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


@bp.after_request
def remember_use(response):
    """Note when the token was last used, once the answer is ready.

    The request's reads end first and the write gets a transaction of its own (on SQLite
    one that waits for the write lock); a failure costs the note, never the answer.
    """
    token_id = g.pop("api_token_id", None)
    if token_id is None:
        return response
    db.session.rollback()
    expect_writes()
    try:
        services.note_use(token_id)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not note the use of API token %s", token_id)
    return response


def scope() -> Scope:
    """What the token may read."""
    return g.api_scope


def number(name: str, *, default: int | None = None, low: int = 1, high: int = MAX_ID):
    """An integer query argument; 400 when it is not one, or out of range."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, _("%(name)s must be a whole number.", name=name))
    if value < low or value > high:
        if high == MAX_ID:
            abort(400, _("%(name)s must be at least %(low)d.", name=name, low=low))
        abort(400, _("%(name)s must be from %(low)d to %(high)d.", name=name, low=low, high=high))
    return value


def paging() -> tuple[int, int]:
    """The page asked for: (after, limit)."""
    after = number("after", default=0, low=0)
    limit = number("limit", default=openapi.DEFAULT_LIMIT, high=openapi.MAX_LIMIT)
    return after, limit


def page(items: Sequence, limit: int, key: Callable, render: Callable, **args):
    """A page of at most `limit` items (one more was fetched to know whether more follow)."""
    more = len(items) > limit
    shown = list(items)[:limit]
    next_url = None
    if more:
        query = {k: v for k, v in request.args.items() if k not in {"after", "limit"}}
        next_url = url_for(
            request.endpoint,
            _external=True,
            **args,
            **query,
            after=key(shown[-1]),
            limit=limit,
        )
    return jsonify(data=[render(item) for item in shown], next=next_url)


def when(value: datetime | None) -> str | None:
    """A time as RFC 3339 in UTC."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def visible_site(site_id: int | None) -> int | None:
    """A site filter, refused with 404 when the token may not see the site."""
    if site_id is not None and queries.site_in_scope(db.session, scope(), site_id) is None:
        abort(404)
    return site_id


def visible_crew(crew_id: int | None) -> int | None:
    """A crew filter, refused with 404 when the token may not see the crew."""
    if crew_id is not None and queries.crew_in_scope(db.session, scope(), crew_id) is None:
        abort(404)
    return crew_id


# --- the document ------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API (no token needed)."""
    server = url_for("api.openapi_document", _external=True).rsplit("/", 1)[0]
    return jsonify(openapi.document(server))


# --- sites, crews, workers ---------------------------------------------------------------------


def site_json(site) -> dict:
    return {"id": site.id, "name": site.name}


@bp.get("/sites")
def sites():
    """The sites the token may read."""
    after, limit = paging()
    rows = queries.sites_page(db.session, scope(), after=after, limit=limit + 1)
    return page(rows, limit, lambda s: s.id, site_json)


def crew_json(row: queries.CrewRow) -> dict:
    site = {"id": row.site_id, "name": row.site_name} if row.site_id is not None else None
    return {"id": row.id, "name": row.name, "site": site, "workers": row.workers}


@bp.get("/crews")
def crews():
    """Crews with their site and number of active workers."""
    after, limit = paging()
    narrowed = scope().narrowed(site_id=visible_site(number("site_id")))
    rows = queries.crews_page(db.session, narrowed, after=after, limit=limit + 1)
    return page(rows, limit, lambda c: c.id, crew_json)


@bp.get("/crews/<int:id>")
def crew(id: int):
    """One crew."""
    rows = queries.crews_page(db.session, scope().narrowed(crew_id=id), limit=1)
    return jsonify(crew_json(rows[0])) if rows else abort(404)


def worker_json(item) -> dict:
    user, site_id = item
    return {
        "id": user.id,
        "employee_no": user.employee_no,
        "name": user.name,
        "crew_id": user.crew_id,
        "site_id": site_id,
        "active": user.active,
    }


@bp.get("/workers")
def workers():
    """Workers, active or not."""
    after, limit = paging()
    narrowed = scope().narrowed(crew_id=visible_crew(number("crew_id")))
    rows = queries.workers_page(db.session, narrowed, after=after, limit=limit + 1)
    return page(rows, limit, lambda item: item[0].id, worker_json)


@bp.get("/workers/<int:id>")
def worker(id: int):
    """One worker."""
    rows = queries.workers_page(db.session, scope().narrowed(user_id=id), limit=1)
    return jsonify(worker_json(rows[0])) if rows else abort(404)


# --- assignments and standings -----------------------------------------------------------------


def assignment_json(rule: Rule, crew_ids: list[int]) -> dict:
    return {
        "id": rule.assignment_id,
        "bank": {"id": rule.bank_id, "slug": rule.bank_slug, "title": rule.title},
        "site_id": rule.site_id,
        "crew_ids": crew_ids,
        "due_at": when(rule.due_at),
        "valid_for_days": rule.validity_days,
        "max_attempts": rule.max_attempts,
    }


def _rules() -> list[Rule]:
    return sorted(
        queries.assignment_rules(db.session, scope()), key=lambda rule: rule.assignment_id
    )


def get_rule_or_404(assignment_id: int) -> Rule:
    """The active assignment, if it reaches into the token's sites."""
    rule = next((r for r in _rules() if r.assignment_id == assignment_id), None)
    return rule or abort(404)


@bp.get("/assignments")
def assignments():
    """Active assignments that reach into the token's sites."""
    after, limit = paging()
    rules = [rule for rule in _rules() if rule.assignment_id > after][: limit + 1]
    crews = queries.assignment_crews(db.session, scope(), [r.assignment_id for r in rules])
    return page(
        rules,
        limit,
        lambda r: r.assignment_id,
        lambda r: assignment_json(r, crews[r.assignment_id]),
    )


@bp.get("/assignments/<int:id>")
def assignment(id: int):
    """One active assignment."""
    rule = get_rule_or_404(id)
    crews = queries.assignment_crews(db.session, scope(), [rule.assignment_id])
    return jsonify(assignment_json(rule, crews[rule.assignment_id]))


def standing_json(row: RequirementRow) -> dict:
    return {
        "assignment_id": row.assignment_id,
        "worker_id": row.user_id,
        "employee_no": row.employee_no,
        "name": row.name,
        "crew_id": row.crew_id,
        "status": row.status.value,
        "expiring": row.expiring,
        "attempts": row.attempts,
        "best_percent": row.best_percent,
        "passed_at": when(row.passed_at),
        "valid_until": when(row.valid_until),
    }


@bp.get("/assignments/<int:id>/standings")
def standings(id: int):
    """Each covered worker's standing with the assignment, now."""
    rule = get_rule_or_404(id)
    after, limit = paging()
    rows = queries.requirement_rows(
        db.session, scope(), [rule], utcnow(), after=after, limit=limit + 1
    )
    return page(rows, limit, lambda r: r.user_id, standing_json, id=id)


# --- completion --------------------------------------------------------------------------------


def completion_json(item: CrewFigures) -> dict:
    f = item.figures
    return {
        "crew_id": item.crew_id,
        "crew": item.crew_name,
        "site_id": item.site_id,
        "site": item.site_name,
        "workers": f.workers,
        "required": f.required,
        "passed": f.passed,
        "expiring": f.expiring,
        "in_progress": f.in_progress,
        "failed": f.failed,
        "no_attempts_left": f.no_attempts_left,
        "not_started": f.not_started,
        "overdue": f.overdue,
        "expired": f.expired,
        "completion_percent": _rounded(f.completion),
        "pass_rate_percent": _rounded(f.pass_rate),
        "average_best_percent": _rounded(f.average_best),
        "attempts_submitted": f.submitted,
        "attempts_passed": f.passes,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@bp.get("/completion")
def completion():
    """Completion figures per crew, as the report pages show them."""
    after, limit = paging()
    try:
        filters = Filters.parse(
            {
                "site": request.args.get("site_id", ""),
                "crew": request.args.get("crew_id", ""),
                "bank": request.args.get("bank_id", ""),
                "from": request.args.get("from", ""),
                "to": request.args.get("to", ""),
            }
        )
    except ValueError:
        abort(400, _("site_id, crew_id and bank_id are whole numbers; from and to are dates."))
    visible_site(filters.site_id)
    visible_crew(filters.crew_id)
    narrowed = filters.apply(scope(), ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    rules = queries.assignment_rules(db.session, narrowed)
    rows = queries.crew_figures(db.session, narrowed, rules, utcnow(), after=after, limit=limit + 1)
    return page(rows, limit, lambda c: c.crew_id, completion_json)


# --- attempts ----------------------------------------------------------------------------------


def attempt_json(row: AttemptRow) -> dict:
    taken = row.time_taken
    return {
        "id": row.id,
        "worker_id": row.user_id,
        "bank": {"id": row.bank_id, "slug": row.bank_slug},
        "bank_version": row.version,
        "title": row.title,
        "number": row.number,
        "started_at": when(row.started_at),
        "submitted_at": when(row.submitted_at),
        "finished_by": row.finished_by,
        "duration_seconds": int(taken.total_seconds()) if taken is not None else None,
        "score": row.score,
        "max_score": row.max_score,
        "percent": row.percent,
        "passed": row.passed,
    }


@bp.get("/attempts")
def attempts():
    """Attempts by the workers the token may read, oldest first."""
    after, limit = paging()
    worker_id = number("worker_id")
    if worker_id is not None and queries.worker_in_scope(db.session, scope(), worker_id) is None:
        abort(404)
    since = request.args.get("submitted_since")
    try:
        submitted_since = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
    except ValueError:
        abort(400, _("submitted_since must be an ISO 8601 date and time."))
    if submitted_since is not None and submitted_since.tzinfo is None:
        abort(400, _("submitted_since needs a time zone, e.g. 2026-05-01T00:00:00Z."))
    narrowed = scope().narrowed(user_id=worker_id, bank_id=number("bank_id"))
    rows = queries.attempts_in_scope(
        db.session, narrowed, after=after, limit=limit + 1, submitted_since=submitted_since
    )
    return page(rows, limit, lambda a: a.id, attempt_json)


@bp.get("/attempts/<int:id>")
def attempt(id: int):
    """One attempt."""
    if queries.attempt_in_scope(db.session, scope(), id) is None:
        abort(404)
    return jsonify(attempt_json(queries.attempt_row(db.session, id)))
