"""The one person picker: form fields that take people chosen by search-as-you-type.

The page never lists the district's people: the `person_picker` macro (templates/_picker.html) searches
them through `people.pick` and posts the chosen ids as hidden inputs named like the field. The fields
check every posted id in one query: a person of the current district, not in the field's `exclude` set.

    responsible = PeoplePickerField(_l("Ответственные"))          # .data: [ids], order kept
    person_id = PersonPickerField(_l("Кто"), required=True,        # .data: an id or None
                                  excluded_message=_l("Этот человек уже в составе."))
    form.person_id.exclude = {m.person_id for m in members}        # in the view, before validating
    form.person_id.first_school_id = body.school_id                # this school's people come first
    {{ person_picker(form.person_id) }}                            # in the template
"""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload
from wtforms import Field
from wtforms.validators import StopValidation

from .extensions import db
from .models import Person

REQUIRED = _l("Выберите человека.")
NOT_FOUND = _l("Такого человека нет среди педагогов района: найдите его заново.")
EXCLUDED = _l("Этот человек уже выбран здесь.")


def _hidden_inputs(field, **kwargs):
    """Without the macro the field still posts what it holds (the macro is the way to render it)."""
    return Markup("".join(f'<input type="hidden" name="{escape(field.name)}" value="{i}">' for i in field.ids))


class _PickerField(Field):
    multiple = False
    picks_people = True  # oms.concurrency shows a conflict's ids as names
    widget = staticmethod(_hidden_inputs)

    def __init__(self, label=None, validators=None, required=False, required_message=REQUIRED,
                 invalid_message=NOT_FOUND, excluded_message=EXCLUDED, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.required_message = required_message
        self.invalid_message = invalid_message
        self.excluded_message = excluded_message
        self.exclude: set[int] = set()
        self.first_school_id: int | None = None
        self._loaded: tuple[tuple, list] | None = None

    @property
    def ids(self) -> list[int]:
        raise NotImplementedError

    def _parse(self, valuelist) -> list[int]:
        try:
            return list(dict.fromkeys(int(v) for v in valuelist if str(v).strip()))
        except (TypeError, ValueError):
            raise ValueError(self.invalid_message) from None

    @property
    def people(self) -> list[Person]:
        """The chosen people of the current district, in the chosen order (one query, cached)."""
        ids = tuple(self.ids)
        if self._loaded is None or self._loaded[0] != ids:
            rows = db.session.scalars(Person.scoped().where(Person.id.in_(ids))
                                      .options(joinedload(Person.school))).all() if ids else []
            by_id = {p.id: p for p in rows}
            self._loaded = (ids, [by_id[i] for i in ids if i in by_id])
        return self._loaded[1]

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()
        ids = self.ids
        if not ids:
            if self.required:
                raise StopValidation(self.required_message)
            return
        if len(self.people) != len(ids):
            raise StopValidation(self.invalid_message)
        if any(i in self.exclude for i in ids):
            raise StopValidation(self.excluded_message)


class PersonPickerField(_PickerField):
    """One person: `.data` is an id or None."""

    @property
    def ids(self) -> list[int]:
        return [self.data] if self.data is not None else []

    def process_data(self, value):
        self.data = getattr(value, "id", value) if value not in (None, "") else None

    def process_formdata(self, valuelist):
        self.data = None
        ids = self._parse(valuelist)
        self.data = ids[0] if ids else None


class PeoplePickerField(_PickerField):
    """Several people: `.data` is a list of ids in the chosen order, without repeats."""

    multiple = True

    @property
    def ids(self) -> list[int]:
        return list(self.data or [])

    def process_data(self, value):
        self.data = list(dict.fromkeys(getattr(v, "id", v) for v in value)) if value else []

    def process_formdata(self, valuelist):
        self.data = []
        self.data = self._parse(valuelist)
