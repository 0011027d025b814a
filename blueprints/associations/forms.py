from flask_babel import lazy_gettext as _l

from oms.concurrency import FormTokenField, VersionField
from oms.fields import IdSelectField
from oms.forms import Form, text_field


class AssociationForm(Form):
    kind_id = IdSelectField(_l("Вид"), required_message=_l("Выберите вид объединения."))
    name = text_field(_l("Название"), 300, True)
    subject = text_field(_l("Предмет или направление"), 200)
    school_id = IdSelectField(_l("Образовательная организация"), required=False, blank=_l("— муниципальный уровень —"))
    form_token = FormTokenField()  # a double click creates one association


class AssociationEditForm(Form):
    name = text_field(_l("Название"), 300, True)
    subject = text_field(_l("Предмет или направление"), 200)
    school_id = IdSelectField(_l("Образовательная организация"), required=False, blank=_l("— муниципальный уровень —"))
    version = VersionField()
