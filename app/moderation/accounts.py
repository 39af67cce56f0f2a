"""Moderator accounts: hashed passwords (scrypt, Werkzeug's default) and the `flask users` commands."""
import click
import sqlalchemy as sa
from flask.cli import AppGroup
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db, login_manager
from app.moderation.models import Moderator

users_cli = AppGroup("users", help="Manage moderator accounts.")
MIN_PASSWORD_LENGTH = 12
# Compared against when the username is unknown, so both paths take the same time.
_UNKNOWN_USER_HASH = generate_password_hash("not-a-password")


@login_manager.user_loader
def load_moderator(moderator_id: str) -> Moderator | None:
    return db.session.get(Moderator, int(moderator_id)) if moderator_id.isdigit() else None


def create_moderator(username: str, password: str) -> Moderator:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalar(sa.select(Moderator).where(Moderator.username == username)):
        raise ValueError(f"{username} already exists.")
    moderator = Moderator(username=username, password_hash=generate_password_hash(password))
    db.session.add(moderator)
    db.session.commit()
    return moderator


def authenticate(username: str, password: str) -> Moderator | None:
    moderator = db.session.scalar(sa.select(Moderator).where(Moderator.username == username))
    if moderator is None:
        check_password_hash(_UNKNOWN_USER_HASH, password)
        return None
    return moderator if check_password_hash(moderator.password_hash, password) else None


@users_cli.command("create-moderator")
@click.argument("username")
@click.password_option(help="Prompted (hidden, twice) when not given.")
def create_moderator_command(username: str, password: str):
    """Create a moderator account."""
    try:
        create_moderator(username, password)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Moderator {username} created.")
