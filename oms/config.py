"""Configuration defaults; secrets and the database come from the environment."""
import os
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("OMS_INSTANCE_PATH", ROOT / "instance"))


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _day(name: str):
    """A date from the environment (YYYY-MM-DD), or None when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r}: expected a date as YYYY-MM-DD") from None


def _normalise_url(url: str) -> str:
    # Hosting panels often hand out postgres:// URLs; psycopg 3 is our driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE / 'oms.sqlite3'}"
    return _normalise_url(url)


def _hosts(value: str) -> list[str] | None:
    hosts = [h.strip() for h in value.replace(";", ",").split(",") if h.strip()]
    return hosts or None


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL: the tables' owner, for `backup`, `restore` and `grant-app-role` (the app itself
    # connects with DATABASE_URL as a role that owns nothing; see oms/rls.py and README "Deploying").
    MIGRATION_DATABASE_URI = _normalise_url(os.environ.get("MIGRATION_DATABASE_URL", "")) or None
    # Attached files (oms/files.py): at most FILE_MAX_MB each; a request may carry a little more (the form
    # around the file); anything larger is refused with 413 before it is read.
    FILE_MAX_MB = _int("OMS_MAX_FILE_MB", 20)
    MAX_CONTENT_LENGTH = _int("OMS_MAX_UPLOAD_MB", FILE_MAX_MB + 5) * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("OMS_TIMEZONE", "Europe/Moscow")
    LANGUAGES = ("ru", "en")

    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Sessions: revocable server-side records; these bound their life.
    SESSION_COOKIE_NAME = "oms_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("OMS_HTTPS", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=_int("OMS_IDLE_MINUTES", 60))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    SESSION_REMEMBER_TIMEOUT = timedelta(days=14)
    HTTPS = SESSION_COOKIE_SECURE

    # OWASP password storage cheat sheet: scrypt N=2^17, r=8, p=1.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"

    # Login throttling (Flask-Limiter). Redis shares counts between workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_FAILS_PER_ACCOUNT = os.environ.get("OMS_LOGIN_FAILS_PER_ACCOUNT", "10 per 5 minutes")
    LOGIN_FAILS_PER_ADDRESS = os.environ.get("OMS_LOGIN_FAILS_PER_ADDRESS", "100 per minute")
    # Failed logins for accounts that do not exist (or have no password yet), all addresses together: up to
    # this many run a dummy password hash (the same time as a real check, and a fresh measure of it); the
    # others only wait as long (same answer, same time, no CPU: a flood of made-up addresses must not take
    # the CPU from everyone). CONTRACT.md: a school behind one address keeps working.
    LOGIN_UNKNOWN_HASHES = os.environ.get("OMS_LOGIN_UNKNOWN_HASHES", "1 per minute")
    # Such waits (and those of refused logins) hold a server thread each, not the CPU: at most this many at
    # once per process, so a flood cannot hold every thread (gunicorn --threads must be larger; README).
    LOGIN_WAITING_THREADS = _int("OMS_LOGIN_WAITING_THREADS", 4)
    # Links that leave the site (one-time password links in mail or handed over) are built on this base
    # (https://oms.example.org), never on the Host header a request brought. Without it: the request's host (dev).
    BASE_URL = os.environ.get("OMS_BASE_URL", "").strip().rstrip("/")
    # Host names this instance answers to (Flask refuses others with 400); unset: any (dev).
    TRUSTED_HOSTS = _hosts(os.environ.get("OMS_TRUSTED_HOSTS", ""))
    # Number of reverse proxies in front of the app whose X-Forwarded-* we trust.
    PROXY_HOPS = _int("OMS_PROXY_HOPS", 0)

    PAGE_SIZE = 50

    # The app's today (oms.clock): unset = the real date. OMS_TODAY=2026-05-15 pins it (a demo instance);
    # `oms-demo` pins it to the demo day unless OMS_TODAY is given (empty = the real date).
    TODAY = _day("OMS_TODAY")

    # Mail for one-time password links (oms/mail.py); without MAIL_SERVER links are handed over by hand.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 0)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # speed only; production keeps OWASP's
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = True
    MAIL_SERVER = ""
