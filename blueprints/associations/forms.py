from flask_wtf import FlaskForm

from oms.conflicts import VersionField
from oms.fields import IdSelectField
from oms.forms import text_field


class AssociationForm(FlaskForm):
    kind_id = IdSelectField("Вид", required_message="Выберите вид объединения.")
    name = text_field("Название", 300, True)
    subject = text_field("Предмет или направление", 200)
    school_id = IdSelectField("Образовательная организация", required=False, blank="— муниципальный уровень —")


class AssociationEditForm(FlaskForm):
    name = text_field("Название", 300, True)
    subject = text_field("Предмет или направление", 200)
    school_id = IdSelectField("Образовательная организация", required=False, blank="— муниципальный уровень —")
    version = VersionField()
