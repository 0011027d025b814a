"""Commands: `flask --app wsgi demo`, `create-operator`, ..."""
import click
from flask import current_app, url_for

from .extensions import db


def init_app(app):
    app.cli.add_command(demo_command)
    app.cli.add_command(create_operator_command)


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
