"""`oms-demo`: run OMS locally on SQLite with the demo districts at http://127.0.0.1:5000."""
import os
import secrets
from datetime import date

from .config import INSTANCE


def _local_secret_key() -> str:
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_today(environ=os.environ):
    """The day `oms-demo` serves: the demo day, unless OMS_TODAY names another (empty: the real date)."""
    from .demo_steps import DEMO_DAY

    value = environ.get("OMS_TODAY")
    if value is None:
        return DEMO_DAY
    return date.fromisoformat(value.strip()) if value.strip() else None


def main() -> None:
    os.environ.setdefault("SECRET_KEY", _local_secret_key())
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    from . import create_app
    from .demo import load_demo

    app = create_app()
    # The demo lives in 2025/2026: served on its own day it reads as that year does (an application awaiting
    # confirmation, attestations due in the coming months, the plan executed up to May). OMS_TODAY overrides it;
    # OMS_TODAY= (empty) runs on the real date.
    app.config["TODAY"] = demo_today()
    with app.app_context():
        upgrade()
        load_demo(app.config["PASSWORD_HASH_METHOD"])
    host = os.environ.get("OMS_HOST", "127.0.0.1")
    port = int(os.environ.get("OMS_PORT", "5000"))
    print(f"OMS is running at http://{host}:{port}/  (demo accounts: README; password oms-demo)")
    if app.config.get("TODAY"):
        print(f"Today in the app: {app.config['TODAY']:%d.%m.%Y} (the demo day; OMS_TODAY= for the real date)")
    run_simple(host, port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
