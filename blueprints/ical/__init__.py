"""The calendar feeds, read by calendar apps without a login: a user's private feed (its secret is the URL)
and a district's public feed of its open events. Outside /<slug>/ because they have no session."""
from flask import Blueprint

bp = Blueprint("ical", __name__, url_prefix="/ical")

from . import routes  # noqa: E402,F401
