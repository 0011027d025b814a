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

from .. import clock
from ..extensions import db
from ..formatting import academic_year, ru_date
from ..models import Attendance, BodyMember, Decision, Meeting, Person, PlanItem
from ..models.plan import ITEM_STATUSES, MONTH_NAMES
from ..models.structure import LEVELS, MEMBER_ROLES
from ..xlsx import put
from . import completion
from .plans import find_plan, is_overdue, timing_text
from .workspace import LEAD_ROLES, item_query, year_bounds

WIDTHS = (6, 44, 18, 16, 20, 34, 22)
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E6EEF8")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class MeetingRow:
    meeting: Meeting
    present: int
    decisions: int
    decisions_done: int
    marked: int = 0  # members whose attendance was marked: the composition at the meeting


@dataclass
class YearReport:
    body: object
    start_year: int
    members: list[BodyMember]
    meetings: list[MeetingRow]
    plan: object = None  # the district plan of the year, if there is one
    items: list = field(default_factory=list)

    @property
    def held(self) -> list[MeetingRow]:
        return [r for r in self.meetings if r.meeting.is_held]

    today: date = field(default_factory=clock.today)

    @property
    def done_items(self) -> list:
        return [i for i in self.items if i.status == "done"]

    @property
    def not_done_items(self) -> list:
        """Moved, cancelled, or still «planned» when their time has passed."""
        return [i for i in self.items if i.status in ("moved", "cancelled")
                or (i.status == "planned" and is_overdue(i, self.plan, self.today))]

    @property
    def coming_items(self) -> list:
        return [i for i in self.items if i.status == "planned" and not is_overdue(i, self.plan, self.today)]


def collect(body, start_year: int) -> YearReport:
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
    present, marked, decisions = {}, {}, {}
    if ids:
        for meeting_id, count, came in db.session.execute(
            select(Attendance.meeting_id, func.count(Attendance.id),
                   func.sum(case((Attendance.present.is_(True), 1), else_=0)))
            .where(Attendance.meeting_id.in_(ids), Attendance.is_guest.is_(False))
            .group_by(Attendance.meeting_id)):
            marked[meeting_id], present[meeting_id] = count, came or 0
        decisions = {row[0]: (row[1], row[2] or 0) for row in db.session.execute(
            select(Decision.meeting_id, func.count(Decision.id),
                   func.sum(case((Decision.status == "done", 1), else_=0)))
            .where(Decision.meeting_id.in_(ids)).group_by(Decision.meeting_id))}
    rows = [MeetingRow(m, present.get(m.id, 0), *decisions.get(m.id, (0, 0)), marked=marked.get(m.id, 0))
            for m in meetings]
    plan = find_plan(start_year)
    items = []
    if plan is not None:
        items = db.session.scalars(item_query(plan).where(PlanItem.body_id == body.id)
                                   .options(joinedload(PlanItem.form))).all()
    return YearReport(body, start_year, members, rows, plan, items)


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


def _not_done_note(item) -> str:
    if item.status == "moved":
        return f"перенесено на {MONTH_NAMES[item.moved_to_month]}" if item.moved_to_month else "перенесено"
    if item.status == "cancelled":
        return item.cancel_reason or "отменено, причина не указана"
    return "срок прошёл, отметки о выполнении нет"


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
    if report.plan is None:
        facts.append(("Мероприятия плана", f"плана работы на {year} учебный год нет"))
    else:
        _done, _base, share = completion.of_statuses(i.status for i in report.items)
        facts.append(("Выполнение плана", f"{share} % ({completion.RULE_DOC})"))
        facts.append(("Мероприятий плана", f"{len(report.items)}: выполнено {len(report.done_items)}, "
                                            f"не выполнено {len(report.not_done_items)}, "
                                            f"предстоит {len(report.coming_items)}"))
    sheet.facts(facts)
    sheet.row += 1

    sheet.line("1. Заседания", bold=True)
    sheet.table(
        ["№ п/п", "Тема", "№ протокола", "Дата", "Состояние", "Присутствовали", "Решения (исполнено)"],
        [[n, r.meeting.topic or "—", r.meeting.number, r.meeting.held_on,
          "проведено" if r.meeting.is_held else "не проведено",
          f"{r.present} из {r.marked or len(report.members)}" if r.meeting.is_held else "—",
          f"{r.decisions} ({r.decisions_done})"]
         for n, r in enumerate(report.meetings, start=1)],
        "Заседаний в этом учебном году не было.")

    no_plan = f"Плана работы на {year} учебный год нет."
    sheet.line("2. Мероприятия плана: выполнено", bold=True)
    sheet.table(
        ["№ п/п", "Мероприятие", "Сроки по плану", "Дата проведения", "Участников", "Результат", "Участники"],
        [[n, i.title, timing_text(i), i.actual_date, i.participants_count, i.result_note or "", i.audience or ""]
         for n, i in enumerate(report.done_items, start=1)],
        no_plan if report.plan is None else "Выполненных мероприятий нет.")
    sheet.line("3. Мероприятия плана: не выполнено", bold=True)
    sheet.table(
        ["№ п/п", "Мероприятие", "Сроки по плану", "Отметка", "Причина, перенос", "Участники"],
        [[n, i.title, timing_text(i), ITEM_STATUSES.get(i.status, i.status), _not_done_note(i),
          i.audience or ""]
         for n, i in enumerate(report.not_done_items, start=1)],
        no_plan if report.plan is None else "Невыполненных мероприятий нет.")
    if report.coming_items:
        sheet.line("4. Мероприятия плана: срок не наступил", bold=True)
        sheet.table(
            ["№ п/п", "Мероприятие", "Сроки по плану", "Форма проведения", "Ожидаемый результат", "Участники"],
            [[n, i.title, timing_text(i), i.form.name if i.form else "", i.expected_result or "", i.audience or ""]
             for n, i in enumerate(report.coming_items, start=1)],
            "")

    sheet.line(f"{5 if report.coming_items else 4}. Состав", bold=True)
    sheet.table(
        ["№ п/п", "ФИО", "Роль", "Кого представляет", "Организация", "Должность", "Предметы"],
        [[n, m.person.full_name, MEMBER_ROLES.get(m.role, m.role), m.role_title or "",
          m.person.school.label if m.person.school else "—", m.person.position or "", m.person.subjects or ""]
         for n, m in enumerate(report.members, start=1)],
        "В составе никого нет.")
    sheet.line(f"Отчёт сформирован {ru_date(clock.today())}.", merge=False)

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
