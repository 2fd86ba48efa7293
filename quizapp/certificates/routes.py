"""Certificates as PDF, their public verification page, and the per-worker training record."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.auth.models import Role, User
from quizapp.certificates import documents, pages, queries, services
from quizapp.database import expect_writes, utcnow
from quizapp.extensions import db, limiter
from quizapp.quizzes.models import Attempt
from quizapp.reports.access import scope_of
from quizapp.reports.queries import worker_in_scope

bp = Blueprint("certificates", __name__)

#: Verification page views allowed per client address, unless VERIFY_LIMIT_PER_ADDRESS says
#: otherwise. Codes cannot be guessed; the limit only keeps scripted probing cheap for us.
DEFAULT_VERIFY_LIMIT = "60 per minute"
#: Who may download anyone's certificate or record; everyone else only their own.
RECORD_KEEPERS = (Role.OFFICER, Role.ADMIN)


def display_zone() -> ZoneInfo:
    """The zone dates are printed in."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def cjk_font() -> documents.CJKFont:
    """The configured font with Chinese glyphs (CJK_FONT_PATH)."""
    return documents.cjk_font(
        current_app.config.get("CJK_FONT_PATH") or documents.DEFAULT_CJK_FONT_PATH
    )


def may_see_records_of(user_id: int) -> bool:
    """Whether the signed-in person may have this person's certificates and record: their
    own, anyone's for officers and admins, and a manager those of the workers on their sites
    (whose attempts the reports already show them)."""
    if current_user.id == user_id or current_user.has_role(*RECORD_KEEPERS):
        return True
    if not current_user.has_role(Role.MANAGER):
        return False
    return worker_in_scope(db.session, scope_of(current_user), user_id) is not None


def get_passed_attempt_or_404(attempt_id: int) -> Attempt:
    """A passed attempt the signed-in person may have a certificate of; 404 otherwise, so
    other people's attempts are not revealed."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or not may_see_records_of(attempt.user_id):
        abort(404)
    if not attempt.is_final or not attempt.passed:
        abort(404)
    return attempt


def get_person_or_404(user_id: int) -> User:
    """A person whose training record the signed-in person may have."""
    user = db.session.get(User, user_id)
    if user is None or not may_see_records_of(user_id):
        abort(404)
    return user


def pdf_response(data: bytes, filename: str):
    """A PDF download that no shared cache keeps."""
    response = send_file(io.BytesIO(data), mimetype="application/pdf", download_name=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.errorhandler(documents.FontNotFound)
def font_missing(error: documents.FontNotFound):
    """Without a font that has Chinese glyphs no PDF can be drawn: say so and what fixes it.

    The certificate, if this was its first download, stays issued; nothing else changed.
    """
    current_app.logger.error("%s", error)
    message = _(
        "Certificates cannot be made on this server yet: it has no font with Chinese "
        "characters. Ask the administrator to install the fonts-noto-cjk package or to set "
        "CJK_FONT_PATH."
    )
    return render_template("errors.html", code=503, message=message), 503


@bp.before_request
def begin_writing_for_certificates():
    """The first download of a certificate issues it: on SQLite, its transaction must begin
    IMMEDIATE, before the sign-in check's first query."""
    if request.endpoint == "certificates.certificate":
        expect_writes()


@bp.get("/certificates/<int:attempt_id>.pdf")
@login_required
def certificate(attempt_id: int):
    """The certificate of a passed attempt as PDF, issued on first request."""
    attempt = get_passed_attempt_or_404(attempt_id)
    issued = services.certificate_for(attempt)
    db.session.commit()
    verify_url = url_for("certificates.verify", code=issued.code, _external=True)
    today = utcnow().astimezone(display_zone()).date()
    data = documents.certificate_pdf(
        pages.certificate_data(issued, verify_url, display_zone(), today), cjk_font()
    )
    return pdf_response(data, f"certificate-{attempt.user.employee_no}-{attempt.id}.pdf")


@bp.get("/records/<int:user_id>.pdf")
@login_required
def record(user_id: int):
    """A person's training record (一人一档) as PDF: every attempt with its bank version."""
    person = get_person_or_404(user_id)
    today = utcnow().astimezone(display_zone()).date()
    data = documents.training_record_pdf(
        pages.record_data(person, queries.record_attempts(person), display_zone(), today),
        cjk_font(),
    )
    return pdf_response(data, f"training-record-{person.employee_no}.pdf")


@bp.get("/verify/<code>")
@limiter.limit(lambda: current_app.config.get("VERIFY_LIMIT_PER_ADDRESS", DEFAULT_VERIFY_LIMIT))
def verify(code: str):
    """Public: whether a certificate is genuine and still valid, and nothing more about its
    holder than a masked name."""
    found = queries.certificate_by_code(code)
    if found is None or not found.attempt.passed:
        return render_template("certificates/verify.html", result=None), 404
    return render_template("certificates/verify.html", result=pages.verification(found, utcnow()))
