"""Small helpers shared by the views."""
from flask import render_template, request


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(page_template: str, partial: str, **context):
    """The full page, or only its partial for an htmx request aimed at it."""
    # A history restore (the back button) asks for the whole page again.
    if is_htmx() and not request.headers.get("HX-Boosted") and not request.headers.get("HX-History-Restore-Request"):
        return render_template(partial, **context)
    return render_template(page_template, **context)
