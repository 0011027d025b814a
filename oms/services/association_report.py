"""An association's report for one academic year, as an XLSX document ready to print:
meetings held, the association's plan items done and not done, and its members.

Every cell is written through oms.xlsx.put, so text typed by users never becomes a formula.
"""
import io
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..formatting import academic_year, ru_date
from ..models import Attendance, BodyMember, Decision, Meeting, Person
from ..models.structure import LEVELS, MEMBER_ROLES
from ..xlsx import put
from .workspace import LEAD_ROLES, year_bounds

WIDTHS = (6, 44, 18, 16, 20, 34, 22)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E6EEF8")
WRAP = Alignment(wrap_text=True, vertical="top")
NOT_DONE = ("planned", "moved", "cancelled")


@dataclass
class MeetingRow:
    meeting: Meeting
    present: int
    decisions: int
    decisions_done: int


@dataclass
class YearReport:
    body: object
    start_year: int
    members: list[BodyMember]
    meetings: list[MeetingRow]
    items: list = field(default_factory=list)
    item_statuses: dict = field(default_factory=dict)

    @property
    def held(self) -> list[MeetingRow]:
        return [r for r in self.meetings if r.meeting.is_held]

    @property
    def done_items(self) -> list:
        return [i for i in self.items if i.status == "done"]

    @property
    def not_done_items(self) -> list:
        return [i for i in self.items if i.status != "done"]


def collect(body, start_year: int, items=()) -> YearReport:
    """The year's facts of one association (a few queries, whatever their number)."""
    first, last = year_bounds(start_year)
    members = db.session.scalars(
        BodyMember.scoped().where(BodyMember.body_id == body.id)
        .options(joinedload(BodyMember.person).joinedload(Person.school))
    ).all()
    members = sorted(members, key=lambda m: (m.role not in LEAD_ROLES, m.role != "secretary",
                                             m.person.last_name, m.person.first_name))
    meetings = db.session.scalars(
        Meeting.scoped().where(Meeting.body_id == body.id, Meeting.held_on >= first, Meeting.held_on <= last)
        .order_by(Meeting.held_on, Meeting.id)
    ).all()
    ids = [m.id for m in meetings]
    present, decisions = {}, {}
    if ids:
        present = dict(db.session.execute(
            select(Attendance.meeting_id, func.count(Attendance.id))
            .where(Attendance.meeting_id.in_(ids), Attendance.present.is_(True), Attendance.is_guest.is_(False))
            .group_by(Attendance.meeting_id)).all())
        decisions = {row[0]: (row[1], row[2] or 0) for row in db.session.execute(
            select(Decision.meeting_id, func.count(Decision.id),
                   func.sum(case((Decision.status == "done", 1), else_=0)))
            .where(Decision.meeting_id.in_(ids)).group_by(Decision.meeting_id))}
    rows = [MeetingRow(m, present.get(m.id, 0), *decisions.get(m.id, (0, 0))) for m in meetings]
    return YearReport(body, start_year, members, rows, list(items))


class _Sheet:
    def __init__(self, ws):
        self.ws = ws
        self.row = 1

    def line(self, text, bold=False, size=None, merge=True, align="left"):
        cell = put(self.ws.cell(self.row, 1), text)
        cell.font = Font(bold=bold, size=size or 11)
        cell.alignment = Alignment(wrap_text=True, horizontal=align, vertical="top")
        if merge:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=len(WIDTHS))
        self.row += 1

    def facts(self, pairs):
        for label, value in pairs:
            put(self.ws.cell(self.row, 1), label).font = Font(bold=True)
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=2)
            put(self.ws.cell(self.row, 3), value).alignment = WRAP
            self.ws.merge_cells(start_row=self.row, start_column=3, end_row=self.row, end_column=len(WIDTHS))
            self.row += 1

    def table(self, header, rows, empty_text):
        for col, title in enumerate(header, start=1):
            cell = put(self.ws.cell(self.row, col), title)
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        self.row += 1
        if not rows:
            put(self.ws.cell(self.row, 1), empty_text).alignment = WRAP
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=len(header))
            self.row += 1
        for values in rows:
            for col, value in enumerate(values, start=1):
                cell = put(self.ws.cell(self.row, col), value)
                cell.border = BOX
                cell.alignment = WRAP
                if isinstance(value, date):
                    cell.number_format = "DD.MM.YYYY"
            self.row += 1
        self.row += 1


def _timing(item) -> str:
    from ..formatting import MONTHS

    if getattr(item, "date_from", None):
        if item.date_to and item.date_to != item.date_from:
            return f"{ru_date(item.date_from)} – {ru_date(item.date_to)}"
        return ru_date(item.date_from)
    months = getattr(item, "month_list", [])
    return ", ".join(MONTHS[m - 1].lower() for m in months)


def _not_done_note(item, statuses) -> str:
    label = statuses.get(item.status, item.status)
    if item.status == "moved":
        from ..formatting import MONTHS

        target = getattr(item, "moved_to_month", None)
        return f"{label}" + (f" на {MONTHS[target - 1].lower()}" if target else "")
    if item.status == "cancelled" and getattr(item, "cancel_reason", ""):
        return f"{label}: {item.cancel_reason}"
    if item.status == "planned":
        return "Не отмечено как выполненное"
    return label


def workbook(report: YearReport, tenant) -> bytes:
    body = report.body
    wb = Workbook()
    ws = wb.active
    ws.title = "Отчёт"
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    sheet = _Sheet(ws)

    year = academic_year(report.start_year)
    if tenant.authority:
        sheet.line(tenant.authority, align="center")
    if tenant.service_name:
        sheet.line(tenant.service_name, align="center")
    sheet.line(f"Отчёт о работе за {year} учебный год", bold=True, size=14, align="center")
    sheet.line(body.name, bold=True, size=12, align="center")
    sheet.row += 1

    leaders = ", ".join(m.person.full_name for m in report.members if m.role in LEAD_ROLES) or "не назначен"
    where = body.school.name if body.school_id and body.school else LEVELS.get(body.kind.level, "")
    decisions = sum(r.decisions for r in report.meetings)
    decisions_done = sum(r.decisions_done for r in report.meetings)
    facts = [
        ("Вид", body.kind.name),
        ("Уровень, организация", where),
        ("Предмет, направление", body.subject or "—"),
        ("Руководитель", leaders),
        ("Участников", len(report.members)),
        ("Заседаний проведено", f"{len(report.held)} из {len(report.meetings)} назначенных"),
        ("Решений принято", f"{decisions}, исполнено {decisions_done}"),
    ]
    if report.items or report.item_statuses:
        facts.append(("Мероприятий плана", f"{len(report.items)}: выполнено {len(report.done_items)}, "
                                            f"не выполнено {len(report.not_done_items)}"))
    sheet.facts(facts)
    sheet.row += 1

    sheet.line("1. Заседания", bold=True)
    sheet.table(
        ["№ п/п", "Тема", "№ протокола", "Дата", "Состояние", "Присутствовали", "Решения (исполнено)"],
        [[n, r.meeting.topic or "—", r.meeting.number, r.meeting.held_on,
          "проведено" if r.meeting.is_held else "не проведено",
          f"{r.present} из {len(report.members)}" if r.meeting.is_held else "—",
          f"{r.decisions} ({r.decisions_done})"]
         for n, r in enumerate(report.meetings, start=1)],
        "Заседаний в этом учебном году не было.")

    statuses = report.item_statuses
    sheet.line("2. Мероприятия плана: выполнено", bold=True)
    sheet.table(
        ["№ п/п", "Мероприятие", "Сроки по плану", "Дата проведения", "Участников", "Результат", "Участники"],
        [[n, i.title, _timing(i), i.actual_date, i.participants_count, i.result_note or "", i.audience or ""]
         for n, i in enumerate(report.done_items, start=1)],
        "Выполненных мероприятий нет.")
    sheet.line("3. Мероприятия плана: не выполнено", bold=True)
    sheet.table(
        ["№ п/п", "Мероприятие", "Сроки по плану", "Отметка", "Причина, перенос", "Участники"],
        [[n, i.title, _timing(i), statuses.get(i.status, i.status), _not_done_note(i, statuses),
          i.audience or ""]
         for n, i in enumerate(report.not_done_items, start=1)],
        "Невыполненных мероприятий нет.")

    sheet.line("4. Состав", bold=True)
    sheet.table(
        ["№ п/п", "ФИО", "Роль", "Кого представляет", "Организация", "Должность", "Предметы"],
        [[n, m.person.full_name, MEMBER_ROLES.get(m.role, m.role), m.role_title or "",
          m.person.school.label if m.person.school else "—", m.person.position or "", m.person.subjects or ""]
         for n, m in enumerate(report.members, start=1)],
        "В составе никого нет.")
    sheet.line(f"Отчёт сформирован {ru_date(date.today())}.", merge=False)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
