"""Backups of the whole database, and bringing one back.

`flask --app wsgi backup [PATH]` writes a consistent snapshot while the app keeps running:
- SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live
  database page by page into a new file, which is checked (integrity_check)
  and then moved into place.
- PostgreSQL: `pg_dump --format=custom` (one transaction, so consistent),
  restored with `pg_restore`. The client tools must be installed on the
  machine that runs the command (Debian: `apt install postgresql-client`).
  It connects with MIGRATION_DATABASE_URL when set (the tables' owner; the
  app's own role may not read everything), else DATABASE_URL. Row-level
  security stays on: the dump runs with `app.all_districts = on`, the setting
  the policies let through (see oms.rls).

`flask --app wsgi restore PATH --yes` replaces the database with a backup.
Stop the app first (PostgreSQL waits for its locks; SQLite's other
connections would read a database swapped under them). A safety copy of the
current database is written next to the backup before anything is replaced.
"""
import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why."""


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def owner_url(config) -> str:
    return config.get("MIGRATION_DATABASE_URI") or config["SQLALCHEMY_DATABASE_URI"]


def default_path(config, instance_path: str) -> Path:
    url = make_url(owner_url(config))
    suffix = ".sqlite3" if url.get_backend_name() == "sqlite" else ".dump"
    return Path(instance_path) / "backups" / f"oms-{_stamp()}{suffix}"


def backup(config, path: Path) -> Path:
    url = make_url(owner_url(config))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(_sqlite_file(url), path)
    elif url.get_backend_name() == "postgresql":
        _pg_dump(url, path)
    else:
        raise BackupError(f"backups of {url.get_backend_name()} are not supported")
    return path


def restore(config, path: Path, safety_dir: Path | None = None) -> Path | None:
    """Replace the database with the backup at `path`; returns the safety copy of what was there."""
    url = make_url(owner_url(config))
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    safety = None
    if url.get_backend_name() == "sqlite":
        live = _sqlite_file(url)
        _check_sqlite_backup(path)
        if Path(live).exists():
            safety = (safety_dir or path.parent) / f"before-restore-{_stamp()}.sqlite3"
            _sqlite_backup(live, safety)
        _sqlite_copy(str(path), live)
    elif url.get_backend_name() == "postgresql":
        _check_pg_backup(path)
        safety = (safety_dir or path.parent) / f"before-restore-{_stamp()}.dump"
        _pg_dump(url, safety)
        _pg_restore(url, path)
    else:
        raise BackupError(f"restoring {url.get_backend_name()} is not supported")
    return safety


# ---- SQLite --------------------------------------------------------------------------------

def _sqlite_file(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return url.database


def _sqlite_copy(source: str, target: str, single_file: bool = False) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        with dst:
            src.backup(dst, pages=1024)
        if single_file:
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one file, no -wal/-shm beside it
    finally:
        dst.close()
        src.close()


def _sqlite_backup(live: str, path: Path) -> None:
    if not Path(live).exists():
        raise BackupError(f"{live}: the database file does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".oms-backup-", suffix=".sqlite3", dir=str(path.parent))
    os.close(fd)
    try:
        _sqlite_copy(live, tmp, single_file=True)
        _check_sqlite_backup(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _check_sqlite_backup(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path}: the file is damaged (integrity_check failed)")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not an SQLite database ({exc})") from exc
    if not {"tenant", "user", "alembic_version"} <= tables:
        raise BackupError(f"{path}: not an OMS database (tables tenant, user, alembic_version missing)")


# ---- PostgreSQL ----------------------------------------------------------------------------

def _pg_env(url) -> tuple[str, dict]:
    """A libpq connection string without the password, and an environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    # Policies stay on; this setting lets the dump see (and the restore write) every district.
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " -c app.all_districts=on").strip()
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools (postgresql-client)")
    return found


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{os.path.basename(args[0])} failed: {done.stderr.strip()[-2000:]}")


def _pg_dump(url, path: Path) -> None:
    dsn, env = _pg_env(url)
    fd, tmp = tempfile.mkstemp(prefix=".oms-backup-", suffix=".dump", dir=str(path.parent))
    os.close(fd)
    try:
        _run([_tool("pg_dump"), "--format=custom", "--enable-row-security", "--file", tmp, "--dbname", dsn], env)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _check_pg_backup(path: Path) -> None:
    with open(path, "rb") as fh:
        if fh.read(5) != b"PGDMP":
            raise BackupError(f"{path}: not a pg_dump archive in custom format")
    listing = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if listing.returncode != 0 or " alembic_version " not in listing.stdout or " tenant " not in listing.stdout:
        raise BackupError(f"{path}: not an OMS database dump")


def _pg_restore(url, path: Path) -> None:
    dsn, env = _pg_env(url)
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          "--dbname", dsn, str(path)], env)
