"""Today's date, in one place.

The app runs on the real date. Configuration `TODAY` (a `date`) fixes it: tests that depend on the day pin it
with `pinned(app, day)`, so the suite gives the same answer on any day it runs. New code calls `clock.today()`,
never `date.today()`.
"""
from contextlib import contextmanager
from datetime import date

from flask import current_app, has_app_context


def today() -> date:
    if has_app_context():
        fixed = current_app.config.get("TODAY")
        if fixed:
            return fixed
    return date.today()


@contextmanager
def pinned(app, day: date):
    """Within the block the app's today is `day` (tests)."""
    before = app.config.get("TODAY")
    app.config["TODAY"] = day
    try:
        yield day
    finally:
        app.config["TODAY"] = before


def now_local(time_zone: str = "Europe/Moscow"):
    """The wall-clock time of a district (naive, in its zone). With `TODAY` pinned: noon of that day."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    if has_app_context():
        fixed = current_app.config.get("TODAY")
        if fixed:
            return datetime.combine(fixed, time(12, 0))
    try:
        zone = ZoneInfo(time_zone or "Europe/Moscow")
    except (KeyError, ValueError):
        zone = ZoneInfo("Europe/Moscow")
    return datetime.now(zone).replace(tzinfo=None)
