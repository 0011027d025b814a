"""The tenancy core without a circle: the models read the current district from oms.current."""
import ast
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[1] / "oms" / "models"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.py")), ids=lambda p: p.name)
def test_models_never_import_the_tenancy_machinery(path):
    assert not {name for name in _imports(path) if name.endswith("tenancy")}, path.name


def test_the_current_district_is_the_same_value_everywhere(app):
    from flask import g

    from oms.current import current_tenant_id
    from oms.tenancy import current_tenant_id as from_tenancy

    assert from_tenancy is current_tenant_id
    with app.test_request_context("/"):
        with pytest.raises(RuntimeError):
            current_tenant_id()
        g.tenant_id = 7
        assert current_tenant_id() == 7
