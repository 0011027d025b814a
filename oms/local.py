"""`oms-demo`: run OMS locally on SQLite with the demo districts at http://127.0.0.1:5000."""
import os
import secrets

from .config import INSTANCE


def _local_secret_key() -> str:
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> None:
    os.environ.setdefault("SECRET_KEY", _local_secret_key())
    from flask_migrate import upgrade
    from werkzeug.serving import run_simple

    from . import create_app
    from .demo import load_demo

    app = create_app()
    with app.app_context():
        upgrade()
        load_demo(app.config["PASSWORD_HASH_METHOD"])
    host = os.environ.get("OMS_HOST", "127.0.0.1")
    port = int(os.environ.get("OMS_PORT", "5000"))
    print(f"OMS is running at http://{host}:{port}/  (demo accounts: README; password oms-demo)")
    run_simple(host, port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
