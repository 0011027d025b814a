"""The shared spreadsheet writer and reader hold against hostile content."""
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from oms.xlsx import SpreadsheetError, content_disposition, put, read_table, row_values


@pytest.mark.parametrize("payload", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")"])
def test_user_text_never_becomes_a_formula(payload):
    wb = Workbook()
    put(wb.active["A1"], payload)
    wb.active.append(row_values([payload, 42, 3.5]))
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    for cell in (ws["A1"], ws["A2"]):
        assert cell.data_type == "s"
        assert not str(cell.value).startswith("=")
    assert ws["B2"].value == 42 and ws["C2"].value == 3.5


def test_download_name_is_rfc6266():
    header = content_disposition("План Сердобский район 2025-2026.xlsx")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%D0%9F%D0%BB%D0%B0%D0%BD" in header


def test_zip_bomb_and_non_spreadsheets_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<x/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (80 * 1024 * 1024))
    with pytest.raises(SpreadsheetError, match="слишком большой"):
        read_table("bomb.xlsx", buf.getvalue(), 100)
    with pytest.raises(SpreadsheetError):
        read_table("broken.xlsx", b"PK\x03\x04 not really a zip", 100)
    with pytest.raises(SpreadsheetError, match=".xlsx и .csv"):
        read_table("photo.png", b"\x89PNG\r\n", 100)


def test_row_cap_counts_real_rows_not_declared_ones():
    wb = Workbook()
    for i in range(30):
        wb.active.append([f"row {i}"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(SpreadsheetError, match="больше"):
        read_table("many.xlsx", buf.getvalue(), 10)
    assert len(read_table("many.xlsx", buf.getvalue(), 100)) == 30


def test_csv_in_windows_1251_with_semicolons():
    data = "ФИО;Школа\nИванова Анна Петровна;СШ № 1\n".encode("cp1251")
    assert read_table("people.csv", data, 10) == [["ФИО", "Школа"], ["Иванова Анна Петровна", "СШ № 1"]]


def test_entity_expansion_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>')
    wb = Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            z.writestr(item, bomb if item.filename == "xl/workbook.xml" else src.read(item.filename))
    with pytest.raises(SpreadsheetError):
        read_table("entities.xlsx", out.getvalue(), 10)
