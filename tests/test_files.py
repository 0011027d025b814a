"""The one file mechanism: the type is read from the content, the size is bounded, names are cleaned."""
import io
import zipfile

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage

from oms.files import UploadRefused, check_upload, clean_filename
from oms.services.sample_files import docx_bytes


def _upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def _xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Реестр"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _zip(entries: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("data, name, content_type", [
    (PDF, "Положение.pdf", "application/pdf"),
    (docx_bytes("Справка", ["Текст"]), "справка.DOCX",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (_xlsx(), "реестр.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}), "план.odt",
     "application/vnd.oasis.opendocument.text"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "схема.png", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 20, "фото.jpeg", "image/jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20, "старый.xls", "application/vnd.ms-excel"),
    (_zip({"a.txt": "x"}), "материалы.zip", "application/zip"),
    (docx_bytes("Справка", ["Текст"]), "материалы.zip", "application/zip"),
])
def test_accepted_kinds_take_their_type_from_the_content(app, data, name, content_type):
    upload = check_upload(_upload(data, name))
    assert upload.content_type == content_type and upload.data == data and len(upload.sha256) == 64


@pytest.mark.parametrize("data, name, words", [
    (b"<html><script>alert(1)</script></html>", "отчёт.pdf", "не соответствует его расширению .pdf"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "рисунок.png", "не соответствует"),
    (PDF, "отчёт.docx", "не соответствует его расширению .docx"),
    (_zip({"a.txt": "x"}), "план.docx", "не соответствует"),
    (b"PK\x03\x04broken", "архив.zip", "не соответствует"),
    (b"<html></html>", "страница.html", "Файлы такого типа не принимаются"),
    (b"MZ\x90\x00", "setup.exe", "Файлы такого типа не принимаются"),
    (b"", "пусто.pdf", "пустой"),
])
def test_disguised_or_unknown_files_are_refused_with_a_message(app, data, name, words):
    with app.test_request_context():
        with pytest.raises(UploadRefused) as refused:
            check_upload(_upload(data, name))
    assert words in str(refused.value)


def test_a_file_over_the_limit_is_refused(app):
    app.config["FILE_MAX_MB"] = 1
    try:
        with app.test_request_context():
            with pytest.raises(UploadRefused) as refused:
                check_upload(_upload(PDF + b"0" * (1024 * 1024), "большой.pdf"))
            assert "больше 1 МБ" in str(refused.value)
            assert check_upload(_upload(PDF + b"0" * (1024 * 1000), "впору.pdf")).size > 1000 * 1000
    finally:
        app.config["FILE_MAX_MB"] = 20


def test_the_request_limit_leaves_room_for_a_file_at_its_limit(app):
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["FILE_MAX_MB"] * 1024 * 1024


@pytest.mark.parametrize("given, kept", [
    ("C:\\Users\\Иванова\\Документы\\справка.pdf", "справка.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("отчёт\x00\x07.pdf", "отчёт.pdf"),
    ("", "file"),
    ("а" * 300 + ".docx", "а" * 250 + ".docx"),
])
def test_file_names_lose_folders_and_control_characters(given, kept):
    assert clean_filename(given) == kept


def test_a_stored_file_is_sent_as_a_download_never_inline(app):
    from types import SimpleNamespace

    from oms.files import send, store

    row = store(SimpleNamespace(), check_upload(_upload(PDF, "Положение о совете.pdf")))
    assert row.storage == "db" and row.content == PDF and row.size == len(PDF)
    with app.test_request_context():
        response = send(row)
        response.direct_passthrough = False
        assert response.get_data() == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.mimetype == "application/pdf"
