"""Form fields for choosing a district's row by id.

The choices are built from the current district's rows, so an id that is not
offered (another district's, another association's, a made-up one) is refused
with a message (in the user's language) next to the field and nothing is saved.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import StopValidation


class WholeNumberField(IntegerField):
    """A whole number: text that is not one gets one message in the user's language, and the range
    validators are not run on it (WTForms would add theirs to its own English-worded one)."""

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None  # left empty (spaces too): Optional / InputRequired decide, by the raw value
            self.raw_data = [""]
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Введите целое число.")) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


def _coerce_id(value):
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    return int(value)


class IdSelectField(SelectField):
    def __init__(self, label=None, validators=None, required=True, blank=_l("— не выбрано —"),
                 required_message=_l("Выберите значение из списка."),
                 invalid_message=_l("Такого значения нет в списке: обновите страницу и выберите снова."), **kwargs):
        super().__init__(label, validators, coerce=_coerce_id, choices=[], **kwargs)
        self.required_choice = required
        self.blank = blank
        self.required_message = required_message
        self.invalid_message = invalid_message

    def set_choices(self, choices) -> None:
        """A list of (id, label), or {group label: [(id, label), ...]} for option groups."""
        if isinstance(choices, dict):
            groups = {}
            if self.blank is not None:
                groups[None] = [("", self.blank)]  # no <optgroup> around the blank option
            groups.update(choices)
            self.choices = groups
        else:
            self.choices = ([("", self.blank)] if self.blank is not None else []) + list(choices)

    def offered_ids(self) -> set:
        choices = self.choices or []
        rows = [row for group in choices.values() for row in group] if isinstance(choices, dict) else choices
        return {value for value, *_ in rows if value not in ("", None)}

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = _coerce_id(valuelist[0])
        except (TypeError, ValueError):
            self.data = None
            raise ValueError(self.invalid_message) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        if self.data is None:
            if self.required_choice:
                raise StopValidation(self.required_message)
            return
        if self.data not in self.offered_ids():
            raise StopValidation(self.invalid_message)


class ChoiceField(SelectField):
    """A fixed list of codes; anything else is refused with a message in the user's language."""

    def __init__(self, label=None, validators=None, message=_l("Выберите значение из списка."), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = message

    def pre_validate(self, form):
        if self.data not in {str(value) for value, *_ in self.choices}:
            raise StopValidation(self.invalid_message)
