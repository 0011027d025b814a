"""Import of teachers from a spreadsheet: upload -> column mapping -> preview -> confirm.

The parsed table is kept server-side in an ImportBatch between the steps; the
browser only ever sends the file, the column choices and the confirmation.
"""
import os

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.exc import IntegrityError

from oms.audit import record
from oms.extensions import db
from oms.forms import column_mapping_form
from oms.models import ImportBatch
from oms.models.base import utcnow
from oms.models.people import CATEGORY_LABELS
from oms.permissions import require
from oms.services import people_import as imp
from oms.tenancy import current_tenant
from oms.views import is_htmx
from oms.xlsx import SpreadsheetError, row_values

from . import bp, records
from .forms import ConfirmForm, UploadForm

KEEP_BATCHES_PER_USER = 5
SHOW_ROWS = 200
SHOW_ISSUES = 500
LIMITS = {"mb": imp.MAX_FILE_BYTES // (1024 * 1024), "rows": imp.MAX_DATA_ROWS, "cell": imp.MAX_CELL_CHARS,
          "columns": imp.MAX_COLUMNS}


def _go(url: str):
    """The next step of the import (303 See Other, or HX-Redirect for htmx)."""
    return records.go(url, code=303)


def _batch_or_404(batch_id) -> ImportBatch:
    batch = ImportBatch.get_or_404(batch_id)
    if batch.created_by_id != current_user.id or batch.kind != "people":
        abort(404)  # someone else's upload: as if it did not exist
    return batch


def _expired():
    return render_template("people/import_expired.html"), 410


def _tidy_up() -> None:
    """Drop expired uploads and all but the user's latest few."""
    db.session.execute(db.delete(ImportBatch).where(ImportBatch.tenant_id == current_tenant.id,
                                                    ImportBatch.expires_at < utcnow()))
    keep = db.session.scalars(ImportBatch.scoped().with_only_columns(ImportBatch.id)
                              .where(ImportBatch.created_by_id == current_user.id)
                              .order_by(ImportBatch.id.desc()).limit(KEEP_BATCHES_PER_USER - 1)).all()
    db.session.execute(db.delete(ImportBatch).where(ImportBatch.tenant_id == current_tenant.id,
                                                    ImportBatch.created_by_id == current_user.id,
                                                    ImportBatch.id.not_in(keep or [0])))


def _previous_mapping(header: list[str]) -> dict | None:
    """The user's last choice of columns for a file with the same header (a corrected file, re-uploaded)."""
    batches = db.session.scalars(ImportBatch.scoped().where(ImportBatch.created_by_id == current_user.id,
                                                            ImportBatch.kind == "people")
                                 .order_by(ImportBatch.id.desc()).limit(KEEP_BATCHES_PER_USER)).all()
    for batch in batches:
        if batch.header == header and batch.mapping:
            return batch.mapping
    return None


@bp.route("/import/", methods=["GET", "POST"])
def import_upload():
    require("people.import")
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Выберите файл .xlsx или .csv.")
        else:
            filename = os.path.basename(upload.filename.replace("\\", "/"))[:255]
            data = upload.stream.read(imp.MAX_FILE_BYTES + 1)
            try:
                table = imp.read_upload(filename, data)
            except SpreadsheetError as exc:
                error = str(exc)
            else:
                _tidy_up()
                mapping = _previous_mapping(table.header) or imp.guess_mapping(table.header)
                batch = ImportBatch(tenant_id=current_tenant.id, kind="people", created_by_id=current_user.id,
                                    filename=filename, header=table.header, header_row=table.header_row,
                                    rows=table.rows, notes=table.notes, mapping=mapping)
                db.session.add(batch)
                db.session.commit()
                return _go(url_for("people.import_mapping", import_batch_id=batch.id))
        form.file.errors = [error]
    template = "people/_upload.html" if is_htmx() else "people/import_upload.html"
    return render_template(template, form=form, limits=LIMITS), records.form_status()


@bp.route("/import/<int:import_batch_id>/mapping", methods=["GET", "POST"])
def import_mapping(import_batch_id: int):
    require("people.import")
    batch = _batch_or_404(import_batch_id)
    if batch.is_expired():
        return _expired()
    if batch.status == "done":
        return redirect(url_for("people.import_preview", import_batch_id=batch.id))
    form = column_mapping_form(batch, imp.TARGETS)
    errors: list[str] = []
    if form.validate_on_submit():
        mapping = {str(col): form[f"col_{col}"].data for col in range(len(batch.header))
                   if form[f"col_{col}"].data}
        errors = imp.mapping_errors(mapping)
        if not errors:
            batch.mapping = mapping
            db.session.commit()
            return redirect(url_for("people.import_preview", import_batch_id=batch.id), code=303)
    elif request.method == "POST":
        errors = [_("Выберите поле из списка для каждого столбца.")]
    else:
        errors = imp.mapping_errors(batch.mapping or {})
    samples = [[cells[col] if col < len(cells) else "" for _number, cells in batch.rows[:3]]
               for col in range(len(batch.header))]
    return render_template("people/import_mapping.html", batch=batch, form=form, errors=errors,
                           samples=samples, columns=range(len(batch.header)), guessed=request.method == "GET"
                           ), records.form_status()


@bp.route("/import/<int:import_batch_id>")
def import_preview(import_batch_id: int):
    require("people.import")
    batch = _batch_or_404(import_batch_id)
    if batch.status == "done":
        return render_template("people/import_done.html", batch=batch)
    if batch.is_expired():
        return _expired()
    if imp.mapping_errors(batch.mapping or {}):
        return redirect(url_for("people.import_mapping", import_batch_id=batch.id))
    return _render_preview(batch, imp.build_plan(batch, current_tenant.id))


def _render_preview(batch, plan, status=200):
    return render_template("people/import_preview.html", batch=batch, plan=plan, counts=plan.counts,
                           form=ConfirmForm(), SHOW_ROWS=SHOW_ROWS, SHOW_ISSUES=SHOW_ISSUES,
                           labels=imp.FIELD_LABELS, CATEGORIES=CATEGORY_LABELS, targets=imp.TARGETS,
                           mapped=[(batch.header[int(c)] if int(c) < len(batch.header) else "", t)
                                   for c, t in sorted(batch.mapping.items(), key=lambda kv: int(kv[0]))]), status


@bp.route("/import/<int:import_batch_id>/confirm", methods=["POST"])
def import_confirm(import_batch_id: int):
    require("people.import")
    batch = _batch_or_404(import_batch_id)
    if batch.status == "done":
        return _go(url_for("people.import_preview", import_batch_id=batch.id))
    if batch.is_expired():
        return _expired()
    if imp.mapping_errors(batch.mapping or {}):
        return _go(url_for("people.import_mapping", import_batch_id=batch.id))
    plan = imp.build_plan(batch, current_tenant.id)
    if not plan.ok:
        return _render_preview(batch, plan, 422)
    try:
        result = imp.apply_plan(plan, current_tenant.id)
        db.session.flush()
    except IntegrityError:  # someone saved the same people meanwhile
        db.session.rollback()
        flash(_("Пока шла загрузка, список педагогов изменился. Проверьте строки ещё раз."), "warning")
        return _go(url_for("people.import_preview", import_batch_id=import_batch_id))
    record("import", batch, summary=(f"Педагоги из файла «{batch.filename}»: добавлено {result['create']}, "
                                     f"обновлено {result['update']}, без изменений {result['skip']}, "
                                     f"новых организаций {result['schools']}"))
    batch.status = "done"
    batch.result = result
    batch.rows = []  # the people are saved; the copy of the file is no longer needed
    db.session.commit()
    flash(_("Импорт завершён."), "success")
    return _go(url_for("people.import_preview", import_batch_id=batch.id))


@bp.route("/import/<int:import_batch_id>/cancel", methods=["POST"])
def import_cancel(import_batch_id: int):
    require("people.import")
    batch = _batch_or_404(import_batch_id)
    if ConfirmForm().validate_on_submit():
        db.session.delete(batch)
        db.session.commit()
        flash(_("Загрузка отменена, ничего не сохранено."), "info")
    return _go(url_for("people.import_upload"))


@bp.route("/import/template.xlsx")
def import_template():
    require("people.import")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Педагоги")
    header = ["ФИО", "ОО", "Должность", "Предметы", "Категория", "Дата категории", "Стаж", "Образование",
              "Телефон", "Email"]
    for i, width in enumerate((34, 36, 24, 28, 16, 16, 8, 30, 18, 26)):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    ws.append(row_values(header))
    ws.append(row_values(["Иванова Анна Петровна", "СОШ № 1", "учитель", "Математика; Информатика", "первая",
                          "15.03.2022", 12, "высшее педагогическое", "+7 900 000-00-00", "ivanova@example.ru"]))
    return records.xlsx_response(wb, "Образец списка педагогов.xlsx")
