"""Commands: `flask --app wsgi demo`, `create-operator`, ..."""
import click
from flask import current_app, url_for
from flask.cli import with_appcontext

from .extensions import db


def init_app(app):
    app.cli.add_command(demo_command)
    app.cli.add_command(create_operator_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(grant_app_role_command)
    app.cli.add_command(digest_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(remind_command)


@click.command("demo")
def demo_command():
    """Load the demo districts and accounts (safe to run again)."""
    from .demo import load_demo

    summary = load_demo(current_app.config["PASSWORD_HASH_METHOD"])
    for slug, name in summary.items():
        click.echo(f"  /{slug}/  {name}")
    click.echo("Demo data is loaded. Accounts: see README (password oms-demo).")


@click.command("create-operator")
@click.argument("email")
@click.argument("full_name")
@click.option("--base-url", default="http://127.0.0.1:5000", help="Public address used in the printed link.")
def create_operator_command(email, full_name, base_url):
    """Create a platform operator and print a one-time link to set the password."""
    from .models import PasswordLink, User
    from .permissions import Role

    email = User.normalise_email(email)
    if db.session.scalar(db.select(User.id).where(User.email == email)):
        raise click.ClickException(f"{email} already exists")
    user = User(email=email, full_name=full_name, role=Role.OPERATOR)
    db.session.add(user)
    token = PasswordLink.issue(user)
    db.session.commit()
    with current_app.test_request_context(base_url=base_url):
        click.echo(url_for("auth.set_password", token=token, _external=True))


@click.command("backup")
@with_appcontext
@click.argument("path", required=False, type=click.Path(dir_okay=False))
def backup_command(path):
    """Write a consistent snapshot of the database (default: instance/backups/oms-<date>.sqlite3|.dump)."""
    from pathlib import Path

    from .backup import BackupError, backup, default_path

    target = Path(path) if path else default_path(current_app.config, current_app.instance_path)
    try:
        written = backup(current_app.config, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written: {written} ({written.stat().st_size // 1024} KB)")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking (for scripts).")
def restore_command(path, yes):
    """Replace the whole database with a backup. Stop the app first."""
    from pathlib import Path

    from .backup import BackupError, restore

    if not yes:
        click.confirm(f"Replace ALL data of this OMS database with {path}?", abort=True)
    db.engine.dispose()
    try:
        safety = restore(current_app.config, Path(path))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if safety:
        click.echo(f"The database as it was before is saved in {safety}")
    click.echo(f"Restored from {path}. If the backup is older than this version of OMS, run: flask --app wsgi db upgrade")


@click.command("grant-app-role")
@with_appcontext
@click.argument("role")
def grant_app_role_command(role):
    """PostgreSQL: give the app's role (which owns nothing) its rights on the tables. Run as the owner."""
    from sqlalchemy import create_engine

    from .backup import owner_url
    from .rls import grant_app_role

    engine = create_engine(owner_url(current_app.config))
    if engine.dialect.name != "postgresql":
        raise click.ClickException("grant-app-role is for PostgreSQL")
    try:
        with engine.begin() as conn:
            grant_app_role(conn, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"Role {role} may now read and write the tables (row-level security applies; the audit trail is "
               "append-only).")


@click.command("digest")
@click.option("--base-url", default="http://127.0.0.1:5000", help="Public address used in the letters' links.")
def digest_command(base_url):
    """Queue and send the weekly digest of «Новинки» to every user with unread notices (only when SMTP is
    configured); run again in the same ISO week, it queues nothing."""
    from . import clock, mail
    from .services.news import send_digest

    if not mail.configured():
        click.echo("MAIL_SERVER is not set: nothing is sent.")
        return
    built, queued = send_digest(clock.today(), base_url.rstrip("/"))
    sent, failed = mail.send_pending()
    click.echo(f"Digest: {built} letters built, {queued} queued (once a week for each user); "
               f"sent: {sent}, failed (will be retried): {failed}.")


@click.command("send-mail")
@with_appcontext
def send_mail_command():
    """Send the letters waiting in the outbox (cron: every minute or two)."""
    from . import mail

    if not mail.configured():
        click.echo("MAIL_SERVER is not set: nothing is sent (letters are not queued either).")
        return
    sent, failed = mail.send_pending()
    click.echo(f"sent: {sent}, failed (will be retried): {failed}")


@click.command("remind")
@with_appcontext
def remind_command():
    """Queue the daily digest to those registered or responsible (cron: once a day), then send it."""
    from . import mail
    from .services.reminders import remind

    if not mail.configured():
        click.echo("MAIL_SERVER is not set: no reminders.")
        return
    queued = remind()
    sent, failed = mail.send_pending()
    click.echo(f"digests queued: {queued}; sent: {sent}, failed (will be retried): {failed}")
