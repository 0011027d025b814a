"""The demo: the four districts of DOMAIN.md, built from their presets.

Loading twice changes nothing: every row is found by its natural key first.
"""
from werkzeug.security import generate_password_hash

from .extensions import db
from .models import Tenant, User
from .permissions import Role
from .services.districts import configure_from_preset
from .services.presets import apply_profile, load_preset

DEMO_SLUGS = ("kurchaloy", "serdobsk", "strezhevoy", "kalar")
DEMO_PASSWORD = "oms-demo"
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, "Администратор"),
    ("methodist", Role.METHODIST, "Методист"),
    ("leader", Role.LEADER, "Руководитель объединения"),
    ("teacher", Role.TEACHER, "Педагог"),
)

def demo_steps():
    """Each feature adds its demo rows in a module of oms/demo_steps/, run in file-name order.

    A step is `run(tenant, preset)`; it must find existing rows first so loading twice adds nothing.
    """
    import importlib
    import pkgutil

    from . import demo_steps as package

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    return [importlib.import_module(f"{package.__name__}.{name}").run for name in names]


def load_demo(password_method: str | None = None) -> dict:
    session = db.session
    session.info["audit"] = False  # seeding is not a user's change
    try:
        # One hash for all demo accounts: scrypt at OWASP cost is slow, and these share a password anyway.
        method = password_method or "scrypt:131072:8:1"
        password_hash = generate_password_hash(DEMO_PASSWORD, method=method)
        summary = {}
        _ensure_user("root@demo.oms", "Оператор платформы", Role.OPERATOR, None, password_hash)
        for slug in DEMO_SLUGS:
            tenant = _ensure_tenant(slug)
            preset = load_preset(slug)
            for prefix, role, name in DEMO_ACCOUNTS:
                _ensure_user(f"{prefix}@{slug}.demo.oms", f"{name} ({tenant.name})", role, tenant, password_hash)
            session.flush()
            for step in demo_steps():
                step(tenant, preset)
                session.flush()
            summary[slug] = tenant.name
        session.commit()
        return summary
    finally:
        session.info["audit"] = True


def _ensure_tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == slug))
    if tenant is not None:
        return tenant
    preset = load_preset(slug)
    tenant = Tenant(slug=slug, preset=slug)
    apply_profile(tenant, preset)
    db.session.add(tenant)
    db.session.flush()
    configure_from_preset(tenant, preset)
    return tenant


def _ensure_user(email, full_name, role, tenant, password_hash) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, full_name=full_name, role=role, tenant=tenant, password_hash=password_hash)
        db.session.add(user)
    return user
