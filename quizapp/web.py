"""Request-level glue shared by every page: locale, headers and error pages."""

from __future__ import annotations

from flask import (
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
)
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from quizapp.database import MAX_ID
from quizapp.extensions import db

__all__ = [
    "CSRFError",
    "DatabaseId",
    "JSONProvider",
    "csrf_error",
    "error_page",
    "install_template_translations",
    "refuse_nul_characters",
    "security_headers",
]

#: No inline script or style anywhere, and nothing from other origins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class DatabaseId(IntegerConverter):
    """`<int:…>` in every route: an id the database can hold (at most `MAX_ID`).

    A larger number in an address names nothing, so it is a 404 like any unknown id, instead
    of an overflow in the database driver.
    """

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def select_locale() -> str:
    """The person's chosen language, else the best their browser asks for, else Chinese.

    Outside a request (the command line) English, the language of the rest of its output.
    """
    if not has_request_context():
        return "en"
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"])
    if best is None:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return "en" if best == "en" else "zh_CN"


def install_template_translations(app: Flask) -> None:
    """Templates' `_()` and `ngettext()`, finding the catalogue once per request.

    Flask-Babel's own look up the locale and its catalogue again at every call: a fifth of
    the time of a quiz list of fifty cards, each with a dozen texts. The catalogue is kept
    in `g`, which lasts exactly as long as the request (or command) whose locale chose it.
    """

    def translations():
        found = g.get("_template_translations")
        if found is None:
            found = g._template_translations = get_translations()
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def template_context() -> dict:
    """Values every template may use."""
    locale = get_locale()
    # "zh-CN", "en": language and region only (Babel names Chinese "zh_Hans_CN").
    html_lang = "-".join(filter(None, (locale.language, locale.territory))) if locale else "zh-CN"
    return {"html_lang": html_lang, "languages": current_app.config["LANGUAGES"]}


def security_headers(response):
    """Headers that keep the pages from being framed, sniffed or fed foreign script."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Pages show one person's quizzes and results: a shared tablet's back button or cache must
    # not show them to the next person. Static files and images set their own caching first.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deeply to decode is malformed input.

    Python's decoder gives up on deep nesting ("[[[[…") with RecursionError, which is not the
    ValueError `request.get_json` turns into a refusal: without this, a few kilobytes of
    brackets would be a server error.
    """

    def loads(self, s, **kwargs):
        """Decode JSON; nesting beyond the decoder's depth is a ValueError like any bad JSON."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None


def refuse_nul_characters():
    """Refuse (400) a request whose address, query, form fields or file names hold a NUL.

    No text the app keeps or looks up can contain one, and PostgreSQL refuses it outright:
    passed on, it would turn a hostile request into a server error.
    """
    texts = [request.path]
    for values in (request.args, request.form):
        for key, items in values.lists():
            texts.append(key)
            texts.extend(items)
    texts.extend(upload.filename or "" for upload in request.files.values())
    if any("\x00" in text for text in texts):
        abort(400)


def _wants_json() -> bool:
    # Under /api/ an address no route matches has no blueprint to answer for it: it is
    # still an API client asking, so the answer is JSON too.
    return (
        request.is_json
        or request.accept_mimetypes.best == "application/json"
        or request.path.startswith("/api/")
    )


def error_page(error: Exception):
    """An error as a small page (or JSON for scripts), never a stack trace."""
    code = error.code if isinstance(error, HTTPException) else 500
    if code >= 500:
        db.session.rollback()
    messages = {
        400: _("The request could not be understood."),
        403: _("You are not allowed to open this page."),
        404: _("This page does not exist."),
        405: _("This page does not accept that request."),
        413: _("That file is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Your saved answers are safe."),
    }
    message = messages.get(code, messages[500])
    if _wants_json():
        return jsonify(error=code, message=message), code
    return render_template("errors.html", code=code, message=message), code


def csrf_error(error: CSRFError):
    """A form or script request without a valid CSRF token."""
    message = _("This form has expired. Please go back, reload the page and try again.")
    if _wants_json():
        return jsonify(error="csrf", message=message), 400
    return render_template("errors.html", code=400, message=message), 400
