"""What the app takes from a request before any view sees it: values the database can store.

A number bigger than a database integer, or a NUL character in a text, would reach the database and fail
there (a 500; PostgreSQL refuses a NUL in any text parameter). Both are settled here, once for every view.
"""
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in a URL: an id a database integer column can hold, else no match (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def _without_nul(value):
    if isinstance(value, FileStorage) and value.filename:
        value.filename = value.filename.replace("\x00", "")  # an upload's name is stored (imports, audit)
        return value
    return value.replace("\x00", "") if isinstance(value, str) else value


class RequestValues(ImmutableMultiDict):
    """The query string, form fields and uploads: no NUL in a text or a file name, and `.get(name, type=int)`
    gives a number a database integer holds, else the default."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        if mapping is not None and not isinstance(mapping, dict):
            mapping = [(key, _without_nul(value)) for key, value in mapping]
        super().__init__(mapping)

    def get(self, key, default=None, type=None):
        value = super().get(key, default, type)
        if type is int and isinstance(value, int) and not -DB_INT_MAX <= value <= DB_INT_MAX:
            return default
        return value


def init_app(app) -> None:
    """After the extensions that set their own request class (htmx-flask): ours extends theirs."""
    app.request_class = type("Request", (app.request_class,), {"parameter_storage_class": RequestValues})
    app.url_map.converters["int"] = DatabaseIntConverter  # before any rule is added
