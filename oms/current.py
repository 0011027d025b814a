"""The current district of a request: a request-scoped value that the models and the tenancy machinery share.

oms.tenancy (the URL prefix, the login check) sets it through oms.rls.enter_district (`g.tenant_id`); the
models (oms.models.base: `scoped()`, `get_or_404()`) read it here, so they never import oms.tenancy.
"""
from flask import g, has_request_context


def current_tenant_id() -> int:
    """The id of the request's district; an error outside a district (no district data is reachable there)."""
    tenant_id = g.get("tenant_id") if has_request_context() else None
    if tenant_id is None:
        raise RuntimeError("no current district: tenant data is reachable only inside a district")
    return tenant_id
