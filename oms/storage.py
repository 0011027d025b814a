"""Where the bytes of stored files live: one small interface, the database as the default backend.

The database backend keeps each file's content in its own row (a deferred column of the model that mixes in
`StoredFileMixin`), so one backup holds everything, row-level security covers files like any district row,
several app processes see the same files, and a file goes when its record goes (ON DELETE CASCADE).
A large installation can add an object store (S3-compatible) as another `Storage` whose `save` returns a key
and whose `load` fetches it; the models keep `storage` and `storage_key` for that.
"""
from typing import Protocol


class Storage(Protocol):
    name: str

    def save(self, stored, data: bytes) -> None:
        """Keep `data` as the content of `stored` (a StoredFileMixin row)."""

    def load(self, stored) -> bytes:
        """The content of `stored`."""

    def delete(self, stored) -> None:
        """Forget the content (the row itself is deleted by its owner)."""


class DatabaseStorage:
    name = "db"

    def save(self, stored, data: bytes) -> None:
        stored.content = data
        stored.storage_key = None

    def load(self, stored) -> bytes:
        return stored.content or b""

    def delete(self, stored) -> None:
        stored.content = None


BACKENDS: dict[str, Storage] = {"db": DatabaseStorage()}


def backend(name: str | None = None) -> Storage:
    return BACKENDS[name or "db"]
