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
