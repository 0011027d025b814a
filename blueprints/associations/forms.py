from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from oms.concurrency import FormTokenField, VersionField
from oms.fields import IdSelectField
from oms.forms import text_field


class AssociationForm(FlaskForm):
    kind_id = IdSelectField(_l("Вид"), required_message=_l("Выберите вид объединения."))
    name = text_field(_l("Название"), 300, True)
    subject = text_field(_l("Предмет или направление"), 200)
    school_id = IdSelectField(_l("Образовательная организация"), required=False, blank=_l("— муниципальный уровень —"))
    form_token = FormTokenField()  # a double click creates one association


class AssociationEditForm(FlaskForm):
    name = text_field(_l("Название"), 300, True)
    subject = text_field(_l("Предмет или направление"), 200)
    school_id = IdSelectField(_l("Образовательная организация"), required=False, blank=_l("— муниципальный уровень —"))
    version = VersionField()
