"""Builds the sample teacher files the import tests and the browser test use.

Run from the repository root: `python tests/data/make_samples.py`. The files
are committed; rerun this after changing the rows below.

- teachers_sample.xlsx / teachers_sample.csv (Windows-1251, «;»): a clean list
  whose headers the import recognises by itself;
- teachers_with_error.xlsx: the same list with the subjects column titled
  «Преподаёт» (not recognised: the user maps it) and a bad row 5;
- teachers_with_error_fixed.xlsx: the same file with row 5 corrected.
"""
import csv
import io
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from oms.xlsx import row_values  # noqa: E402

HERE = Path(__file__).resolve().parent
HEADER = ["№ п/п", "ФИО", "Образовательная организация", "Должность", "Предметы", "Квалификационная категория",
          "Дата присвоения категории", "Педагогический стаж", "Образование", "Телефон", "E-mail"]
ROWS = [
    ["Дашиева Туяна Баировна", "МОУ Новочарская СОШ № 1", "учитель", "Математика; Информатика", "высшая",
     date(2021, 12, 24), 18, "высшее педагогическое", "+7 914 440-12-01", "dashieva@example.ru"],
    ["Никифоров Алексей Викторович", "МОУ Новочарская СОШ № 1", "учитель", "Физика", "первая",
     date(2022, 3, 15), 9, "высшее педагогическое", "", ""],
    ["Трифонова Галина Ивановна", "МОУ Чарская СОШ", "заместитель директора по УВР", "Русский язык; Литература",
     "высшая", date(2020, 4, 28), 27, "высшее педагогическое", "8 (30261) 4-11-07", ""],
    ["Горохова Ольга Сергеевна", "МОУ Чарская СОШ", "учитель", "Начальные классы", "соответствие занимаемой должности",
     date(2023, 10, 2), 5, "среднее профессиональное", "", "gorokhova@example.ru"],
    ["Цыденова Дарима Баировна", "МОУ Новочарская СОШ № 38", "учитель", "Английский язык", "",
     None, 1, "высшее педагогическое", "", ""],
    ["Бадмаев Баир Цыренович", "МОУ Новочарская СОШ № 38", "учитель", "Физическая культура", "первая",
     date(2019, 2, 20), 12, "высшее", "", ""],
    ["Шадрина Анастасия Юрьевна", "МОУ Новочарская СОШ № 38", "педагог-психолог", "", "",
     None, 2, "высшее (психология)", "", ""],
    ["Ёлкина Алёна Петровна", "МОУ Куандинская СОШ", "учитель", "Биология; Химия", "первая",
     date(2024, 1, 30), 7, "высшее педагогическое", "", ""],
    ["Кудрин Олег Николаевич", "МОУ Куандинская СОШ", "учитель", "История; Обществознание", "высшая",
     date(2022, 11, 11), 31, "высшее педагогическое", "", ""],
    ["Соловьёва Нина Павловна", "МОУ Чарская СОШ", "учитель-логопед", "", "первая",
     date(2021, 5, 17), 22, "высшее дефектологическое", "", ""],
    ["Аюшеева Сэсэг Дугаровна", "МОУ Новочарская СОШ № 1", "учитель", "Эвенкийский язык", "",
     None, 0, "высшее педагогическое", "", ""],
    ["Мальцев Денис Игоревич", "МОУ Куандинская СОШ", "учитель", "Труд (технология)", "соответствие занимаемой должности",
     date(2023, 3, 1), 4, "среднее профессиональное", "", ""],
]
BAD_ROW = 5  # file row (the header is row 1): a category that no longer exists and an impossible date


def xlsx(path: Path, header, rows) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Педагоги"
    ws.append(row_values(header))
    for n, row in enumerate(rows, start=1):
        ws.append(row_values([n, *row]))
        cell = ws.cell(row=ws.max_row, column=7)
        if isinstance(cell.value, date):
            cell.number_format = "DD.MM.YYYY"
    wb.save(path)


def csv_cp1251(path: Path, header, rows) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([n, *[v.strftime("%d.%m.%Y") if isinstance(v, date) else v for v in row]])
    path.write_bytes(buf.getvalue().encode("cp1251"))


def main() -> None:
    xlsx(HERE / "teachers_sample.xlsx", HEADER, ROWS)
    csv_cp1251(HERE / "teachers_sample.csv", HEADER, ROWS)
    header = [("Преподаёт" if h == "Предметы" else h) for h in HEADER]
    broken = [list(r) for r in ROWS]
    broken[BAD_ROW - 2][4] = "вторая"
    broken[BAD_ROW - 2][5] = "31.02.2020"
    xlsx(HERE / "teachers_with_error.xlsx", header, broken)
    xlsx(HERE / "teachers_with_error_fixed.xlsx", header, ROWS)


if __name__ == "__main__":
    main()
