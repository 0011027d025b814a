"""The shared spreadsheet writer and reader hold against hostile content."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from openpyxl.styles import Alignment, Border, Font, Side

from oms.xlsx import SheetRows, SpreadsheetError, content_disposition, put, read_table, row_values, save_with_rows


@pytest.mark.parametrize("payload", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"http://x\")",
                                     "\x01=1+1", "\x00\x1f@SUM(A1)"])
def test_user_text_never_becomes_a_formula(payload):
    wb = Workbook()
    put(wb.active["A1"], payload)
    wb.active.append(row_values([payload, 42, 3.5]))
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    for cell in (ws["A1"], ws["A2"]):
        assert cell.data_type == "s"
        assert str(cell.value).startswith("'") and not str(cell.value).startswith("=")
    assert ws["B2"].value == 42 and ws["C2"].value == 3.5


HOSTILE = ["=1+1", "\x01=HYPERLINK(\"http://evil\")", "\t=cmd", "\r=2+2", '</t></is></c><c r="A9"><f>1+1</f></c>',
           "a & b < c > d ]]>", "перенос\nстроки", "возврат\rкаретки", "управляющие\x00\x07\x1b\ufffe символы", "  пробелы  "]


def test_streamed_rows_keep_text_numbers_styles_merges_and_heights():
    wb = Workbook()
    ws = wb.active
    ws.title = "План"
    ws.freeze_panes = "A3"
    rows = SheetRows(ws)
    thin = Side(style="thin")
    bold = rows.style(Font(name="Times New Roman", bold=True), Alignment(wrap_text=True),
                      Border(left=thin, right=thin, top=thin, bottom=thin))
    plain = rows.style(Font(name="Times New Roman"))
    assert rows.style(Font(name="Times New Roman")) == plain  # registered once
    rows.append(["Заголовок", None, None], [bold] * 3, height=40)
    rows.merge(1, 1, 3)
    rows.append([], [])
    for text in HOSTILE:
        rows.append([text, 42, 3.5, True, "", None], [plain, plain, plain, plain, 0, 0])
    data = save_with_rows(wb, [rows])

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet.replace("&lt;f&gt;", "")
    book = load_workbook(io.BytesIO(data))
    ws = book["План"]
    assert ws["A1"].value == "Заголовок" and ws["A1"].font.b and ws["B1"].border.top.style == "thin"
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert ws.row_dimensions[1].height == 40 and ws.freeze_panes == "A3"
    assert ws.max_row == 2 + len(HOSTILE) and ws.max_column == 4
    values = [ws.cell(row=3 + i, column=1).value for i in range(len(HOSTILE))]
    assert values == ["'=1+1", "'=HYPERLINK(\"http://evil\")", "'\t=cmd", "'\r=2+2", HOSTILE[4],  # markup stays text
                      "a & b < c > d ]]>", "перенос\nстроки", "возврат\rкаретки", "управляющие символы",
                      "  пробелы  "]
    assert all(ws.cell(row=3 + i, column=1).data_type == "s" for i in range(len(HOSTILE)))
    assert (ws["B3"].value, ws["C3"].value, ws["D3"].value, ws["E3"].value) == (42, 3.5, True, None)
    assert ws["B3"].data_type == "n" and ws["B3"].font.name == "Times New Roman"


def test_streamed_rows_refuse_a_sheet_that_also_has_openpyxl_cells():
    wb = Workbook()
    wb.active["A1"] = "ячейка openpyxl"
    rows = SheetRows(wb.active)
    rows.append(["строка"], [0])
    with pytest.raises(ValueError, match="openpyxl cells"):
        save_with_rows(wb, [rows])


def test_download_name_is_rfc6266():
    header = content_disposition("План Сердобский район 2025-2026.xlsx")
    assert header.startswith('attachment; filename="Plan_Serdobskii_raion_2025-2026.xlsx";')
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


def _book(rows, merges, filler_rows=0) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for i in range(filler_rows):  # makes the sheet's XML longer than one piece read (1 MB) before the merges
        ws.append([f"строка {i}", "x" * 40, "y" * 40])
    for merge in merges:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_cell_merged_down_several_rows_gives_its_value_to_each_row():
    data = _book([["№", "Мероприятие", "Сроки", "Ответственные"],
                  ["1. Организационная работа"],
                  ["1.1", "Семинар", "октябрь", "Иванова"],
                  ["1.2", "Консультация", None, "Петрова"],
                  ["1.3", "Конкурс", None, None],
                  ["1.4", "Олимпиада", "ноябрь", None]],
                 ["A2:D2", "C3:C5", "D4:E5"])
    rows = read_table("plan.xlsx", data, 100)
    assert rows[1] == ["1. Организационная работа"]  # a merge along the row stays in its first cell
    assert [r[2] for r in rows[2:6]] == ["октябрь", "октябрь", "октябрь", "ноябрь"]
    assert rows[4][3] == "Петрова" and len(rows[4]) == 4  # D4:E5 fills down its first column only
    assert rows[5][3:] == []


def test_merges_are_found_after_a_long_sheet_and_overlapping_ones_are_refused():
    rows = read_table("long.xlsx", _book([["Сроки"], ["в течение года"], [None]], ["A2:A3"], filler_rows=5000),
                      6000)
    assert rows[2] == ["в течение года"] and len(rows) == 5003
    # The same cells merged again and again (Excel never writes that) would make the filling work without end.
    sound = _book([["x"]] + [[None]] * 49, ["A1:A50"])
    merges = "".join(f'<mergeCell ref="A1:{chr(66 + i % 20)}{50 - i // 20}"/>' for i in range(120))
    hostile = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sound)) as src, zipfile.ZipFile(hostile, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb"<mergeCell [^>]*>", merges.encode(), part)
            dst.writestr(info, part)
    with pytest.raises(SpreadsheetError, match="объединённые ячейки"):
        read_table("hostile.xlsx", hostile.getvalue(), 100)


def test_the_merge_scan_stays_linear_on_hostile_text_and_reads_both_quotes():
    """`<mergeCell` without an end in a comment made the old pattern try every start against the rest of the
    piece: 80 KB took 6 s, a megabyte minutes, holding a server thread. An alarm fails the test if it hangs."""
    import signal

    from oms.xlsx import _MERGE_CELL

    def hung(signum, frame):
        raise TimeoutError("the merge scan is not linear")

    hostile = b"<!-- " + b"<mergeCell " * 100_000 + b"-->" + b"<mergeCell ref='B2:B4'/><x:mergeCell ref=\"C1:C3\"/>"
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        found = [m.groups() for m in _MERGE_CELL.finditer(hostile)]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert found == [(b"B", b"2", b"B", b"4"), (b"C", b"1", b"C", b"3")]
