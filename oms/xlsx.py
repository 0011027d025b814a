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
import math
import re
import zipfile
from datetime import date, datetime
from urllib.parse import quote

from flask_babel import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_ZIP_ENTRIES = 200
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 100
MAX_CELL_CHARS = 32767  # Excel's own limit
MAX_READ_COLUMNS = 100  # columns read from an uploaded sheet; cells further right are ignored


class SpreadsheetError(ValueError):
    """A file we refuse, with a message for the user (in the page's language)."""


# Characters XML 1.0 cannot hold (openpyxl refuses a cell with one; a pasted text may have them).
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_text(value: str) -> str:
    """User text for a cell: characters XML cannot hold dropped first, then a formula start neutralised
    (in that order: a control character before "=1+1" must not take the guard away with it)."""
    text = NOT_IN_XML.sub("", str(value))
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


def xml_text(value) -> str:
    """A cell's text as XML character data (\r kept: a parser would turn a bare one into \n)."""
    text = safe_text(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class SheetRows:
    """The rows of one worksheet written straight as XML text, for exports of thousands of rows.

    openpyxl's cell model costs tens of microseconds a cell, which for a 3,000-item plan
    (40,000 cells) is seconds. Here a cell is one formatted string. openpyxl still writes the
    rest of the package (styles, column widths, page setup, print titles, frozen panes, merged
    ranges): make the sheet with it, add rows here, and `save` puts the rows into its file.

    Text is an inline string (never a formula; see safe_text), numbers stay numbers, and
    characters XML cannot hold are dropped.
    """

    def __init__(self, ws):
        self.ws = ws
        self.row = 0
        self.width = 0
        self._parts: list[str] = []
        self._merges: list[str] = []
        self._styles: dict = {}
        self._letters = [get_column_letter(i) for i in range(1, 51)]

    def style(self, font=None, alignment=None, border=None, fill=None, number_format=None) -> int:
        """The workbook's index of a cell style, registered once per combination."""
        key = (id(font), id(alignment), id(border), id(fill), number_format)
        index = self._styles.get(key)
        if index is None:
            template = Cell(self.ws)  # detached: never placed in the sheet
            for name, value in (("font", font), ("alignment", alignment), ("border", border), ("fill", fill),
                                ("number_format", number_format)):
                if value is not None:
                    setattr(template, name, value)
            index = self._styles[key] = template.style_id
        return index

    def append(self, values, styles, height: float | None = None) -> int:
        """One row: values[i] with style index styles[i]; None or "" is an empty cell (kept if styled)."""
        self.row += 1
        r = str(self.row)
        letters = self._letters
        if len(values) > len(letters):
            letters += [get_column_letter(i) for i in range(len(letters) + 1, len(values) + 1)]
        cells = []
        for i, (value, style) in enumerate(zip(values, styles)):
            if (value is None or value == "") and not style:
                continue
            ref = letters[i] + r
            s = f' s="{style}"' if style else ""
            if value is None or value == "":
                cells.append(f'<c r="{ref}"{s}/>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)) and math.isfinite(value):
                cells.append(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
            elif isinstance(value, (date, datetime)):
                raise TypeError("SheetRows writes text and numbers; format a date as text")
            else:
                cells.append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{xml_text(value)}</t></is></c>')
        self.width = max(self.width, len(values))
        attrs = f' ht="{height:g}" customHeight="1"' if height else ""
        self._parts.append(f'<row r="{r}"{attrs}>{"".join(cells)}</row>')
        return self.row

    def merge(self, row: int, first_col: int, last_col: int) -> None:
        self._merges.append(f"{self._letters[first_col - 1]}{row}:{self._letters[last_col - 1]}{row}")

    def _into(self, xml: bytes) -> bytes:
        """openpyxl's XML of the (cell-less) sheet with these rows put in."""
        rows = "".join(self._parts).encode("utf-8")
        last = f"{self._letters[max(self.width, 1) - 1]}{max(self.row, 1)}"
        for empty, full in ((b"<sheetData></sheetData>", b"<sheetData>" + rows + b"</sheetData>"),
                            (b'<dimension ref="A1:A1" />', f'<dimension ref="A1:{last}" />'.encode())):
            if xml.count(empty) != 1:
                raise RuntimeError(f"unexpected worksheet XML from openpyxl: {empty!r} not found once")
            xml = xml.replace(empty, full)
        return xml


def save_with_rows(wb, sheets: list[SheetRows]) -> bytes:
    """The workbook as .xlsx bytes, the streamed rows in their sheets."""
    for sheet in sheets:
        if sheet.ws._cells:
            raise ValueError(f"sheet {sheet.ws.title!r} has openpyxl cells; write all its rows with SheetRows")
        sheet.ws.merged_cells = MultiCellRange(sheet._merges)  # at once: adding ranges one by one is quadratic
    draft = io.BytesIO()
    wb.save(draft)  # numbers the sheets: ws.path is known from here on
    by_path = {sheet.ws.path.lstrip("/"): sheet for sheet in sheets}
    out = io.BytesIO()
    with zipfile.ZipFile(draft) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            sheet = by_path.pop(info.filename, None)
            dst.writestr(info, sheet._into(data) if sheet is not None else data)
    if by_path:
        raise RuntimeError(f"sheets not found in the package: {sorted(by_path)}")
    return out.getvalue()


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
                      "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia"]))


def ascii_filename(filename: str) -> str:
    """«План Сердобский район 2025-2026.xlsx» -> «Plan_Serdobskii_raion_2025-2026.xlsx» (ICAO-style)."""
    out = []
    for ch in filename:
        low = ch.lower()
        if low in _TRANSLIT:
            latin = _TRANSLIT[low]
            out.append(latin.capitalize() if ch != low else latin)
        elif ch.isascii() and (ch.isalnum() or ch in "._-"):
            out.append(ch)
        else:
            out.append("_")
    return "".join(out)


def content_disposition(filename: str) -> str:
    """RFC 6266 / RFC 5987: an ASCII fallback (transliterated) plus the UTF-8 name."""
    ascii_name = ascii_filename(filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def check_xlsx_archive(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("Файл не является книгой Excel (.xlsx) или повреждён."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise SpreadsheetError(_("Файл устроен необычно (слишком много частей); сохраните его заново в Excel."))
            unpacked = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
                raise SpreadsheetError(_("Файл после распаковки слишком большой; разделите его на части."))
            if "xl/workbook.xml" not in {e.filename for e in entries}:
                raise SpreadsheetError(_("Файл не является книгой Excel (.xlsx)."))
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(_("Файл повреждён: не удалось открыть архив .xlsx.")) from exc


def read_xlsx_rows(data: bytes, max_rows: int):
    """Rows of the first sheet as lists of values (at most max_rows, else SpreadsheetError)."""
    from openpyxl import load_workbook

    check_xlsx_archive(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise SpreadsheetError(_("Не удалось прочитать книгу Excel: файл повреждён или в другом формате.")) from exc
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # the declared size may lie
        rows = []
        # max_col: openpyxl pads a row up to its last cell, so one cell in column XFD would make a row
        # of 16,384 values (a 30 KB file of such rows took ~700 MB). Trailing empties are trimmed as before.
        for row in ws.iter_rows(values_only=True, max_col=MAX_READ_COLUMNS):
            if len(rows) >= max_rows:
                raise SpreadsheetError(_("В файле больше %(n)d строк данных; разделите его на части.", n=max_rows - 1))
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
        _fill_down_merges(rows, _merged_ranges(data, ws._worksheet_path))
        return rows
    except SpreadsheetError:
        raise
    except Exception as exc:  # the sheet's XML is parsed only here, and a damaged one fails in many ways
        raise SpreadsheetError(_("Не удалось прочитать книгу Excel: файл повреждён или в другом формате.")) from exc
    finally:
        wb.close()


# [^<>]: a match never runs past the next tag, so the scan stays linear on hostile text («<mergeCell <mergeCell …»
# in a comment made `[^>]*` try every start against the rest of the piece: minutes per megabyte).
_MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^<>]*?\bref=["\']([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})["\']')
_PIECE = 1 << 20
_OVERLAP = 4096  # longer than any mergeCell element Excel or LibreOffice writes
MAX_MERGES = 20000


def _merged_ranges(data: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """(first column, first row, last column, last row) of the sheet's merged cells.

    openpyxl's read-only mode does not read them; they stand at the end of the sheet's XML, found here by
    scanning it in pieces (the archive's size was checked before) rather than parsing it all again.
    """
    found = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(sheet_path.lstrip("/")) as fh:
        tail = b""
        while chunk := fh.read(_PIECE):
            piece = tail + chunk
            found.update(match.groups() for match in _MERGE_CELL.finditer(piece))
            if len(found) > MAX_MERGES:
                raise SpreadsheetError(_("Файл устроен необычно (слишком много объединённых ячеек); "
                                         "сохраните его заново в Excel."))
            tail = piece[-_OVERLAP:]  # a mergeCell element cut in two by the pieces is found in the next one
    return [(column_index_from_string(c1.decode()), int(r1), column_index_from_string(c2.decode()), int(r2))
            for c1, r1, c2, r2 in found]


def _fill_down_merges(rows: list[list], merges) -> None:
    """A cell merged over several rows («октябрь» beside three items) holds its value in the first row only;
    give it to each row it covers. Merges along a row (a section title across the table) stay as they are.
    Merges do not overlap in a sound file, so the work is bounded by the cells read; a file whose merges make
    more is refused."""
    budget = len(rows) * MAX_READ_COLUMNS
    for first_col, first_row, _last_col, last_row in sorted(merges, key=lambda m: (m[1], m[0])):
        if last_row <= first_row or first_col > MAX_READ_COLUMNS or first_row > len(rows):
            continue
        budget -= min(last_row, len(rows)) - first_row
        if budget < 0:
            raise SpreadsheetError(_("Файл устроен необычно (объединённые ячейки перекрываются); "
                                     "сохраните его заново в Excel."))
        top = rows[first_row - 1]
        value = top[first_col - 1] if first_col <= len(top) else None
        if value is None:
            continue
        for row in rows[first_row:min(last_row, len(rows))]:
            if len(row) < first_col:
                row.extend([None] * (first_col - len(row)))
            if row[first_col - 1] is None:
                row[first_col - 1] = value


def read_csv_rows(data: bytes, max_rows: int):
    """Rows of a CSV file in UTF-8 or Windows-1251, separated by ';' or ','."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("Не удалось определить кодировку файла (ожидается UTF-8 или Windows-1251)."))
    if "\x00" in text:
        raise SpreadsheetError(_("Файл не похож на таблицу CSV."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(rows) >= max_rows:
            raise SpreadsheetError(_("В файле больше %(n)d строк данных; разделите его на части.", n=max_rows - 1))
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
    raise SpreadsheetError(_("Поддерживаются файлы .xlsx и .csv."))
