"""quizapp: safety-education quizzes and training records for construction and mining crews."""

from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask

from quizapp.config import Config, instance_secret_key, optional_settings


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, commands."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Load settings from config.py, then the test's overrides, then fill in local defaults."""
    app.config.from_object(Config)
    app.config.update(optional_settings())
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        database = Path(app.instance_path) / "quizapp.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    app.config.setdefault("DEMO_BANKS_DIR", str(Path(app.root_path).parent / "question_banks"))


def register_extensions(app: Flask) -> None:
    """Bind the extensions of quizapp.extensions to this app."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from quizapp import models, web  # noqa: F401 — models: every table joins the metadata
    from quizapp.auth import sessions
    from quizapp.database import configure_sqlite
    from quizapp.extensions import babel, csrf, db, limiter, login_manager
    from quizapp.migrating import MigrationCommands

    db.init_app(app)
    with app.app_context():
        configure_sqlite(
            db.engine,
            synchronous=app.config["SQLITE_SYNCHRONOUS"],
            busy_timeout=app.config["SQLITE_BUSY_TIMEOUT_SECONDS"],
        )
    app.cli.add_command(MigrationCommands())
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale)
    web.install_template_translations(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = None
    login_manager.user_loader(sessions.load_person)
    app.url_map.converters["int"] = web.DatabaseId
    app.context_processor(web.template_context)
    app.after_request(web.security_headers)
    app.json = web.JSONProvider(app)
    app.before_request(web.refuse_nul_characters)
    sessions.init_app(app)
    if proxies := app.config["TRUSTED_PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from quizapp.analytics.routes import bp as analytics_bp
    from quizapp.api.admin import bp as api_tokens_bp
    from quizapp.api.routes import bp as api_bp
    from quizapp.assignments.routes import bp as assignments_bp
    from quizapp.audit.routes import bp as audit_bp
    from quizapp.auth.kiosk import bp as kiosk_bp
    from quizapp.auth.routes import bp as auth_bp
    from quizapp.banks.routes import bp as banks_bp
    from quizapp.certificates.routes import bp as certificates_bp
    from quizapp.competitions.routes import bp as competitions_bp
    from quizapp.crews.routes import bp as roster_bp
    from quizapp.main.routes import bp as main_bp
    from quizapp.people.routes import bp as people_bp
    from quizapp.practice.routes import bp as practice_bp
    from quizapp.quizzes.routes import bp as quizzes_bp
    from quizapp.reports.admin import bp as managers_bp
    from quizapp.reports.routes import bp as reports_bp

    for blueprint in (
        main_bp,
        auth_bp,
        quizzes_bp,
        banks_bp,
        assignments_bp,
        audit_bp,
        people_bp,
        kiosk_bp,
        roster_bp,
        reports_bp,
        managers_bp,
        api_bp,
        api_tokens_bp,
        analytics_bp,
        practice_bp,
        competitions_bp,
        certificates_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Friendly pages for the errors people meet."""
    from quizapp import web

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, web.error_page)
    app.register_error_handler(web.CSRFError, web.csrf_error)


def register_commands(app: Flask) -> None:
    """The `flask …` commands of every area."""
    from quizapp.analytics.cli import analytics_cli
    from quizapp.auth.cli import users_cli
    from quizapp.banks.cli import banks_cli
    from quizapp.crews.cli import crews_cli, roster_cli
    from quizapp.demo.cli import demo_command
    from quizapp.quizzes.cli import attempts_cli

    for command in (
        banks_cli,
        users_cli,
        crews_cli,
        roster_cli,
        attempts_cli,
        analytics_cli,
        demo_command,
    ):
        app.cli.add_command(command)


def settle_server_process() -> None:
    """Leave what a server process made while starting out of garbage collection.

    Modules, the app and its caches live as long as the process. Left in the collector's
    oldest generation, each full collection walks all of them again: 75–90 ms, three times
    in twenty requests of the company report, the slowest of them (bench/README.md). Garbage
    made while starting is collected first, so none of it is kept for good.
    """
    gc.collect()
    gc.freeze()
