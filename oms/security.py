"""Sessions, response headers and the SQLite write lock: the host's defences."""
import functools
import threading
import time

from flask import current_app, g, request

from .extensions import db, login_manager
from .models.base import utcnow
from .models.user import AuthSession, User, token_digest

SESSION_KEY = "_oms_sid"
TOUCH_EVERY_SECONDS = 60


@functools.cache
def _login_statement():
    """One query for every request: the login's user (its district joined, as the User mapping does) and the few
    columns of the session row that decide whether it still counts. Built once, so SQLAlchemy keeps its cache
    key: a statement built per request pays for the key every time."""
    s = AuthSession.__table__.c
    return (db.select(User, s.id, s.created_at, s.last_seen_at, s.remember, s.revoked_at)
            .join(AuthSession.__table__, s.user_id == User.id)
            .where(s.token_digest == db.bindparam("digest")))


@login_manager.user_loader
def load_user(token: str):
    """Flask-Login's id is our session token: a revoked or expired login is gone."""
    found = db.session.execute(_login_statement(), {"digest": token_digest(token)}).first()
    if found is None:
        return None
    user, auth = found[0], found
    now = utcnow()
    if AuthSession.has_expired(auth, now) or not user.can_log_in:
        return None
    if (now - auth.last_seen_at).total_seconds() > TOUCH_EVERY_SECONDS:
        touch = db.update(AuthSession).where(AuthSession.id == auth.id).values(last_seen_at=now)
        if _writing_request():
            # This request's transaction began with BEGIN IMMEDIATE and holds SQLite's write
            # lock: a second connection would wait for it until busy_timeout. Write here.
            db.session.execute(touch)
        else:
            # A reading request: an own short transaction whose first statement writes.
            with db.engine.begin() as conn:
                conn.execute(touch)
    g.auth_session = auth  # the row's id, for end_session
    user.session_token = token
    return user


def _writing_request() -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS")


def start_session(user, remember: bool) -> str:
    auth, token = AuthSession.start(user, remember, request.headers.get("User-Agent", ""))
    user.session_token = token
    return token


def end_session() -> None:
    auth = g.get("auth_session")
    if auth is not None:
        db.session.execute(
            db.update(AuthSession).where(AuthSession.id == auth.id).values(revoked_at=utcnow())
        )


CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HTTPS") or request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if not request.path.startswith("/static/"):
        # Pages carry personal data, one-time links and exports: no copy in a browser's or a proxy's cache,
        # for a logged-in user or not (the set-password page has its secret in the URL).
        headers["Cache-Control"] = "no-store"
    if request.headers.get("HX-Request"):
        response.vary.add("HX-Request")
    return response


def init_sqlite(app, engine) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writes.

    A deferred transaction that reads and then writes can fail with "database
    is locked" whatever the timeout; requests that change state take the
    write lock up front instead, so parallel writers queue on busy_timeout.
    """
    from flask import has_request_context
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=15000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Outside a request (CLI, demo loading) every transaction may write.
        reading = has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


# ---- refused (429) requests in the audit trail: one entry per client and window --------------

THROTTLE_WINDOW_SECONDS = 60
_throttled: dict[str, list] = {}  # address -> [window start (monotonic), refusals since the last entry]
_throttled_lock = threading.Lock()


def record_throttled() -> None:
    """Note a refused request. A flood must not flood the trail: the first refusal of a client in a window
    writes an entry; the ones after it are counted, and the client's next entry (a window later) carries
    how many there were ("count")."""
    from .audit import _address, record

    address, now = _address(), time.monotonic()
    with _throttled_lock:
        window = _throttled.get(address)
        if window is not None and now - window[0] < THROTTLE_WINDOW_SECONDS:
            window[1] += 1
            return
        count = 1 + (window[1] if window is not None else 0)
        _throttled[address] = [now, 0]
        if len(_throttled) > 10000:  # many addresses: forget the windows that are over
            for key in [k for k, (start, _n) in _throttled.items() if now - start >= THROTTLE_WINDOW_SECONDS]:
                del _throttled[key]
    record("throttled", summary=request.path, changes={"count": count})
    db.session.commit()


# ---- waiting instead of working: bounded ----------------------------------------------------

_tarpit_slots: threading.BoundedSemaphore | None = None
_tarpit_lock = threading.Lock()


def tarpit(seconds: float) -> None:
    """Wait `seconds` (a failed or refused login answers at the pace of a password check) in one of a few
    slots per process (LOGIN_WAITING_THREADS): a waiting request holds a server thread, not the CPU, and a
    flood with more connections than slots must not hold every thread. No slot free: no wait."""
    global _tarpit_slots
    if seconds <= 0:
        return
    if _tarpit_slots is None:
        with _tarpit_lock:
            if _tarpit_slots is None:
                _tarpit_slots = threading.BoundedSemaphore(max(1, current_app.config["LOGIN_WAITING_THREADS"]))
    if not _tarpit_slots.acquire(blocking=False):
        return
    try:
        time.sleep(seconds)
    finally:
        _tarpit_slots.release()
