"""Links from the registry to pages other features own, made only when those pages exist."""
from flask import current_app, url_for
from werkzeug.routing import BuildError

# Candidate pages for a body, most specific first; a page taking one id gets the body's id.
_BODY_PAGES = {
    "council": ("council.detail", "council.index"),
    "association": ("associations.detail", "associations.show", "associations.index"),
}


def body_url(body) -> str | None:
    group = "association" if body.is_association else body.category
    for endpoint in _BODY_PAGES.get(group, ()) + ("structure.detail", "structure.index"):
        url = endpoint_url(endpoint, body.id)
        if url:
            return url
    return None


def endpoint_url(endpoint: str, object_id: int | None = None) -> str | None:
    try:
        rule = next(current_app.url_map.iter_rules(endpoint))
    except (KeyError, StopIteration):
        return None
    args = [a for a in rule.arguments if a != "slug"]
    try:
        if not args:
            return url_for(endpoint)
        if len(args) == 1 and object_id is not None:
            return url_for(endpoint, **{args[0]: object_id})
    except BuildError:
        return None
    return None
