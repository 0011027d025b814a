"""The activity's side of a link: the plan item chosen with the one picker (oms/picker.py)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from oms import clock
from oms.picker import PickerField
from oms.services.plans import academic_start_year


class ItemLinkForm(FlaskForm):
    item_id = PickerField(_l("Связать с пунктом плана"), kind="plan_item", required=True,
                          excluded_message=_l("Мероприятие уже связано с этим пунктом плана."))


def item_link_form(linked) -> ItemLinkForm:
    """Items of this and next year's plans that are not cancelled (what an activity may carry out), but the
    ones it is linked with already."""
    form = ItemLinkForm()
    start = academic_start_year(clock.today())
    form.item_id.params = {"years": f"{start},{start + 1}", "open": "1"}
    form.item_id.exclude = set(linked)
    return form


_ACTIVITY_FORMS: dict[str, type] = {}


def activity_link_form(kind, item, linked, formdata=None):
    """The item's side: an existing activity of `kind` found with the picker (the kind's scope for this item),
    but the ones linked with the item already. One form per kind on the page."""
    form_class = _ACTIVITY_FORMS.get(kind.pick)
    if form_class is None:
        form_class = _ACTIVITY_FORMS[kind.pick] = type(f"ActivityLinkForm_{kind.pick}", (FlaskForm,), {
            "object_id": PickerField(_l("Связать существующее"), kind=kind.pick, required=True,
                                     excluded_message=_l("Это уже связано с пунктом плана."),
                                     id=f"link-{kind.code}")})  # posted as object_id, with the kind's code
    form = form_class(formdata=formdata, meta={"csrf": False})  # the page's form checks CSRF
    form.object_id.params = kind.pick_params(item) if kind.pick_params else {}
    form.object_id.exclude = set(linked)
    return form
