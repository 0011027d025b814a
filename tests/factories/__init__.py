"""Object factories for URL arguments, found by argument name.

The cross-district test walks every district route; for each `<int:xxx_id>`
in a URL it asks the factory registered for "xxx_id" to create an object of
a given district. A feature that adds a URL argument registers its factory
in a module of this package (they are all imported here).
"""
import importlib
import pkgutil

ROUTE_ARGS = {}


def route_arg(*names):
    def register(func):
        for name in names:
            ROUTE_ARGS[name] = func
        return func
    return register


def load_all():
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
