"""All models, imported so that SQLAlchemy and Alembic see them."""
from .audit import AuditEvent
from .base import TenantScoped, Timestamped
from .tenant import Tenant
from .user import AuthSession, PasswordLink, User

__all__ = ["AuditEvent", "AuthSession", "PasswordLink", "Tenant", "TenantScoped", "Timestamped", "User"]
