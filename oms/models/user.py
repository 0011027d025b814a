"""Accounts, their server-side sessions and one-time password links."""
import hashlib
import secrets
import time
from datetime import datetime, timedelta

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..permissions import Role
from .base import DistrictLookup, Searchable, Timestamped, utcnow
from .tenant import Tenant

# A valid hash of a random password: checked for unknown emails so that a
# wrong email and a wrong password take the same time.
_DUMMY_HASH: dict[str, str] = {}
# How long a password check takes here (a moving average, seconds), per hash method: what a
# pretended check waits when the budget of dummy hashes is spent.
_CHECK_SECONDS: dict[str, float] = {}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _timed_check(pwhash: str, password: str) -> bool:
    start = time.perf_counter()
    ok = check_password_hash(pwhash, password)
    took = time.perf_counter() - start
    method = pwhash.split("$", 1)[0]
    before = _CHECK_SECONDS.get(method)
    _CHECK_SECONDS[method] = took if before is None else 0.8 * before + 0.2 * took
    return ok


class User(UserMixin, DistrictLookup, Searchable, Timestamped, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300), default="")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # The secret of the user's private calendar feed URL; None = no feed (revoked or never made).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_login_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    tenant: Mapped[Tenant | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login keeps this in the cookie: the token of the server-side session.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.can_log_in

    @property
    def audit_label(self) -> str:
        return self.email

    def search_text(self) -> str:
        return f"{self.full_name} {self.email}"

    @staticmethod
    def normalise_email(email: str) -> str:
        return (email or "").strip().lower()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config["PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        """The password's check; an account without a password yet takes as long as one with it."""
        if not self.password_hash:
            User.waste_time_like_a_check(password)
            return False
        return _timed_check(self.password_hash, password)

    @staticmethod
    def waste_time_like_a_check(password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY_HASH:
            _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(8), method=method)
        _timed_check(_DUMMY_HASH[method], password)

    @staticmethod
    def wait_like_a_check() -> None:
        """As long as a password check takes, without its work (a flood must not take the CPU)."""
        from ..security import tarpit

        seconds = User.check_seconds()
        if seconds is None:  # not measured yet: measure
            User.waste_time_like_a_check(secrets.token_hex(8))
            return
        tarpit(seconds)

    @staticmethod
    def check_seconds() -> float | None:
        """How long a password check takes here lately (None before the first one)."""
        return _CHECK_SECONDS.get(current_app.config["PASSWORD_HASH_METHOD"])

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def can_log_in(self) -> bool:
        if not self.is_active_account:
            return False
        return self.tenant is None or not self.tenant.is_suspended

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class AuthSession(db.Model):
    """One login. The cookie holds its random token; the row makes it revocable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    remember: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(lazy="joined")

    @classmethod
    def start(cls, user: User, remember: bool, user_agent: str = "") -> tuple["AuthSession", str]:
        token = secrets.token_urlsafe(32)
        row = cls(token_digest=token_digest(token), user=user, remember=remember,
                  user_agent=(user_agent or "")[:200])
        db.session.add(row)
        return row, token

    @staticmethod
    def has_expired(login, now: datetime) -> bool:
        """Whether a login (this row, or a query's row of its remember, revoked_at, created_at and last_seen_at)
        no longer counts: revoked, past its absolute lifetime, or idle too long."""
        cfg = current_app.config
        absolute = cfg["SESSION_REMEMBER_TIMEOUT"] if login.remember else cfg["SESSION_ABSOLUTE_TIMEOUT"]
        if login.revoked_at is not None or now - login.created_at > absolute:
            return True
        return not login.remember and now - login.last_seen_at > cfg["SESSION_IDLE_TIMEOUT"]

    @classmethod
    def revoke_all(cls, user: User, except_id: int | None = None) -> None:
        stmt = db.update(cls).where(cls.user_id == user.id, cls.revoked_at.is_(None))
        if except_id is not None:
            stmt = stmt.where(cls.id != except_id)
        db.session.execute(stmt.values(revoked_at=utcnow()))


class PasswordLink(db.Model):
    """A one-time link to set a password, handed over by the district admin."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")

    LIFETIME = timedelta(days=3)

    @classmethod
    def issue(cls, user: User) -> str:
        # Only the newest link works.
        db.session.execute(
            db.update(cls).where(cls.user_id == user.id, cls.used_at.is_(None)).values(used_at=utcnow())
        )
        token = secrets.token_urlsafe(32)
        db.session.add(cls(token_digest=token_digest(token), user=user,
                           expires_at=utcnow() + cls.LIFETIME))
        return token

    @classmethod
    def find_valid(cls, token: str) -> "PasswordLink | None":
        link = db.session.scalar(db.select(cls).where(cls.token_digest == token_digest(token)))
        if link is None or link.used_at is not None or link.expires_at < utcnow():
            return None
        return link
