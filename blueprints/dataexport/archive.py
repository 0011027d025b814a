"""All of a district's data as one zip archive, written while it is sent.

Inside: README.txt, manifest.json (files and row counts), district.json (the
profile), tables/<table>.json for every table with a tenant_id column — the
district's tables whatever features add, plus its users (without password
hashes) and its audit trail — and people.xlsx for Excel. Secrets and derived
search keys are left out.
"""
import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import LargeBinary

from oms.extensions import db
from oms.files import file_models, read as read_file
from oms.formatting import ru_datetime
from oms.models import Person, School
from oms.models.base import utcnow
from oms.models.people import CATEGORIES
from oms.rls import tables_with_tenant_id
from oms.xlsx import row_values

LEFT_OUT_COLUMNS = {"password_hash", "token", "token_digest", "search_key", "name_key"}
FORMAT = 1
CHUNK = 64 * 1024


class _Sink:
    """A write-only stream that hands over what was written (zipfile works without seek)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts, self.size = [], 0
        return out


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def district_tables():
    return [db.metadata.tables[name] for name in tables_with_tenant_id(db.metadata)]


def _columns(table):
    # A stored file's bytes go into files/<table>/, not into its JSON row.
    return [c for c in table.columns if c.name not in LEFT_OUT_COLUMNS and not isinstance(c.type, LargeBinary)]


def _file_entries(tenant_id: int):
    """(path in the archive, stored row) for every file of the district, one loaded at a time."""
    for model in file_models():
        ids = db.session.scalars(db.select(model.id).where(model.tenant_id == tenant_id).order_by(model.id)).all()
        for file_id in ids:
            row = db.session.scalar(db.select(model).where(model.id == file_id, model.tenant_id == tenant_id))
            yield f"files/{model.__tablename__}/{row.id}-{row.filename}", row
            db.session.expunge(row)  # its content is not kept in memory for the rest of the archive


def row_counts(tenant_id: int) -> dict[str, int]:
    return {table.name: db.session.scalar(db.select(db.func.count()).select_from(table)
                                          .where(table.c.tenant_id == tenant_id))
            for table in district_tables()}


def archive_chunks(tenant):
    """The zip archive in pieces, table by table (constant memory whatever the size)."""
    sink = _Sink()
    counts = {}
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(tenant))
        archive.writestr("district.json", _dumps(_tenant_row(tenant)))
        yield sink.take()
        for table in district_tables():
            counts[table.name] = 0
            with archive.open(f"tables/{table.name}.json", "w", force_zip64=True) as out:
                out.write(b"[")
                columns = _columns(table)
                stmt = (db.select(*columns).where(table.c.tenant_id == tenant.id)
                        .order_by(*table.primary_key.columns).execution_options(yield_per=500))
                for row in db.session.execute(stmt).mappings():
                    out.write((",\n" if counts[table.name] else "\n").encode() + _dumps(dict(row)))
                    counts[table.name] += 1
                    if sink.size >= CHUNK:
                        yield sink.take()
                out.write(b"\n]\n")
            yield sink.take()
        files = []
        for path, row in _file_entries(tenant.id):
            archive.writestr(path, read_file(row))
            files.append(path)
            if sink.size >= CHUNK:
                yield sink.take()
        archive.writestr("people.xlsx", _people_xlsx(tenant.id))
        archive.writestr("manifest.json", _dumps({
            "format": FORMAT, "district": tenant.slug, "name": tenant.name,
            "exported_at": utcnow().isoformat() + "Z",
            "files": ["README.txt", "district.json", "people.xlsx"] + [f"tables/{t}.json" for t in counts] + files,
            "rows": counts,
        }, indent=2))
    yield sink.take()


def _dumps(value, indent=None) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_plain, indent=indent).encode()


def _tenant_row(tenant) -> dict:
    table = type(tenant).__table__
    return {c.name: getattr(tenant, c.key, None) for c in table.columns if c.name not in LEFT_OUT_COLUMNS}


def _readme(tenant) -> str:
    return "\n".join([
        f"Выгрузка всех данных района «{tenant.name}» из ОМС.",
        f"Сформирована {ru_datetime(utcnow())} (UTC).",
        "",
        "district.json      — профиль района.",
        "tables/<имя>.json  — записи каждой таблицы района: массив объектов JSON (UTF-8);",
        "                     даты в формате ГГГГ-ММ-ДД, время — UTC; *_id — ссылки на записи других таблиц.",
        "                     user.json — пользователи района, audit_event.json — журнал действий.",
        "people.xlsx        — список педагогов для Excel.",
        "files/<таблица>/   — приложенные файлы: <номер записи>-<имя файла> (запись — в tables/<таблица>.json).",
        "manifest.json      — перечень файлов и число записей в каждой таблице.",
        "",
        "Пароли, ключи входа и служебные поля поиска в выгрузку не входят.",
        "",
    ])


PEOPLE_HEADER = ["Фамилия", "Имя", "Отчество", "Организация", "Должность", "Предметы", "Категория",
                 "Дата присвоения категории", "Стаж, лет", "Молодой специалист", "Образование", "Телефон", "Почта"]


def _people_xlsx(tenant_id: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Педагоги")
    sheet.append(PEOPLE_HEADER)
    stmt = (db.select(Person, School.name).outerjoin(School, Person.school_id == School.id)
            .where(Person.tenant_id == tenant_id).order_by(Person.last_name, Person.first_name, Person.id))
    for person, school in db.session.execute(stmt):
        sheet.append(row_values([
            person.last_name, person.first_name, person.middle_name, school or "", person.position,
            person.subjects, CATEGORIES.get(person.category, person.category) if person.category else "",
            person.category_date, person.experience_years, "да" if person.is_young_specialist else "",
            person.education, person.phone, person.email,
        ]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
