"""Files people attach (practices, documents, contest materials, consultations): one mechanism for the app.

`check_upload` reads an upload once, refuses it with a message in the user's language when it is too big
(`FILE_MAX_MB`, default 20) or when its content is not one of the kinds we take — the type is read from the
bytes, never trusted from the name: an HTML page renamed .pdf is refused. `store` keeps it through the storage
backend (oms.storage) in a row of a model that mixes in `StoredFileMixin`; `send` answers it, always as a
download with nosniff and a sandbox policy, never inline.
Forms use `UploadField` / `UploadsField`: the checked files are in `field.uploads` after validation.
"""
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

from flask import current_app, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms.validators import StopValidation

from . import storage
from .text import N_


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    extensions: tuple[str, ...]


_KIND_LIST = [
    Kind("application/pdf", N_("PDF"), ("pdf",)),
    Kind("application/msword", N_("документ Word"), ("doc",)),
    Kind("application/vnd.ms-excel", N_("таблица Excel"), ("xls",)),
    Kind("application/vnd.ms-powerpoint", N_("презентация PowerPoint"), ("ppt",)),
    Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", N_("документ Word"), ("docx",)),
    Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", N_("таблица Excel"), ("xlsx",)),
    Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", N_("презентация PowerPoint"),
         ("pptx",)),
    Kind("application/vnd.oasis.opendocument.text", N_("документ ODT"), ("odt",)),
    Kind("application/vnd.oasis.opendocument.spreadsheet", N_("таблица ODS"), ("ods",)),
    Kind("application/vnd.oasis.opendocument.presentation", N_("презентация ODP"), ("odp",)),
    Kind("image/jpeg", N_("изображение JPEG"), ("jpg", "jpeg")),
    Kind("image/png", N_("изображение PNG"), ("png",)),
    Kind("application/zip", N_("архив ZIP"), ("zip",)),
]
KINDS = {kind.content_type: kind for kind in _KIND_LIST}
BY_EXTENSION = {ext: kind for kind in _KIND_LIST for ext in kind.extensions}
ACCEPT = ",".join("." + ext for ext in BY_EXTENSION)  # for <input type=file accept=…>
ALLOWED_TEXT = _l("PDF, DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT/ODS/ODP, JPEG, PNG или ZIP")

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {"application/vnd.oasis.opendocument.text": "odt",
             "application/vnd.oasis.opendocument.spreadsheet": "ods",
             "application/vnd.oasis.opendocument.presentation": "odp"}


class UploadRefused(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return int(current_app.config.get("FILE_MAX_MB", 20)) * 1024 * 1024


def clean_filename(name: str) -> str:
    """The name as the user gave it, without folders or control characters, at most 255 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".") or "file"
    stem, dot, ext = name.rpartition(".")
    if len(name) > 255:
        name = (stem[: 254 - len(ext)] + "." + ext) if dot and len(ext) < 20 else name[:255]
    return name


def _zip_kind(data: bytes) -> str:
    """'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', or 'zip' for any other readable archive; '' when unreadable."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 200:
                    odf = ODF_TYPES.get(archive.read("mimetype").decode("ascii", "replace").strip())
                    if odf:
                        return odf
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
            return "zip"
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return ""


def sniff(data: bytes, extension: str) -> Kind | None:
    """The kind the bytes are, given the name's extension (which only chooses among look-alikes)."""
    if data.startswith(b"%PDF-"):
        return KINDS["application/pdf"]
    if data.startswith(b"\xff\xd8\xff"):
        return KINDS["image/jpeg"]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["image/png"]
    if data.startswith(OLE2):  # the old Office formats share one container
        return BY_EXTENSION[extension] if extension in ("doc", "xls", "ppt") else KINDS["application/msword"]
    if data.startswith(b"PK\x03\x04"):
        found = _zip_kind(data)
        if not found:
            return None
        if extension == "zip":
            return KINDS["application/zip"]
        return BY_EXTENSION[found]
    return None


def check_upload(file_storage) -> Upload:
    """Read and check one upload; UploadRefused with a message in the user's language when it is refused."""
    filename = clean_filename(getattr(file_storage, "filename", "") or "")
    limit = max_bytes()
    data = file_storage.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_("Файл «%(name)s» больше %(mb)s МБ: уменьшите его или разделите на части.",
                              name=filename, mb=limit // (1024 * 1024)))
    if not data:
        raise UploadRefused(_("Файл «%(name)s» пустой.", name=filename))
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    if extension not in BY_EXTENSION:
        raise UploadRefused(_("Файлы такого типа не принимаются: «%(name)s». Можно загрузить %(allowed)s.",
                              name=filename, allowed=ALLOWED_TEXT))
    kind = sniff(data, extension)
    if kind is None or extension not in kind.extensions:
        raise UploadRefused(_("Содержимое файла «%(name)s» не соответствует его расширению .%(ext)s: "
                              "загрузите настоящий файл этого типа.", name=filename, ext=extension))
    return Upload(filename, kind.content_type, data)


def store(row, upload: Upload, backend: str | None = None):
    """Fill a StoredFileMixin row with a checked upload; the caller adds the row to the session."""
    target = storage.backend(backend)
    row.filename = upload.filename
    row.content_type = upload.content_type
    row.size = upload.size
    row.sha256 = upload.sha256
    row.storage = target.name
    target.save(row, upload.data)
    return row


def read(row) -> bytes:
    return storage.backend(row.storage).load(row)


def send(row):
    """The file as a download: never shown inline, never sniffed, never cached by a shared cache."""
    response = send_file(io.BytesIO(read(row)), mimetype=row.content_type, as_attachment=True,
                         download_name=row.filename, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def file_models():
    """Every model that mixes in StoredFileMixin (the district archive writes their files)."""
    from .extensions import db
    from .models.files import StoredFileMixin

    return [m.class_ for m in db.Model.registry.mappers if issubclass(m.class_, StoredFileMixin)]


class _Checked:
    """Shared by the upload fields: check each file once, keep the results in `uploads`."""

    uploads: list[Upload]
    required_message = _l("Выберите файл.")

    def _check(self, files, required: bool):
        self.uploads = []
        files = [f for f in files if f and getattr(f, "filename", "")]
        if not files:
            if required:
                raise StopValidation(self.required_message)
            return
        for f in files:
            try:
                self.uploads.append(check_upload(f))
            except UploadRefused as refused:
                self.uploads = []
                raise StopValidation(str(refused)) from None


class UploadField(_Checked, FileField):
    """One file; `field.uploads` holds it (checked) after validation."""

    def __init__(self, label=None, validators=None, required=False, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("accept", ACCEPT)
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.uploads = []

    def pre_validate(self, form):
        self._check([self.data] if self.data else [], self.required)


class UploadsField(_Checked, MultipleFileField):
    """Several files at once; `field.uploads` holds them (all checked; one refused refuses them all)."""

    def __init__(self, label=None, validators=None, required=False, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("accept", ACCEPT)
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.uploads = []

    def pre_validate(self, form):
        self._check(self.data or [], self.required)
