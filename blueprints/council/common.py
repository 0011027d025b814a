"""Pieces shared by the council's and the associations' screens."""
from flask import current_app

from oms.models.structure import MEMBER_ROLE_LABELS

ROLE_LABELS = MEMBER_ROLE_LABELS  # in the page's language
ROLE_ORDER = {"chair": 0, "leader": 0, "deputy": 1, "secretary": 2, "member": 3}


def htmx_redirect(target: str):
    """After an htmx request that ends on another page: the browser goes there (flash messages survive)."""
    response = current_app.response_class(status=204)
    response.headers["HX-Redirect"] = target
    return response
