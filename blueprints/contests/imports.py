"""School-stage results from a spreadsheet: upload -> column mapping -> check -> save.

The same steps and the same ImportBatch as the people import (blueprints/people/imports.py); the stage the
results are for is kept in the batch's notes. Nothing is saved while any row has a problem.
"""
import os

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from oms.audit import record
from oms.forms import column_mapping_form
from oms.extensions import db
from oms.models import ImportBatch
from oms.permissions import require
from oms.services import contests as svc
from oms.services import olympiad_import as imp
from oms.services.people_import import MAX_FILE_BYTES
from oms.tenancy import current_tenant
from oms.xlsx import SpreadsheetError

from . import bp
from .common import go, stage_or_404
from .forms import ConfirmForm, UploadForm

SHOW_ISSUES = 300


def _batch_or_404(batch_id) -> ImportBatch:
    batch = ImportBatch.get_or_404(batch_id)
    if batch.created_by_id != current_user.id or batch.kind != "olympiad":
        abort(404)
    return batch


def _batch_stage(batch):
    return stage_or_404((batch.notes or {}).get("stage_id"))


@bp.route("/olympiads/stages/<int:stage_id>/import", methods=["GET", "POST"])
def import_upload(stage_id: int):
    require("contests.edit")
    stage, comp = stage_or_404(stage_id)
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            error = _("Выберите файл .xlsx или .csv.")
        else:
            filename = os.path.basename(upload.filename.replace("\\", "/"))[:255]
            try:
                table = imp.read(filename, upload.stream.read(MAX_FILE_BYTES + 1))
            except SpreadsheetError as exc:
                error = str(exc)
            else:
                batch = ImportBatch(tenant_id=current_tenant.id, kind="olympiad", created_by_id=current_user.id,
                                    filename=filename, header=table.header, header_row=table.header_row,
                                    rows=table.rows, notes={**table.notes, "stage_id": stage.id},
                                    mapping=imp.guess_mapping(table.header))
                db.session.add(batch)
                db.session.commit()
                return go(url_for("contests.import_mapping", import_batch_id=batch.id))
    return render_template("contests/import_upload.html", form=form, error=error, stage=stage, comp=comp,
                           max_rows=imp.MAX_ROWS), 422 if error else 200


@bp.route("/olympiads/import/<int:import_batch_id>/mapping", methods=["GET", "POST"])
def import_mapping(import_batch_id: int):
    require("contests.edit")
    batch = _batch_or_404(import_batch_id)
    stage, comp = _batch_stage(batch)
    if batch.status == "done":
        return go(url_for("contests.stage", stage_id=stage.id))
    form = column_mapping_form(batch, imp.TARGETS)
    errors = []
    if form.validate_on_submit():
        mapping = {str(c): form[f"col_{c}"].data for c in range(len(batch.header)) if form[f"col_{c}"].data}
        errors = imp.mapping_errors(mapping)
        if not errors:
            batch.mapping = mapping
            db.session.commit()
            return go(url_for("contests.import_preview", import_batch_id=batch.id))
    elif request.method == "POST":
        errors = [_("Выберите поле из списка для каждого столбца.")]
    samples = [[cells[col] if col < len(cells) else "" for _n, cells in batch.rows[:3]]
               for col in range(len(batch.header))]
    return render_template("contests/import_mapping.html", batch=batch, form=form, errors=errors, samples=samples,
                           columns=range(len(batch.header)), stage=stage, comp=comp), 422 if errors else 200


@bp.route("/olympiads/import/<int:import_batch_id>")
def import_preview(import_batch_id: int):
    require("contests.edit")
    batch = _batch_or_404(import_batch_id)
    stage, comp = _batch_stage(batch)
    if batch.status == "done":
        return render_template("contests/import_done.html", batch=batch, stage=stage, comp=comp)
    if imp.mapping_errors(batch.mapping or {}):
        return go(url_for("contests.import_mapping", import_batch_id=batch.id))
    plan = imp.build_plan(comp, stage, batch.header, batch.rows, batch.mapping)
    return _preview(batch, stage, comp, plan)


def _preview(batch, stage, comp, plan, status=200):
    return render_template("contests/import_preview.html", batch=batch, stage=stage, comp=comp, plan=plan,
                           form=ConfirmForm(), SHOW_ISSUES=SHOW_ISSUES), status


@bp.route("/olympiads/import/<int:import_batch_id>/confirm", methods=["POST"])
def import_confirm(import_batch_id: int):
    require("contests.edit")
    batch = _batch_or_404(import_batch_id)
    stage, comp = _batch_stage(batch)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if batch.status == "done":
        return go(url_for("contests.import_preview", import_batch_id=batch.id))
    if stage.locked_at is not None:
        flash(_("Результаты этапа утверждены: баллы больше не меняются."), "error")
        return go(url_for("contests.stage", stage_id=stage.id))
    plan = imp.build_plan(comp, stage, batch.header, batch.rows, batch.mapping)
    if not plan.ok:
        return _preview(batch, stage, comp, plan, 422)
    try:
        saved = imp.apply_plan(comp, stage, plan, current_user.id)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        flash(_("Пока шла загрузка, результаты этапа изменились. Проверьте строки ещё раз."), "warning")
        return go(url_for("contests.import_preview", import_batch_id=batch.id))
    record("import", batch, summary=f"Результаты школьного этапа из файла «{batch.filename}»: {saved}")
    batch.status, batch.result, batch.rows = "done", {"saved": saved}, []
    svc.stage_changed(stage)
    db.session.commit()
    flash(_("Загружено результатов: %(n)s.", n=saved), "success")
    return go(url_for("contests.stage", stage_id=stage.id))
