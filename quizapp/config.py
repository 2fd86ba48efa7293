"""Settings, read from the environment in this one place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


class Config:
    """Production defaults; every value can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or ""
    #: None means "an SQLite file in the instance folder", resolved by create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
    #: SQLite's PRAGMA synchronous in WAL mode: NORMAL survives a crashed or killed process
    #: (the operating system still holds the write-ahead log); FULL also survives power loss.
    SQLITE_SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "NORMAL").upper()
    SQLITE_BUSY_TIMEOUT_SECONDS = _float("SQLITE_BUSY_TIMEOUT_SECONDS", 30.0)

    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    RATELIMIT_HEADERS_ENABLED = True
    #: Prepended to every rate-limit key, so several deployments (or test runs) can share
    #: one Redis without counting each other's requests.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "quizapp")
    #: While Redis cannot be reached, each process counts the same limits in its own memory
    #: (and tries Redis again now and then) instead of failing every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    #: How many reverse proxies in front of the app set X-Forwarded-For and -Proto (nginx: 1).
    #: 0 trusts no such header: behind a proxy every client would then share the proxy's
    #: address for the per-address limits; set with no proxy, clients could forge theirs.
    TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
    #: Sign-in attempts allowed per client address and per employee number.
    SIGNIN_LIMIT_PER_ADDRESS = os.environ.get("SIGNIN_LIMIT_PER_ADDRESS", "20 per minute")
    SIGNIN_LIMIT_PER_ACCOUNT = os.environ.get("SIGNIN_LIMIT_PER_ACCOUNT", "5 per minute")

    #: Answers that reach the server this long after the deadline still count (network latency).
    ANSWER_GRACE_SECONDS = _int("ANSWER_GRACE_SECONDS", 15)
    #: Answers the phone recorded before the deadline but could not send count when they
    #: arrive within this window after the deadline; unattended attempts are finalised after it.
    OFFLINE_WINDOW_SECONDS = _int("OFFLINE_WINDOW_SECONDS", 600)
    MAX_BANK_BYTES = _int("MAX_BANK_BYTES", 2 * 1024 * 1024)
    #: The largest request body accepted: a .zip bank with its images, or a roster.
    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_BYTES", 25 * 1024 * 1024)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    #: A signed-in session ends after this long without a request (see quizapp.auth.sessions) …
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 8 * 60)
    #: … and this long after signing in, however busy it was.
    SESSION_ABSOLUTE_HOURS = _int("SESSION_ABSOLUTE_HOURS", 12)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a quiz can outlast the default hour; the session bounds it

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_CN", "en")

    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}


#: Settings whose defaults live beside the code that uses them, taken from the environment
#: only when set there: the name, and how its value is read.
OPTIONAL = {
    "CJK_FONT_PATH": str,  # certificates: a font with Chinese glyphs (fonts-noto-cjk's)
    "KIOSK_IDLE_SECONDS": int,  # kiosk: sign out after this long unused (120)
    "KIOSK_RESULT_SECONDS": int,  # kiosk: … and this long after a result (30)
    "CARD_LIMIT_PER_ADDRESS": str,  # login-card scans per client address (60 per minute)
    "VERIFY_LIMIT_PER_ADDRESS": str,  # certificate checks per client address (60 per minute)
    "ITEM_ANALYSIS_MAX_AGE_SECONDS": int,  # a stored item analysis is reused this long (900)
    "PASSWORD_HASH_METHOD": str,  # new password hashes, as Werkzeug names it (scrypt:8192:8:10)
}


def optional_settings() -> dict:
    """The OPTIONAL settings the environment sets."""
    return {name: read(os.environ[name]) for name, read in OPTIONAL.items() if os.environ.get(name)}


def instance_secret_key(instance_path: str) -> str:
    """Return a secret key kept in the instance folder, creating it on first use.

    Lets `make run` work with no configuration while every restart keeps sessions valid.
    Several instances behind a proxy must share SECRET_KEY through the environment instead.
    """
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def test_database_url() -> str | None:
    """The PostgreSQL URL the test suite should also run against, if any."""
    return os.environ.get("TEST_DATABASE_URL") or None
