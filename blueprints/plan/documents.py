"""The plan as documents: the execution analysis page, the XLSX export and the XLSX import."""
import os
import re
import secrets
import time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from oms.audit import record, record_and_commit
from oms.extensions import db
from oms.models import Plan
from oms.models.plan import MONTH_LABELS
from oms.permissions import require
from oms.services import plan_export, plan_import
from oms.services import plans as svc
from oms.tenancy import current_tenant
from oms.xlsx import content_disposition

from . import bp
from .forms import ConfirmImportForm, ImportForm
from .lookups import plan_or_404, start_year_or_404

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/<year>/analysis")
def analysis(year: str):
    plan = plan_or_404(year)
    result = svc.analyse(plan)
    return render_template("plan/analysis.html", plan=plan, a=result, chart=_chart(result),
                           direction_bars=_direction_bars(result))


def _chart(a) -> dict:
    """Geometry of the per-month stacked bar chart (server-rendered SVG)."""
    width, height, left, bottom, top = 720, 240, 36, 28, 12
    peak = max([c.planned for _month, c in a.by_month] + [1])
    step = (width - left) / 12
    bar = step * 0.62
    scale = (height - bottom - top) / peak
    bars = []
    for i, (month, c) in enumerate(a.by_month):
        x = left + i * step + (step - bar) / 2
        y = height - bottom
        segments = []
        for name in ("done", "moved", "cancelled", "open"):
            value = getattr(c, name)
            h = value * scale
            if value:
                segments.append({"name": name, "x": round(x, 1), "y": round(y - h, 1), "h": round(h, 1),
                                 "value": value})
            y -= h
        bars.append({"month": str(MONTH_LABELS[month])[:3], "x": round(x + bar / 2, 1), "w": round(bar, 1),
                     "segments": segments, "counts": c, "top": round(y, 1)})
    ticks = sorted({0, peak, round(peak / 2)})
    return {"width": width, "height": height, "bars": bars, "baseline": height - bottom, "left": left,
            "ticks": [{"value": t, "y": round(height - bottom - t * scale, 1)} for t in ticks]}


def _direction_bars(a) -> list:
    return [{"direction": d, "counts": c,
             "parts": [(name, c.percent(name) if name != "open" else 100 - c.percent("done") - c.percent("moved")
                        - c.percent("cancelled")) for name in ("done", "moved", "cancelled", "open")]}
            for d, c in a.by_direction]


@bp.route("/<year>/export.xlsx")
def export(year: str):
    require("plan.export")
    plan = plan_or_404(year)
    doc = plan_export.gather(plan, current_tenant)
    data = plan_export.build_workbook(doc)
    items = sum(len(s.rows) for s in doc.sections)
    record_and_commit("export", plan, summary=f"Выгрузка плана {plan.label} в XLSX ({items} мероприятий)")
    db.session.commit()
    response = current_app.response_class(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = content_disposition(plan_export.export_filename(plan, current_tenant))
    return response


# ---- import -------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,60}$")
UPLOAD_LIFETIME = 3600


def _upload_dir() -> str:
    path = os.path.join(current_app.instance_path, "plan_imports")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _upload_path(token: str) -> str:
    # The file belongs to this district and this user: a token alone opens nothing.
    return os.path.join(_upload_dir(), f"{current_tenant.id}-{current_user.id}-{token}.upload")


def _forget_old_uploads() -> None:
    now = time.time()
    for name in os.listdir(_upload_dir()):
        path = os.path.join(_upload_dir(), name)
        try:
            if now - os.path.getmtime(path) > UPLOAD_LIFETIME:
                os.remove(path)
        except OSError:
            pass


def _import_target(start: int) -> Plan | None:
    return svc.find_plan(start)


@bp.route("/<year>/import", methods=["GET", "POST"])
def import_plan(year: str):
    require("plan.import")
    start = start_year_or_404(year)
    plan = _import_target(start)
    form = ImportForm()
    if plan is not None and plan.is_approved:
        return _import_page(start, plan, form, error=_("План утверждён: импорт добавил бы мероприятия в закрытый "
                                                       "план. Сначала верните его на доработку."), status=409)
    if request.method == "GET":
        return _import_page(start, plan, form)
    if not form.validate_on_submit():
        return _import_page(start, plan, form, error=_("Форма устарела: обновите страницу."), status=400)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return _import_page(start, plan, form, error=_("Выберите файл плана (.xlsx)."), status=422)
    data = upload.read(plan_import.MAX_BYTES + 1)
    filename = upload.filename
    result = plan_import.read_plan_file(filename, data, start, current_tenant.id)
    plan_import.find_repeats(plan, result)
    token = None
    if result.ok:
        _forget_old_uploads()
        token = secrets.token_urlsafe(24)
        with open(_upload_path(token), "wb") as fh:
            fh.write(data)
    status = 200 if result.ok else 422
    return _import_page(start, plan, form, result=result, token=token, filename=filename, status=status)


def _import_page(start, plan, form, result=None, error=None, token=None, filename="", status=200):
    confirm = ConfirmImportForm(token=token, filename=filename) if token else None
    return render_template("plan/import.html", start_year=start, plan=plan, form=form, result=result, error=error,
                           confirm=confirm, limits=(plan_import.MAX_BYTES // (1024 * 1024), plan_import.MAX_ROWS),
                           shown_errors=plan_import.MAX_ERRORS_SHOWN), status


@bp.route("/<year>/import/confirm", methods=["POST"])
def confirm_import(year: str):
    require("plan.import")
    start = start_year_or_404(year)
    form = ConfirmImportForm()
    token = form.token.data or ""
    if not form.validate_on_submit() or not TOKEN_RE.match(token) or not os.path.exists(_upload_path(token)):
        return _import_page(start, _import_target(start), ImportForm(),
                            error=_("Файл для импорта не найден или устарел: загрузите его снова."), status=422)
    path = _upload_path(token)
    with open(path, "rb") as fh:
        data = fh.read()
    plan = _import_target(start)
    if plan is not None and plan.is_approved:
        return _import_page(start, plan, ImportForm(), error=_("План утверждён: импорт невозможен."), status=409)
    # Read again: the district's directions or people may have changed since the preview.
    result = plan_import.read_plan_file(form.filename.data or "plan.xlsx", data, start, current_tenant.id)
    if not result.ok:
        return _import_page(start, plan, ImportForm(), result=result, status=422)
    if plan is None:
        plan = Plan(tenant_id=current_tenant.id, start_year=start, status="draft")
        db.session.add(plan)
        db.session.flush()
    count = plan_import.save_items(plan, result)
    record("import", plan, summary=f"Импорт плана {plan.label} из XLSX: {count} мероприятий")
    db.session.commit()
    os.remove(path)
    flash(_("Импортировано мероприятий: %(count)d.", count=count), "success")
    return redirect(url_for("plan.show", year=year))

