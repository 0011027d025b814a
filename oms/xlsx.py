"""The one safe way to write and read spreadsheets.

Writing: openpyxl stores any string that starts with "=" as a live formula;
we force every user string to a plain text cell, and neutralise the other
starters spreadsheet programs act on (+ - @, tab, CR) when the file is
opened elsewhere or saved as CSV. Numbers and dates stay typed.

Reading: an .xlsx is a zip; we check the archive (entry count, unpacked size,
compression ratio) before openpyxl parses it, parse with defusedxml in place,
and cap rows by our own count, not the file's declared dimensions.
"""
import csv
import io
import zipfile
from datetime import date, datetime
from urllib.parse import quote

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_ZIP_ENTRIES = 200
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100
MAX_CELL_CHARS = 32767  # Excel's own limit


class SpreadsheetError(ValueError):
    """A file we refuse, with a message for the user (Russian)."""


def safe_text(value: str) -> str:
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return text[:MAX_CELL_CHARS]


def put(cell: Cell, value):
    """Write a value into a cell: text never becomes a formula; numbers and dates stay typed."""
    if value is None or isinstance(value, (bool, int, float, date, datetime)):
        cell.value = value
        return cell
    cell.value = safe_text(value)
    cell.data_type = "s"
    return cell


def row_values(values):
    """A row for write-only sheets (ws.append): each text value made safe."""
    out = []
    for value in values:
        if value is None or isinstance(value, (bool, int, float, date, datetime)):
            out.append(value)
        else:
            out.append(safe_text(value))
    return out


def content_disposition(filename: str) -> str:
    """RFC 6266 / RFC 5987: an ASCII fallback plus the UTF-8 name."""
    ascii_name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def check_xlsx_archive(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError("Файл не является книгой Excel (.xlsx) или повреждён.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise SpreadsheetError("Файл устроен необычно (слишком много частей); сохраните его заново в Excel.")
            unpacked = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
                raise SpreadsheetError("Файл после распаковки слишком большой; разделите его на части.")
            if "xl/workbook.xml" not in {e.filename for e in entries}:
                raise SpreadsheetError("Файл не является книгой Excel (.xlsx).")
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError("Файл повреждён: не удалось открыть архив .xlsx.") from exc


def read_xlsx_rows(data: bytes, max_rows: int):
    """Rows of the first sheet as lists of values (at most max_rows, else SpreadsheetError)."""
    from openpyxl import load_workbook

    check_xlsx_archive(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError("Не удалось прочитать книгу Excel: файл повреждён или в другом формате.") from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the declared size may lie
        rows = []
        for row in ws.iter_rows(values_only=True):
            if len(rows) >= max_rows:
                raise SpreadsheetError(f"В файле больше {max_rows - 1} строк данных; разделите его на части.")
            rows.append(list(row))
        return rows
    finally:
        wb.close()


def read_csv_rows(data: bytes, max_rows: int):
    """Rows of a CSV file in UTF-8 or Windows-1251, separated by ';' or ','."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError("Не удалось определить кодировку файла (ожидается UTF-8 или Windows-1251).")
    if "\x00" in text:
        raise SpreadsheetError("Файл не похож на таблицу CSV.")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(rows) >= max_rows:
            raise SpreadsheetError(f"В файле больше {max_rows - 1} строк данных; разделите его на части.")
        rows.append(row)
    return rows


def read_table(filename: str, data: bytes, max_rows: int):
    """Rows of an uploaded .xlsx or .csv file."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_xlsx_rows(data, max_rows)
    if name.endswith(".csv") or name.endswith(".txt"):
        return read_csv_rows(data, max_rows)
    if data[:4] == b"PK\x03\x04":
        return read_xlsx_rows(data, max_rows)
    raise SpreadsheetError("Поддерживаются файлы .xlsx и .csv.")
