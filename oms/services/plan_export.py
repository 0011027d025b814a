"""The plan as an XLSX document: sheet 1 is the plan as it is printed and attached to the
approving order, sheet 2 the analysis of its execution.

openpyxl makes the workbook (styles, page setup, print titles, merged ranges); the rows are
written by oms.xlsx.SheetRows, which is an order of magnitude quicker than openpyxl's cells for
a long plan and writes text as text, so nothing a user typed becomes a formula.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import clock
from ..extensions import db
from ..models import Body, Person, Plan, PlanItem, PlanItemResponsible, WorkForm
from ..models.plan import ACADEMIC_MONTHS, ACT_BY, MONTH_NAMES
from ..xlsx import SheetRows, save_with_rows
from . import completion
from .plans import Analysis, analyse, execution_mark, item_rows, timing_text

HEADERS = ("№ п/п", "Мероприятие", "Форма проведения", "Сроки", "Ответственные", "Участники",
           "Ожидаемый результат")
WIDTHS = (7, 50, 20, 17, 28, 24, 32)
ANALYSIS_HEADERS = ("№ п/п", "Мероприятие", "Сроки", "Отметка о выполнении")
# №, name, «В плане» (or the item's timing), then done, %, moved, %, cancelled, %, without a mark; an item's
# mark spans the last seven columns.
ANALYSIS_WIDTHS = (8, 50, 16, 11, 7, 12, 7, 11, 7, 11)
COUNT_HEADERS = ("В плане", "Выполнено", "%", "Перенесено", "%", "Отменено", "%", "Без отметки")

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")


class Styles:
    """The document's few styles, built once (openpyxl hashes style objects on use)."""

    text = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    title = Font(name=FONT, size=14, bold=True)
    small = Font(name=FONT, size=10, italic=True)
    border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    wrap = Alignment(wrap_text=True, vertical="top")
    wrap_center = Alignment(wrap_text=True, vertical="top", horizontal="center")
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    title_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    left = Alignment(horizontal="left", vertical="center")
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    section_fill = PatternFill("solid", fgColor="F2F2F2")


S = Styles()


@dataclass
class ItemRow:
    number: str
    title: str
    form: str
    timing: str
    responsible: str
    audience: str
    expected: str
    mark: str


@dataclass
class Section:
    number: int
    name: str
    rows: list


@dataclass
class PlanDocument:
    """Everything the workbook shows, gathered from the database in a handful of queries."""

    tenant_name: str
    service_genitive: str
    approval: list  # the approval block, line by line
    title: str
    sections: list
    analysis: Analysis
    analysis_title: str
    generated_on: date
    start_year: int


def person_labels(tenant_id: int) -> dict[int, str]:
    """«Иванова А. П.», or the full name where two people of the district share initials."""
    rows = db.session.execute(db.select(Person.id, Person.last_name, Person.first_name, Person.middle_name)
                              .where(Person.tenant_id == tenant_id)).all()
    short = {}
    for pid, last, first, middle in rows:
        initials = "".join(f"{p[0]}. " for p in (first, middle) if p)
        short[pid] = (f"{last} {initials}".strip(), " ".join(p for p in (last, first, middle) if p))
    clashes = Counter(s for s, _ in short.values())
    return {pid: (full if clashes[s] > 1 else s) for pid, (s, full) in short.items()}


def responsible_text(item, person_ids, labels: dict, bodies: dict) -> str:
    """People (and the note) on the first line, the organising body on the next."""
    first = ", ".join([labels.get(pid, "") for pid in person_ids]
                      + ([item.responsible_note] if item.responsible_note else []))
    lines = [first] if first else []
    if item.body_id and item.body_id in bodies:
        lines.append(bodies[item.body_id])
    return "\n".join(lines)


def approval_lines(plan: Plan, tenant) -> list[str]:
    head = f"{ACT_BY.get(plan.act_kind, ACT_BY['order'])} {tenant.plan_approver_of or ''}".strip()
    if plan.is_approved and plan.act_date:
        return ["УТВЕРЖДЁН", head, f"от {plan.act_date:%d.%m.%Y} № {plan.act_number}"]
    return ["УТВЕРЖДЁН", head, "от «___» ____________ 20___ г. № _______"]


def gather(plan: Plan, tenant, today: date | None = None) -> PlanDocument:
    today = today or clock.today()
    items = item_rows(plan)
    people: dict[int, list[int]] = {}
    for item_id, person_id in db.session.execute(
            db.select(PlanItemResponsible.item_id, PlanItemResponsible.person_id)
            .join(PlanItem, PlanItem.id == PlanItemResponsible.item_id).where(PlanItem.plan_id == plan.id)
            .order_by(PlanItemResponsible.item_id, PlanItemResponsible.position, PlanItemResponsible.id)):
        people.setdefault(item_id, []).append(person_id)
    analysis = analyse(plan, today, items=items)
    forms = dict(db.session.execute(db.select(WorkForm.id, WorkForm.name).where(WorkForm.tenant_id == tenant.id)).all())
    bodies = dict(db.session.execute(db.select(Body.id, Body.name).where(Body.tenant_id == tenant.id)).all())
    labels = person_labels(tenant.id)
    names = {d.id: d.name for d, _ in analysis.by_direction}
    sections: dict[int, Section] = {}
    for item in items:
        number = analysis.numbers.items[item.id]
        section = sections.get(item.direction_id)
        if section is None:
            section = sections[item.direction_id] = Section(
                analysis.numbers.sections[item.direction_id], names.get(item.direction_id, ""), [])
        section.rows.append(ItemRow(
            number=number, title=item.title, form=forms.get(item.form_id, ""), timing=timing_text(item),
            responsible=responsible_text(item, people.get(item.id, ()), labels, bodies), audience=item.audience,
            expected=item.expected_result, mark=execution_mark(item, plan, today)))
    service = tenant.service_name_genitive or tenant.service_name or tenant.term("service")
    return PlanDocument(
        tenant_name=tenant.name, service_genitive=service, approval=approval_lines(plan, tenant),
        title=f"План работы {service} на {plan.label} учебный год",
        sections=list(sections.values()), analysis=analysis,
        analysis_title=f"Анализ выполнения плана работы {service} на {plan.label} учебный год",
        generated_on=today, start_year=plan.start_year)


# ---- writing ------------------------------------------------------------------------------

def _lines(text, width: float) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide (a safe estimate)."""
    chars = max(int(width * 1.2), 1)
    return sum(max(1, -(-len(part) // chars)) for part in str(text if text is not None else "").split("\n"))


LINE_HEIGHT = 14.5  # points per line of 11 pt Times New Roman


class SheetWriter:
    """The document's rows (merged lines and bordered table rows) on top of oms.xlsx.SheetRows.

    Row heights are set from the text: spreadsheet programs do not grow rows by themselves on
    opening a file (LibreOffice) nor ever for merged cells, and a clipped plan is useless on paper.
    """

    def __init__(self, ws, widths):
        self.rows = SheetRows(ws)
        self.widths = widths
        self.width = len(widths)
        self._row_styles: dict = {}

    def append(self, values, styles, height=None) -> int:
        return self.rows.append(values, styles, height if height and height > LINE_HEIGHT + 3 else None)

    def blank(self) -> int:
        return self.append((), ())

    def height(self, spans) -> float:
        """spans: [(text, first_col, last_col)] -> the row height that shows all the text."""
        lines = max(_lines(text, sum(self.widths[first - 1:last])) for text, first, last in spans)
        return lines * LINE_HEIGHT + 3

    def merged(self, text, first_col=1, last_col=None, font=S.text, align=S.left, border=None, fill=None,
               height=None) -> int:
        last_col = last_col or self.width
        style = self.rows.style(font, align, border, fill)
        values = [None] * (first_col - 1) + [text] + [None] * (last_col - first_col)
        styles = [0] * (first_col - 1) + [style] * (last_col - first_col + 1)
        row = self.append(values, styles, height or self.height([(text, first_col, last_col)]))
        if last_col > first_col:
            self.rows.merge(row, first_col, last_col)
        return row

    def table_row(self, values, font=S.text, aligns=None, fill=None, merge_from: int | None = None) -> int:
        """A bordered row; with merge_from, the value in that column spans to the last column."""
        aligns = aligns or [S.wrap] * len(values)
        key = (id(font), id(fill), *map(id, aligns))
        styles = self._row_styles.get(key)
        if styles is None:
            styles = self._row_styles[key] = [self.rows.style(font, align, S.border, fill) for align in aligns]
        last = merge_from or len(values) + 1
        spans = [(value, i, i) for i, value in enumerate(values[:last - 1], start=1)]
        if merge_from:
            spans.append((values[merge_from - 1], merge_from, self.width))
        row = self.append(values, styles, self.height(spans))
        if merge_from:
            self.rows.merge(row, merge_from, self.width)
        return row


def _title_height(title: str, widths) -> float:
    """14 pt bold takes about 1.5 times the width of the body text."""
    return _lines(title, sum(widths) / 1.5) * 20 + 6


def _page_setup(ws, title_rows: str, freeze: str, widths) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    if freeze:
        ws.freeze_panes = freeze
    ws.oddFooter.right.text = "Страница &P из &N"
    ws.oddFooter.right.size = 9


def write_plan_sheet(wb: Workbook, doc: PlanDocument) -> SheetRows:
    ws = wb.create_sheet("План")
    width = len(HEADERS)
    header_row = 7
    _page_setup(ws, f"{header_row}:{header_row}", f"A{header_row + 1}", WIDTHS)
    out = SheetWriter(ws, WIDTHS)
    for line in doc.approval:  # rows 1-3, top right
        out.merged(line, first_col=5, last_col=width, align=S.left)
    out.blank()
    out.merged(doc.title, font=S.title, align=S.title_align, height=_title_height(doc.title, WIDTHS))  # row 5
    out.blank()
    out.table_row(HEADERS, font=S.bold, aligns=[S.header_align] * width, fill=S.header_fill)  # row 7
    aligns = [S.wrap_center, S.wrap, S.wrap, S.wrap, S.wrap, S.wrap, S.wrap]
    for section in doc.sections:
        out.merged(f"{section.number}. {section.name}", font=S.bold, align=S.wrap, border=S.border,
                   fill=S.section_fill)
        for row in section.rows:
            out.table_row((row.number, row.title, row.form, row.timing, row.responsible, row.audience,
                           row.expected), aligns=aligns)
    return out.rows


def _counts(c) -> tuple:
    """The counts of a table row as numbers: planned, done, completion % (oms.services.completion), moved, %,
    cancelled, %, without a mark."""
    return (c.planned, c.done, c.completion, c.moved, c.percent("moved"), c.cancelled, c.percent("cancelled"),
            c.open)


def write_analysis_sheet(wb: Workbook, doc: PlanDocument) -> SheetRows:
    """Counts are numeric cells, one figure a column. The list of every item with its mark is four values a row
    (the mark merged over the count columns), which keeps a 3,000-item export quick; its header is repeated
    on every printed page."""
    ws = wb.create_sheet("Анализ выполнения")
    _page_setup(ws, None, None, ANALYSIS_WIDTHS)
    out = SheetWriter(ws, ANALYSIS_WIDTHS)
    width = len(ANALYSIS_WIDTHS)
    a = doc.analysis
    out.merged(doc.analysis_title, font=S.title, align=S.title_align,
               height=_title_height(doc.analysis_title, ANALYSIS_WIDTHS))
    out.merged(f"по состоянию на {doc.generated_on:%d.%m.%Y}", font=S.small, align=S.title_align)
    out.merged(f"Выполнение плана: {a.total.completion} %. {completion.RULE_DOC}", font=S.small, align=S.wrap)
    heads = [S.header_align] * width
    numbers = [S.wrap_center, S.wrap] + [S.wrap_center] * (width - 2)

    def wide_row(values, font=S.text, fill=None) -> int:
        """№, name, a short column and a long text merged over the rest."""
        aligns = [S.wrap_center, S.wrap, S.wrap_center] + [S.wrap] * (width - 3)
        return out.table_row(list(values) + [None] * (width - len(values)), font=font, aligns=aligns, fill=fill,
                             merge_from=4)

    out.blank()
    out.merged("1. Выполнение по направлениям", font=S.bold)
    out.table_row(("№", "Направление") + COUNT_HEADERS, font=S.bold, aligns=heads, fill=S.header_fill)
    for direction, counts in a.by_direction:
        out.table_row((a.numbers.sections.get(direction.id, ""), direction.name) + _counts(counts), aligns=numbers)
    out.table_row(("", "Итого") + _counts(a.total), font=S.bold, aligns=numbers)

    out.blank()
    out.merged("2. Выполнение по месяцам (мероприятие на несколько месяцев учитывается в каждом из них)",
               font=S.bold)
    out.table_row(("№", "Месяц") + COUNT_HEADERS, font=S.bold, aligns=heads, fill=S.header_fill)
    for i, (month, counts) in enumerate(a.by_month, start=1):
        year = doc.start_year if month >= 9 else doc.start_year + 1
        out.table_row((i, f"{MONTH_NAMES[month].capitalize()} {year}") + _counts(counts), aligns=numbers)

    out.blank()
    out.merged("3. Выполнено из запланированного по направлениям и месяцам", font=S.bold)
    wide_row(("№", "Направление", "В плане", "Выполнено из запланированного по месяцам"), font=S.bold,
             fill=S.header_fill)
    for direction, counts in a.by_direction:
        cells = []
        for month in ACADEMIC_MONTHS:
            c = a.matrix.get((direction.id, month))
            if c:
                cells.append(f"{MONTH_NAMES[month][:3]} {c.done} из {c.planned}")
        wide_row((a.numbers.sections.get(direction.id, ""), direction.name, counts.planned, " · ".join(cells)))

    out.blank()
    out.merged("4. Отметки о выполнении мероприятий плана", font=S.bold)
    header = wide_row(ANALYSIS_HEADERS, font=S.bold, fill=S.header_fill)
    ws.print_title_rows = f"{header}:{header}"  # the long list: its header on every printed page
    for section in doc.sections:
        out.merged(f"{section.number}. {section.name}", font=S.bold, border=S.border, fill=S.section_fill)
        for row in section.rows:
            wide_row((row.number, row.title, row.timing, row.mark))

    out.blank()
    out.merged("5. Невыполненные мероприятия и причины", font=S.bold)
    if not a.not_done:
        out.merged("Все мероприятия, срок которых наступил, выполнены.")
    else:
        wide_row(("№ п/п", "Мероприятие", "Сроки", "Состояние, причина, новый срок"), font=S.bold,
                 fill=S.header_fill)
    for item, kind in a.not_done:
        if kind == "moved":
            why = f"перенесено на {MONTH_NAMES.get(item.moved_to_month, '…')}" if item.moved_to_month else "перенесено"
        elif kind == "cancelled":
            why = f"отменено: {item.cancel_reason}" if item.cancel_reason else "отменено"
        else:
            why = "не выполнено: срок прошёл, отметки о выполнении нет"
        wide_row((a.numbers.items.get(item.id, ""), item.title, timing_text(item), why))
    return out.rows


def build_workbook(doc: PlanDocument) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = [write_plan_sheet(wb, doc), write_analysis_sheet(wb, doc)]
    return save_with_rows(wb, sheets)


def export_filename(plan: Plan, tenant) -> str:
    return f"План работы {tenant.name} {plan.year_slug}.xlsx"
