"""Full page or partial, aware of htmx history restores."""
from flask import render_template, request

from oms.views import render_page_or_partial


def page_or_partial(page_template: str, partial: str, **context):
    # With historyCacheSize 0, going back re-requests a pushed URL with HX-Request set:
    # that request wants the whole page, not the partial.
    if request.headers.get("HX-History-Restore-Request"):
        return render_template(page_template, **context)
    return render_page_or_partial(page_template, partial, **context)
